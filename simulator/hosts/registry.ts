import type { Faults, FaultWatcher } from '../faults';
import type { FleetHost } from '../rtr/fleet';
import { Hosts, PLATFORM_ID } from '../rtr/hosts';
import { buildProfiles, type HostProfile } from './profiles';
import { requestContainment, settleContainment, type Containment, type ContainmentStatus } from './containment';

export const HOST_ACTIONS = ['contain', 'lift_containment', 'hide_host', 'unhide_host', 'detection_suppress', 'detection_unsuppress'] as const;
export type HostAction = (typeof HOST_ACTIONS)[number];

export interface HostState {
	host: FleetHost;
	profile: HostProfile;
	containment: Containment;
	tags: string[];
	hidden: boolean;
	suppressed: boolean;
	firstSeenAt: number;
	modifiedAt: number;
	online: boolean;
	/** Online: when the current online period began. Offline: last_seen. */
	since: number;
}

/** One host in `/_simulator/state` (compact). */
export interface HostSummary {
	device_id: string;
	hostname: string;
	platform_name: string;
	online: boolean;
	status: ContainmentStatus;
	tags: string[];
	hidden: boolean;
	detection_suppressed: boolean;
}

export interface HostSettings {
	seed: number;
	cid: string;
	containmentDelayMs: number;
}

/** Falcon writes host timestamps without milliseconds. */
export function falconTime(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The live state of every fleet host for the Hosts API: containment, tags, hidden/suppressed flags and
 * connectivity. It watches the fault knobs so a host's on/offline periods are known exactly, which lets the
 * containment state machine be evaluated lazily on every read.
 */
export class HostRegistry implements FaultWatcher {
	private states: HostState[] = [];
	private readonly profiles: HostProfile[];
	private readonly connectivity: Hosts;

	constructor(
		private readonly fleet: FleetHost[],
		faults: Faults,
		private readonly settings: HostSettings,
	) {
		this.profiles = buildProfiles(settings.seed, fleet);
		this.connectivity = new Hosts(fleet, faults);
		faults.watch(this);
		this.reset();
	}

	reset(): void {
		const now = Date.now();
		this.states = this.fleet.map((host, i) => {
			const profile = this.profiles[i];
			const online = this.connectivity.isOnline(host);
			const lastSeen = now - (host.online ? profile.lastSeenLagMs : profile.offlineForMs);
			return {
				host,
				profile,
				containment: { status: 'normal', dueAt: 0 },
				tags: [...profile.tags],
				hidden: false,
				suppressed: false,
				firstSeenAt: now - profile.firstSeenAgoMs,
				modifiedAt: online ? now - profile.lastSeenLagMs : lastSeen,
				online,
				since: online ? now : lastSeen,
			};
		});
	}

	beforeChange(): void {
		this.settle(Date.now());
	}

	/** A host that comes back online finishes its overdue pending containment change now. */
	afterChange(): void {
		const now = Date.now();
		for (const state of this.states) {
			const online = this.connectivity.isOnline(state.host);
			if (online === state.online) continue;
			state.online = online;
			state.since = now;
		}
		this.settle(now);
	}

	private settle(now: number): void {
		for (const state of this.states) {
			const completedAt = settleContainment(state.containment, now, state.online ? state.since : undefined);
			if (completedAt !== undefined) state.modifiedAt = completedAt;
		}
	}

	/** Every host, in fleet order, with due transitions applied. */
	all(): HostState[] {
		this.settle(Date.now());
		return [...this.states];
	}

	find(aid: string): HostState | undefined {
		this.settle(Date.now());
		const wanted = aid.toLowerCase();
		return this.states.find((s) => s.host.aid === wanted);
	}

	/** The hosts with these ids (deduplicated, in the order asked) and the ids that name no host. */
	lookup(ids: string[]): { found: HostState[]; missing: string[] } {
		this.settle(Date.now());
		const found: HostState[] = [];
		const missing: string[] = [];
		for (const id of new Set(ids.map((i) => i.trim()).filter((i) => i !== ''))) {
			const state = this.states.find((s) => s.host.aid === id.toLowerCase());
			if (state && !found.includes(state)) found.push(state);
			else if (!state) missing.push(id);
		}
		return { found, missing };
	}

	/** Applies a PerformActionV2 action; returns the conflict message when it cannot (→ a 409 entry). */
	act(state: HostState, action: HostAction, now = Date.now()): string | undefined {
		switch (action) {
			case 'contain':
			case 'lift_containment': {
				const conflict = requestContainment(state.containment, action, now, this.settings.containmentDelayMs);
				if (conflict) return conflict;
				break;
			}
			case 'hide_host':
			case 'unhide_host':
				state.hidden = action === 'hide_host';
				break;
			default:
				state.suppressed = action === 'detection_suppress';
		}
		state.modifiedAt = now;
		// A zero delay completes at once for an online host.
		this.settle(now);
		return undefined;
	}

	updateTags(state: HostState, action: 'add' | 'remove', tags: string[], now = Date.now()): void {
		state.tags = action === 'add' ? [...state.tags, ...tags.filter((t) => !state.tags.includes(t))] : state.tags.filter((t) => !tags.includes(t));
		state.modifiedAt = now;
	}

	/** The host as GetDeviceDetailsV2 returns it (GOF DeviceapiDeviceSwagger field names). */
	record(state: HostState, now = Date.now()): Record<string, unknown> {
		const { host, profile } = state;
		return {
			device_id: host.aid,
			cid: this.settings.cid.toLowerCase(),
			hostname: host.hostname,
			status: state.containment.status,
			platform_id: PLATFORM_ID[host.platform],
			platform_name: host.platform,
			os_version: host.osVersion,
			agent_version: host.agentVersion,
			product_type: profile.productType,
			product_type_desc: profile.productTypeDesc,
			machine_domain: profile.machineDomain,
			local_ip: host.localIp,
			external_ip: profile.externalIp,
			connection_ip: host.localIp,
			mac_address: host.macAddress,
			connection_mac_address: host.macAddress,
			first_seen: falconTime(state.firstSeenAt),
			last_seen: falconTime(state.online ? now - profile.lastSeenLagMs : state.since),
			modified_timestamp: falconTime(state.modifiedAt),
			tags: [...state.tags],
			groups: [...profile.groups],
			host_hidden_status: state.hidden ? 'hidden' : 'visible',
			detection_suppression_status: state.suppressed ? 'suppressed' : '',
			filesystem_containment_status: 'normal',
			reduced_functionality_mode: 'no',
		};
	}

	summary(): HostSummary[] {
		return this.all().map((s) => ({
			device_id: s.host.aid,
			hostname: s.host.hostname,
			platform_name: s.host.platform,
			online: s.online,
			status: s.containment.status,
			tags: [...s.tags],
			hidden: s.hidden,
			detection_suppressed: s.suppressed,
		}));
	}
}
