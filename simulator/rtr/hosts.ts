import type { Faults } from '../faults';
import type { FleetHost } from './fleet';

/** The fleet plus live connectivity (seeded online flag, overridden by the onlineHosts and offlineHosts faults). */
export class Hosts {
	constructor(
		private readonly fleet: FleetHost[],
		private readonly faults: Faults,
	) {}

	get(aid: string): FleetHost | undefined {
		return this.fleet.find((h) => h.aid === aid.toLowerCase());
	}

	isOnline(host: FleetHost): boolean {
		return (host.online || this.faults.isHostForcedOnline(host.aid)) && !this.faults.isHostForcedOffline(host.aid);
	}
}

export const SENSOR_COMMS_ERROR = { code: 40401, message: 'Could not establish sensor comms' };

export const PLATFORM_ID: Record<FleetHost['platform'], string> = { Windows: '0', Mac: '1', Linux: '3' };
