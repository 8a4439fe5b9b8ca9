import { Random } from '../random';

export type Platform = 'Windows' | 'Linux' | 'Mac';

export interface FleetHost {
	/** Agent id (32 lower-case hex). */
	aid: string;
	hostname: string;
	platform: Platform;
	osVersion: string;
	localIp: string;
	macAddress: string;
	agentVersion: string;
	/** Seeded connectivity; the offlineHosts fault can take online hosts down at runtime. */
	online: boolean;
}

const OS_VERSIONS: Record<Platform, string[]> = {
	Windows: ['Windows 11', 'Windows 10', 'Windows Server 2022', 'Windows Server 2019'],
	Linux: ['Ubuntu 22.04', 'RHEL 9.3', 'Debian 12', 'Amazon Linux 2023'],
	Mac: ['macOS Sonoma (14)', 'macOS Ventura (13)'],
};

const NAME_PREFIX: Record<Platform, string[]> = {
	Windows: ['WKS', 'SRV-DC', 'SRV-FILE', 'LAPTOP', 'SRV-SQL'],
	Linux: ['web', 'db', 'k8s-node', 'bastion', 'build'],
	Mac: ['MBP', 'IMAC'],
};

/** The first five hosts have fixed roles so tests can always find an online/offline host of each kind. */
const FIXED: Array<[Platform, boolean]> = [
	['Windows', true],
	['Linux', true],
	['Mac', true],
	['Windows', false],
	['Linux', false],
];

export function buildFleet(seed: number, size = 12): FleetHost[] {
	const random = new Random(seed, 'fleet');
	const hosts: FleetHost[] = [];
	for (let i = 0; i < Math.max(size, FIXED.length); i++) {
		const [platform, online] = FIXED[i] ?? [random.pick(['Windows', 'Windows', 'Linux', 'Mac'] as Platform[]), random.chance(0.75)];
		const prefix = random.pick(NAME_PREFIX[platform]);
		const hostname = platform === 'Linux' ? `${prefix}-${String(i + 1).padStart(2, '0')}` : `${prefix}-${String(100 + i)}`;
		hosts.push({
			aid: random.hex(32),
			hostname,
			platform,
			osVersion: random.pick(OS_VERSIONS[platform]),
			localIp: `10.${random.int(0, 20)}.${random.int(0, 254)}.${random.int(2, 254)}`,
			macAddress: Array.from({ length: 6 }, () => random.hex(2)).join('-'),
			agentVersion: `7.${random.int(10, 18)}.${random.int(16000, 18999)}.0`,
			online,
		});
	}
	return hosts;
}
