import type { FaultConfig } from './faults';
import { buildChildren, DEFAULT_CHILD_COUNT, type ChildOption, type ChildRecord } from './mssp/children';
import { Random } from './random';

export const DEFAULT_CLIENT_ID = 'simulator-client';
export const DEFAULT_CLIENT_SECRET = 'simulator-secret';
export const DEFAULT_SEED = 1;

export interface SimulatorOptions {
	/** Interface to listen on. Default 127.0.0.1. */
	host?: string;
	/** Port; 0 picks a free one. Default 0. */
	port?: number;
	/** Seed for every generated id, the fleet, canned output and event content. Default 1. */
	seed?: number;
	clientId?: string;
	clientSecret?: string;
	/** Value of the X-CS-Region header on token responses. Default 'us-1'. */
	region?: string;
	/** CID the client belongs to (32 hex, upper case). Default derived from the seed. */
	cid?: string;
	/** OAuth2 access token lifetime (expires_in). Default 1799. */
	tokenLifetimeSeconds?: number;
	/** Requests allowed per sliding minute before 429. Default 6000. */
	rateLimitPerMinute?: number;
	/** RTR sessions expire after this much idle time. Default 600. */
	sessionIdleSeconds?: number;
	/** An RTR command reports complete: true this long after it was issued. Default 1500. */
	commandCompleteAfterMs?: number;
	/** A `get` file becomes downloadable (sha256 in batch status, complete in ListFilesV2) this long after the command completes. Default 1000. */
	fileUploadAfterMs?: number;
	/** RTR stdout is split into chunks of this many characters, one per sequence_id. Default 8192. */
	outputChunkSize?: number;
	/** Number of hosts in the seeded fleet (at least 6). Default 12. */
	fleetSize?: number;
	/** Event stream partitions returned by discovery. Default 1. */
	partitions?: number;
	/** Generated events per second, spread over the partitions. Default 0 (only injected events). */
	eventsPerSecond?: number;
	/** A blank line is written on idle feeds this often. Default 10000. */
	keepAliveMs?: number;
	/** refreshActiveSessionInterval; an open feed is closed if not refreshed within it. Default 1800. */
	refreshIntervalSeconds?: number;
	/** Lifetime of the feed sessionToken (governs opening a feed). Default 300. */
	feedTokenLifetimeSeconds?: number;
	/** After the last feed of an appId closes, discovery for that appId stays empty this long. Default 0. */
	appIdReleaseMs?: number;
	/** Pre-create a handful of installation tokens (valid, expired, revoked, never-expiring). Default true. */
	seedInstallationTokens?: boolean;
	/** Events kept per partition for replay. Default 100000. */
	maxRetainedEvents?: number;
	/** A host action (contain, lift_containment) stays pending this long before it completes; offline hosts stay pending until back online. Default 2000. */
	containmentDelayMs?: number;
	/**
	 * Child tenants the client manages as an MSSP (Flight Control) parent: a count of seeded children, or a list
	 * whose missing cid/name/status are seeded. Each child has its own fleet, installation tokens, RTR sessions,
	 * hosts, alerts and event stream. Default 3.
	 */
	children?: number | ChildOption[];
	/** Generated events per second on each child's stream, unless the child sets its own. Default 0. */
	childEventsPerSecond?: number;
	/**
	 * Whether a token is issued for any well-formed member_cid (the child joins the list on its first token)
	 * instead of 403 for a CID the parent does not manage. Default: true when `children` is not given, so clients
	 * written before children existed keep working; false when it is.
	 */
	acceptAnyMemberCid?: boolean;
	faults?: Partial<FaultConfig>;
}

export type ResolvedOptions = Required<Omit<SimulatorOptions, 'faults' | 'children'>> & {
	faults: Partial<FaultConfig>;
	children: ChildRecord[];
};

export function resolveOptions(options: SimulatorOptions = {}): ResolvedOptions {
	const seed = options.seed ?? DEFAULT_SEED;
	const cid = options.cid ?? cidFromSeed(seed);
	return {
		host: options.host ?? '127.0.0.1',
		port: options.port ?? 0,
		seed,
		clientId: options.clientId ?? DEFAULT_CLIENT_ID,
		clientSecret: options.clientSecret ?? DEFAULT_CLIENT_SECRET,
		region: options.region ?? 'us-1',
		cid,
		tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 1799,
		rateLimitPerMinute: options.rateLimitPerMinute ?? 6000,
		sessionIdleSeconds: options.sessionIdleSeconds ?? 600,
		commandCompleteAfterMs: options.commandCompleteAfterMs ?? 1500,
		fileUploadAfterMs: options.fileUploadAfterMs ?? 1000,
		outputChunkSize: Math.max(1, options.outputChunkSize ?? 8192),
		fleetSize: Math.max(6, options.fleetSize ?? 12),
		partitions: Math.max(1, options.partitions ?? 1),
		eventsPerSecond: options.eventsPerSecond ?? 0,
		keepAliveMs: options.keepAliveMs ?? 10000,
		refreshIntervalSeconds: options.refreshIntervalSeconds ?? 1800,
		feedTokenLifetimeSeconds: options.feedTokenLifetimeSeconds ?? 300,
		appIdReleaseMs: options.appIdReleaseMs ?? 0,
		seedInstallationTokens: options.seedInstallationTokens ?? true,
		maxRetainedEvents: options.maxRetainedEvents ?? 100000,
		containmentDelayMs: Math.max(0, options.containmentDelayMs ?? 2000),
		children: buildChildren(seed, cid, options.children ?? DEFAULT_CHILD_COUNT, options.childEventsPerSecond ?? 0),
		childEventsPerSecond: options.childEventsPerSecond ?? 0,
		acceptAnyMemberCid: options.acceptAnyMemberCid ?? options.children === undefined,
		faults: options.faults ?? {},
	};
}

function cidFromSeed(seed: number): string {
	return new Random(seed, 'cid').hex(32).toUpperCase();
}
