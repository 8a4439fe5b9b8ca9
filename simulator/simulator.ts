import type { Server } from './nodeHttp';
import { resolveOptions, type SimulatorOptions } from './options';
import { Faults, type FaultConfig } from './faults';
import { Random } from './random';
import { RateLimiter } from './rateLimit';
import { OAuthServer, type IssuedToken } from './oauth';
import { RequestLog, type RequestLogEntry } from './requestLog';
import { Router } from './router';
import { createApiServer, listen, standardHeaders } from './server';
import { InstallationTokens } from './installationTokens';
import { controlRoutes } from './control';
import { buildFleet, type FleetHost } from './rtr/fleet';
import { RealTimeResponse } from './rtr/realTimeResponse';
import { EventGenerator, EventStore, isDetectionEvent } from './events';
import { EventStreams, type StreamState } from './eventStreams';
import { HostsApi } from './hosts/hostsApi';
import type { HostSummary } from './hosts/registry';
import { AlertsApi } from './alerts/alertsApi';
import type { AlertSummary } from './alerts/store';

export interface SimulatorState {
	url: string;
	cid: string;
	requests: RequestLogEntry[];
	tokensIssued: IssuedToken[];
	memberCidsSeen: string[];
	faults: FaultConfig;
	installationTokens: number;
	rtr: { sessions: number; commands: number; batches: number };
	streams: StreamState;
	/** Every fleet host: connectivity, containment `status`, `tags`, hidden / detection-suppressed flags. */
	hosts: HostSummary[];
	/** Every alert raised by a detection event, oldest first: status, tags, assignment, comments. */
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

export interface RunningSimulator {
	/** Base URL, e.g. http://127.0.0.1:PORT (no trailing slash). */
	url: string;
	clientId: string;
	clientSecret: string;
	/** The client's own CID (upper-case hex). */
	cid: string;
	/** The seeded fleet (seeded online flags; setFaults({offlineHosts, onlineHosts}) changes that at runtime). */
	fleet: FleetHost[];
	setFaults(f: Partial<FaultConfig>): void;
	/** Appends an event; for a detection also raises its alert and returns the event's CompositeId and AgentId. */
	injectEvent(e: { eventType: string; event?: object; partition?: number }): InjectedEvent;
	state(): SimulatorState;
	reset(): void;
	close(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
	const resolved = resolveOptions(options);
	const faults = new Faults(resolved.faults);
	const rateLimiter = new RateLimiter(resolved.rateLimitPerMinute);
	const log = new RequestLog();
	const fleet = buildFleet(resolved.seed, resolved.fleetSize);
	const oauth = new OAuthServer(resolved);
	const tokens = new InstallationTokens(resolved.seed, resolved.seedInstallationTokens);
	const rtr = new RealTimeResponse(fleet, faults, resolved);
	let traceIds = new Random(resolved.seed, 'trace');
	let url = '';
	const hosts = new HostsApi(fleet, faults, resolved);
	// Alerts are kept as long as events are: at most maxRetainedEvents per partition.
	const alerts = new AlertsApi(resolved.cid, (aid) => hosts.record(aid), resolved.maxRetainedEvents * resolved.partitions);
	const store = new EventStore(resolved.partitions, resolved.cid, resolved.maxRetainedEvents);
	// Before the feeds subscribe: an alert (and a CompositeId filled into the event) exists before any feed sends it.
	store.subscribe((partition, event) => alerts.onEvent(partition, event));
	const generator = new EventGenerator(resolved.seed, fleet, resolved.cid);
	const streams = new EventStreams(store, generator, faults, resolved, () => url, (req) => standardHeaders({ rateLimiter }, req));

	const running: RunningSimulator = {
		get url() {
			return url;
		},
		clientId: resolved.clientId,
		clientSecret: resolved.clientSecret,
		cid: resolved.cid,
		fleet: fleet.map((h) => ({ ...h })),
		setFaults: (f) => faults.set(f),
		injectEvent: (e) => {
			const placed = streams.inject(e);
			if (!isDetectionEvent(e.eventType)) return placed;
			const event = store.at(placed.partition, placed.offset)?.event ?? {};
			return { ...placed, compositeId: String(event.CompositeId), agentId: String(event.AgentId ?? event.SensorId) };
		},
		state: () => ({
			url,
			cid: resolved.cid,
			requests: log.all(),
			tokensIssued: oauth.issued(),
			memberCidsSeen: [...oauth.memberCidsSeen],
			faults: faults.current(),
			installationTokens: tokens.count(),
			rtr: rtr.counts(),
			streams: streams.state(),
			hosts: hosts.state(),
			alerts: alerts.state(),
		}),
		reset: () => {
			oauth.reset();
			tokens.reset();
			rtr.reset();
			alerts.reset();
			streams.restart();
			traceIds = new Random(resolved.seed, 'trace');
			faults.reset();
			// After the faults: hosts start from the seeded connectivity again.
			hosts.reset();
			rateLimiter.reset();
			log.clear();
		},
		close: () => {
			streams.shutdown();
			return closeServer(server);
		},
	};
	const api = new Router([
		{ method: 'POST', path: '/oauth2/token', auth: 'none', handler: (req) => oauth.issue(req) },
		{ method: 'POST', path: '/oauth2/revoke', auth: 'none', handler: (req) => oauth.revoke(req) },
		...tokens.routes(),
		...rtr.routes(),
		...streams.routes(),
		...hosts.routes(),
		...alerts.routes(),
	]);
	const control = new Router(
		controlRoutes({
			setFaults: running.setFaults,
			faults: () => faults.current(),
			injectEvent: (e) => running.injectEvent(e),
			state: () => running.state(),
			reset: () => running.reset(),
		}),
	);
	const server = createApiServer({
		api,
		control,
		faults,
		rateLimiter,
		log,
		oauth,
		nextTraceId: () => traceIds.uuid(),
	});
	// Stop the event generator if the port cannot be bound, so a failed start leaves nothing running.
	url = await listen(server, resolved.host, resolved.port).catch((error: Error) => {
		streams.shutdown();
		return Promise.reject(error);
	});
	return running;
}

function closeServer(server: Server): Promise<void> {
	return new Promise((resolve) => {
		server.close(() => resolve());
		server.closeAllConnections();
	});
}

