import type { ApiRequest } from './request';
import type { Faults } from './faults';
import type { ResolvedOptions } from './options';
import type { Route } from './router';
import { InstallationTokens } from './installationTokens';
import { buildFleet, type FleetHost } from './rtr/fleet';
import { RealTimeResponse } from './rtr/realTimeResponse';
import { EventGenerator, EventStore, isDetectionEvent } from './events';
import { EventStreams, type StreamState } from './eventStreams';
import { HostsApi } from './hosts/hostsApi';
import type { HostSummary } from './hosts/registry';
import { AlertsApi } from './alerts/alertsApi';
import type { AlertSummary } from './alerts/store';

/** What the parent and every child tenant share: the server's faults, base URL and response headers. */
export interface TenantContext {
	faults: Faults;
	baseUrl: () => string;
	headers: (req: ApiRequest) => Record<string, string>;
}

/** One tenant's data, as `state().tenants[cid]` shows it. */
export interface TenantState {
	cid: string;
	installationTokens: number;
	rtr: { sessions: number; commands: number; batches: number };
	streams: StreamState;
	hosts: HostSummary[];
	alerts: AlertSummary[];
}

export interface InjectedEvent {
	partition: number;
	offset: number;
	/** Detections only: the event's (possibly generated) CompositeId = the alert's composite_id. */
	compositeId?: string;
	/** Detections only: the event's AgentId = the alert's agent_id. */
	agentId?: string;
}

/**
 * Everything Falcon keeps per customer: the fleet, installation tokens, RTR sessions, hosts, alerts and the event
 * stream. The parent client's CID is one tenant, each child another; `settings.seed` and `settings.cid` are the
 * tenant's own, so two children never share a host, a token or an event.
 */
export class Tenant {
	readonly fleet: FleetHost[];
	private readonly tokens: InstallationTokens;
	private readonly rtr: RealTimeResponse;
	private readonly hosts: HostsApi;
	private readonly alerts: AlertsApi;
	private readonly store: EventStore;
	private readonly streams: EventStreams;
	private cachedRoutes?: Route[];

	constructor(
		readonly cid: string,
		settings: ResolvedOptions,
		shared: TenantContext,
	) {
		this.fleet = buildFleet(settings.seed, settings.fleetSize);
		this.tokens = new InstallationTokens(settings.seed, settings.seedInstallationTokens, cid);
		this.rtr = new RealTimeResponse(this.fleet, shared.faults, settings);
		this.hosts = new HostsApi(this.fleet, shared.faults, settings);
		// Alerts are kept as long as events are: at most maxRetainedEvents per partition.
		this.alerts = new AlertsApi(
			settings.seed,
			cid,
			(aid) => this.hosts.record(aid),
			settings.maxRetainedEvents * settings.partitions,
		);
		this.store = new EventStore(settings.partitions, cid, settings.maxRetainedEvents);
		// Before the feeds subscribe: an alert (and a CompositeId filled into the event) exists before any feed sends it.
		this.store.subscribe((partition, event) => this.alerts.onEvent(partition, event));
		const generator = new EventGenerator(settings.seed, this.fleet, cid);
		this.streams = new EventStreams(
			this.store,
			generator,
			shared.faults,
			settings,
			shared.baseUrl,
			shared.headers,
		);
	}

	/** The same routes, in the same order, for every tenant: the server dispatches a request to its tenant's. */
	routes(): Route[] {
		this.cachedRoutes ??= [
			...this.tokens.routes(),
			...this.rtr.routes(),
			...this.streams.routes(),
			...this.hosts.routes(),
			...this.alerts.routes(),
		];
		return this.cachedRoutes;
	}

	/** Whether a feed's `Token` credential was handed out by this tenant's discovery. */
	issuedFeedToken(token: string): boolean {
		return this.streams.issuedSessionToken(token);
	}

	/** Appends an event; for a detection also raises its alert and returns the event's CompositeId and AgentId. */
	inject(e: { eventType: string; event?: object; partition?: number; createdAt?: number }): InjectedEvent {
		const placed = this.streams.inject(e);
		if (!isDetectionEvent(e.eventType)) return placed;
		const event = this.store.at(placed.partition, placed.offset)?.event ?? {};
		return {
			...placed,
			compositeId: String(event.CompositeId),
			agentId: String(event.AgentId ?? event.SensorId),
		};
	}

	state(): TenantState {
		return {
			cid: this.cid,
			installationTokens: this.tokens.count(),
			rtr: this.rtr.counts(),
			streams: this.streams.state(),
			hosts: this.hosts.state(),
			alerts: this.alerts.state(),
		};
	}

	/** Back to the seeded start. Call after the faults were reset: hosts take the seeded connectivity again. */
	reset(): void {
		this.tokens.reset();
		this.rtr.reset();
		this.alerts.reset();
		this.streams.restart();
		this.hosts.reset();
	}

	shutdown(): void {
		this.streams.shutdown();
	}
}
