/** Failure modes the simulator can be told to produce, at start (options.faults) or at runtime (setFaults). */
export interface FaultConfig {
	/** Added latency (ms) before every API response. */
	latencyMs: number;
	/** The next N API requests (any path, including /oauth2/token and the feed) get 429. */
	rateLimitNext: number;
	/** Every API request gets 429 for this many ms, counted from when the knob is set. */
	rateLimitForMs: number;
	/** Requests whose path starts with pathPrefix get `status` (default 500), `count` times (after `after` pass). */
	serverErrors: ServerErrorFault[];
	/** The next N stream discovery calls return an empty resources array. */
	emptyDiscovery: number;
	/** The next N stream discovery calls leave out the last partition (as if another consumer still held it). */
	partialDiscovery: number;
	/** The next N feed connection attempts get 401. */
	feed401: number;
	/** The next N feed connection attempts are accepted and never answered (no status line, no headers). */
	feedUnanswered: number;
	/** The next N session refresh calls get 503. */
	refresh5xx: number;
	/** The next N event lines written to any feed are cut in half and the socket is destroyed. */
	dropFeedMidLine: number;
	/** The next n archive downloads (RTR_GetExtractedFileContents) send half the archive, then the socket is destroyed. */
	cutDownloads: number;
	/** While true, open feeds write nothing at all: no events, no keep-alive lines. */
	feedSilence: boolean;
	/** While true, eventsPerSecond generation is paused (open feeds stay open; injection still works). */
	pauseEventGeneration: boolean;
	/** Host AIDs that are offline regardless of the seeded fleet (e.g. to take a host down mid-batch). */
	offlineHosts: string[];
	/** Host AIDs that are online although the seeded fleet has them offline (offlineHosts wins when both list one). */
	onlineHosts: string[];
	/** Commands whose base_command is listed (or '*') never reach complete: true. */
	neverCompleteCommands: string[];
	/** Commands sent to these host AIDs never reach complete: true. */
	neverCompleteHosts: string[];
	/** Member CIDs whose token requests get 403 (as for a child the parent no longer manages); tokens issued earlier keep working. */
	refusedMemberCids: string[];
	/**
	 * How far Falcon's clock is ahead of this machine's (ms; negative: behind): new events' `eventCreationTime` and
	 * every answer's `Date` header read it, as a client's clock differs from Falcon's.
	 */
	clockAheadMs: number;
	/** Feeds opened at an offset also send this many retained events before it, as Falcon may around a reconnect. */
	feedRepeatsBefore: number;
}

export interface ServerErrorFault {
	pathPrefix: string;
	count: number;
	status?: number;
	/** This many matching requests go through before the first failure (e.g. to fail only a second call). */
	after?: number;
	/** The request is carried out, then answered with the error (a gateway that timed out after Falcon acted). */
	afterActing?: boolean;
}

export function defaultFaults(): FaultConfig {
	return {
		latencyMs: 0,
		rateLimitNext: 0,
		rateLimitForMs: 0,
		serverErrors: [],
		emptyDiscovery: 0,
		partialDiscovery: 0,
		feed401: 0,
		feedUnanswered: 0,
		refresh5xx: 0,
		dropFeedMidLine: 0,
		cutDownloads: 0,
		feedSilence: false,
		pauseEventGeneration: false,
		offlineHosts: [],
		onlineHosts: [],
		neverCompleteCommands: [],
		neverCompleteHosts: [],
		refusedMemberCids: [],
		clockAheadMs: 0,
		feedRepeatsBefore: 0,
	};
}

type Counter =
	| 'rateLimitNext'
	| 'emptyDiscovery'
	| 'partialDiscovery'
	| 'feed401'
	| 'feedUnanswered'
	| 'refresh5xx'
	| 'dropFeedMidLine'
	| 'cutDownloads';

/** Told just before and just after the knobs change (e.g. hosts going on- or offline). */
export interface FaultWatcher {
	beforeChange(): void;
	afterChange(): void;
}

/** Holds the active faults and consumes the counted ones. */
export class Faults {
	private config: FaultConfig = defaultFaults();
	private rateLimitUntil = 0;
	private watchers: FaultWatcher[] = [];

	constructor(initial?: Partial<FaultConfig>) {
		if (initial) this.set(initial);
	}

	watch(watcher: FaultWatcher): void {
		this.watchers.push(watcher);
	}

	set(patch: Partial<FaultConfig>): void {
		this.change(() => {
			const next = { ...this.config, ...patch };
			if (patch.serverErrors) next.serverErrors = patch.serverErrors.map((f) => ({ ...f }));
			this.config = next;
			if (patch.rateLimitForMs !== undefined) {
				this.rateLimitUntil = patch.rateLimitForMs > 0 ? Date.now() + patch.rateLimitForMs : 0;
			}
		});
	}

	reset(): void {
		this.change(() => {
			this.config = defaultFaults();
			this.rateLimitUntil = 0;
		});
	}

	private change(apply: () => void): void {
		this.watchers.forEach((w) => w.beforeChange());
		apply();
		this.watchers.forEach((w) => w.afterChange());
	}

	current(): FaultConfig {
		return {
			...this.config,
			rateLimitForMs: Math.max(0, this.rateLimitUntil - Date.now()),
			serverErrors: this.config.serverErrors.map((f) => ({ ...f })),
			offlineHosts: [...this.config.offlineHosts],
			onlineHosts: [...this.config.onlineHosts],
			neverCompleteCommands: [...this.config.neverCompleteCommands],
			neverCompleteHosts: [...this.config.neverCompleteHosts],
			refusedMemberCids: [...this.config.refusedMemberCids],
		};
	}

	get latencyMs(): number {
		return this.config.latencyMs;
	}

	get feedSilence(): boolean {
		return this.config.feedSilence;
	}

	get pauseEventGeneration(): boolean {
		return this.config.pauseEventGeneration;
	}

	get feedRepeatsBefore(): number {
		return this.config.feedRepeatsBefore;
	}

	/** The time on Falcon's clock (epoch ms): see clockAheadMs. */
	falconNow(): number {
		return Date.now() + this.config.clockAheadMs;
	}

	/** True (and one use consumed) when a counted fault is armed. */
	take(counter: Counter): boolean {
		if (this.config[counter] <= 0) return false;
		this.config[counter] -= 1;
		return true;
	}

	takeRateLimit(): boolean {
		return this.take('rateLimitNext') || Date.now() < this.rateLimitUntil;
	}

	/** How to fail this path, if a server-error fault matches (one use consumed). */
	takeServerError(path: string): { status: number; afterActing: boolean } | undefined {
		const fault = this.config.serverErrors.find((f) => f.count > 0 && path.startsWith(f.pathPrefix));
		if (!fault) return undefined;
		if (fault.after) {
			fault.after -= 1;
			return undefined;
		}
		fault.count -= 1;
		return { status: fault.status ?? 500, afterActing: fault.afterActing === true };
	}

	isHostForcedOffline(aid: string): boolean {
		return this.config.offlineHosts.includes(aid);
	}

	isHostForcedOnline(aid: string): boolean {
		return this.config.onlineHosts.includes(aid);
	}

	refusesMember(memberCid: string): boolean {
		const cid = memberCid.split('-')[0].toLowerCase();
		return this.config.refusedMemberCids.some((refused) => refused.split('-')[0].toLowerCase() === cid);
	}

	commandNeverCompletes(baseCommand: string, aid: string): boolean {
		const commands = this.config.neverCompleteCommands;
		return commands.includes('*') || commands.includes(baseCommand) || this.config.neverCompleteHosts.includes(aid);
	}
}
