import { Random } from '../random';
import type { FleetHost } from '../rtr/fleet';

/** The Falcon grouping tag that marks a host containment playbooks must not contain. */
export const PROTECTED_TAG = 'FalconGroupingTags/protected';

/**
 * Seeded tags of the fixed fleet positions (see buildFleet): the Mac online host (fleet[2]) is the protected one.
 * Later hosts get at most one seeded tag.
 */
const FIXED_TAGS: string[][] = [
	['FalconGroupingTags/finance'],
	['FalconGroupingTags/prod', 'FalconGroupingTags/web'],
	[PROTECTED_TAG, 'FalconGroupingTags/vip'],
	['FalconGroupingTags/finance'],
	[],
];
const OTHER_TAGS = ['FalconGroupingTags/prod', 'FalconGroupingTags/dev', 'FalconGroupingTags/lab'];

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The host attributes the RTR fleet does not carry; drawn from their own seeded stream so the fleet is unchanged. */
export interface HostProfile {
	externalIp: string;
	productType: string;
	productTypeDesc: string;
	machineDomain: string;
	groups: string[];
	tags: string[];
	/** first_seen, this long before the simulator started. */
	firstSeenAgoMs: number;
	/** Seeded-offline hosts were last seen this long before the simulator started. */
	offlineForMs: number;
	/** Online hosts report last_seen this long before "now". */
	lastSeenLagMs: number;
}

function productType(host: FleetHost): [string, string] {
	if (host.platform === 'Linux') return ['3', 'Server'];
	if (host.platform === 'Mac') return ['1', 'Workstation'];
	if (host.hostname.startsWith('SRV-DC')) return ['2', 'Domain Controller'];
	if (host.hostname.startsWith('SRV-')) return ['3', 'Server'];
	return ['1', 'Workstation'];
}

export function buildProfiles(seed: number, fleet: FleetHost[]): HostProfile[] {
	const random = new Random(seed, 'hosts');
	const groupIds = { Windows: random.hex(32), Linux: random.hex(32), Mac: random.hex(32) };
	return fleet.map((host, i) => {
		const [type, typeDesc] = productType(host);
		const seededTag = random.chance(0.3) ? [random.pick(OTHER_TAGS)] : [];
		return {
			externalIp: `${random.pick(['203.0.113', '198.51.100'])}.${random.int(2, 254)}`,
			productType: type,
			productTypeDesc: typeDesc,
			machineDomain: host.platform === 'Windows' ? 'corp.example.com' : '',
			groups: [groupIds[host.platform]],
			tags: [...(FIXED_TAGS[i] ?? seededTag)],
			firstSeenAgoMs: random.int(20, 400) * DAY_MS,
			offlineForMs: random.int(2, 144) * HOUR_MS,
			lastSeenLagMs: random.int(3, 90) * 1000,
		};
	});
}
