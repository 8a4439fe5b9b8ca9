import type { Server } from './nodeHttp';
import { resolveOptions, type SimulatorOptions } from './options';
import { Faults, type FaultConfig } from './faults';
import { Random } from './random';
import { RateLimiter } from './rateLimit';
import { OAuthServer, type IssuedToken } from './oauth';
import { RequestLog, type RequestLogEntry } from './requestLog';
import { Router } from './router';
import { ApiError } from './request';
import { createApiServer, listen, standardHeaders } from './server';
import { controlRoutes } from './control';
import type { FleetHost } from './rtr/fleet';
import type { StreamState } from './eventStreams';
import type { HostSummary } from './hosts/registry';
import type { AlertSummary } from './alerts/store';
import type { InjectedEvent, TenantState } from './tenant';
import { Tenants } from './tenants';
import { MsspApi } from './mssp/msspApi';
import { linkOf, type ChildLink } from './mssp/children';

export type { InjectedEvent } from './tenant';

export interface SimulatorState {
	url: string;
	cid: string;
	requests: RequestLogEntry[];
	tokensIssued: IssuedToken[];
	memberCidsSeen: string[];
	faults: FaultConfig;
	/** The parent tenant's data (the client's own CID), as before children existed. */
	installationTokens: number;
	rtr: { sessions: number; commands: number; batches: number };
	streams: StreamState;
	/** Every fleet host: connectivity, containment `status`, `tags`, hidden / detection-suppressed flags. */
	hosts: HostSummary[];
	/** Every alert raised by a detection event, oldest first: status, tags, assignment, comments. */
	alerts: AlertSummary[];
	/** The child links Flight Control lists (children that joined on their first token included). */
	children: ChildLink[];
	/** Every tenant's data by lower-case CID: the parent's and each child's. */
	tenants: Record<string, TenantState>;
}

/** A child tenant of the parent client, with its own seeded fleet. */
export interface SimulatorChild extends ChildLink {
	/** The child's CID (32 lower-case hex), as a node's Member CID takes it. */
	cid: string;
	fleet: FleetHost[];
}

export interface RunningSimulator {
	/** Base URL, e.g. http://127.0.0.1:PORT (no trailing slash). */
	url: string;
	clientId: string;
	clientSecret: string;
	/** The client's own CID (upper-case hex). */
	cid: string;
	/** The parent tenant's seeded fleet (seeded online flags; setFaults({offlineHosts, onlineHosts}) changes that at runtime). */
	fleet: FleetHost[];
	/** The configured child tenants (Flight Control), each with its fleet. */
	children: SimulatorChild[];
	setFaults(f: Partial<FaultConfig>): void;
	/**
	 * Appends an event to the parent's stream, or to the child's with `cid`; for a detection also raises its alert
	 * (in that tenant) and returns the event's CompositeId and AgentId. `createdAt` (epoch ms, default now) is its
	 * `eventCreationTime`: an event Falcon's backlog has held for a while.
	 */
	injectEvent(e: { eventType: string; event?: object; partition?: number; cid?: string; createdAt?: number }): InjectedEvent;
	/** A child's Flight Control link status (`inactive`: no longer listed as active; `active` again). */
	setChildStatus(cid: string, status: string): void;
	state(): SimulatorState;
	reset(): void;
	close(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
	const resolved = resolveOptions(options);
	const faults = new Faults(resolved.faults);
	const rateLimiter = new RateLimiter(resolved.rateLimitPerMinute);
	const log = new RequestLog();
	let traceIds = new Random(resolved.seed, 'trace');
	let url = '';
	const tenants = new Tenants(resolved, {
		faults,
		baseUrl: () => url,
		headers: (req) => standardHeaders({ rateLimiter, faults }, req),
	});
	const oauth = new OAuthServer(
		resolved,
		(memberCid) => !faults.refusesMember(memberCid) && tenants.admits(memberCid),
	);
	const mssp = new MsspApi(() => tenants.children());
	const tenantOf = (cid: string | undefined) => {
		const tenant = cid === undefined ? tenants.parent : tenants.of(cid);
		if (!tenant) throw new ApiError(400, `no tenant with CID '${cid}' (the parent's or a child's)`);
		return tenant;
	};

	const running: RunningSimulator = {
		get url() {
			return url;
		},
		clientId: resolved.clientId,
		clientSecret: resolved.clientSecret,
		cid: resolved.cid,
		fleet: tenants.parent.fleet.map((h) => ({ ...h })),
		children: resolved.children.map((child) => ({
			...linkOf(child),
			cid: child.child_cid,
			fleet: tenantOf(child.child_cid).fleet.map((h) => ({ ...h })),
		})),
		setFaults: (f) => faults.set(f),
		injectEvent: ({ cid, ...e }) => tenantOf(cid).inject(e),
		setChildStatus: (cid, status) => tenants.setChildStatus(cid, status),
		state: () => {
			const parent = tenants.parent.state();
			return {
				url,
				cid: resolved.cid,
				requests: log.all(),
				tokensIssued: oauth.issued(),
				memberCidsSeen: [...oauth.memberCidsSeen],
				faults: faults.current(),
				installationTokens: parent.installationTokens,
				rtr: parent.rtr,
				streams: parent.streams,
				hosts: parent.hosts,
				alerts: parent.alerts,
				children: tenants.children().map(linkOf),
				tenants: tenants.state(),
			};
		},
		reset: () => {
			oauth.reset();
			traceIds = new Random(resolved.seed, 'trace');
			faults.reset();
			// After the faults: hosts start from the seeded connectivity again.
			tenants.reset();
			rateLimiter.reset();
			log.clear();
		},
		close: () => {
			tenants.shutdown();
			return closeServer(server);
		},
	};
	const api = new Router([
		{ method: 'POST', path: '/oauth2/token', auth: 'none', handler: (req) => oauth.issue(req) },
		{ method: 'POST', path: '/oauth2/revoke', auth: 'none', handler: (req) => oauth.revoke(req) },
		...tenants.routes(),
		...mssp.routes(),
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
	// Stop the event generators if the port cannot be bound, so a failed start leaves nothing running.
	url = await listen(server, resolved.host, resolved.port).catch((error: Error) => {
		tenants.shutdown();
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

