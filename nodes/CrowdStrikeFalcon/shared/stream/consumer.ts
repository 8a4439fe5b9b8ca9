import { NodeApiError } from 'n8n-workflow';

import { sleep } from '../sleep';
import type { FalconContext } from '../transport/falconRequest';
import { tokenRefusalOf } from '../transport/memberRequest';
import { backoffDelay, type BackoffPolicy } from './backoff';
import { runConnection, type ConnectionEnd } from './connection';
import { discoverStreams, type StreamFormat, type StreamSession } from './discovery';
import type { StreamEvent } from './events';
import type { FeedContext, FeedStart } from './feed';
import { describeStreamFailure, isConfigurationFailure, SCOPE_HINT, StreamConfigurationError } from './failures';

export interface ConsumerHooks {
	/**
	 * Called once per offset, in order. A returned promise is awaited: the partition's feed is not read while it is
	 * pending. Return nothing when there is nothing to wait for. `receivedAt`: when its bytes arrived (epoch ms).
	 */
	onEvent(partition: number, event: StreamEvent, receivedAt: number): Promise<void> | void;
	/**
	 * After each discovery: Falcon's clock less this server's, from its answer (see discoverStreams), also when it
	 * offered no stream; undefined when it failed.
	 */
	onDiscovered?(falconAheadMs: number | undefined): void;
	/** Something went wrong that a reconnect should fix; the consumer is already on it. */
	onTransientFailure(partition: number | undefined, reason: string): void;
	onConnected?(partition: number): void;
	onRefreshed?(partition: number): void;
	onUnreadableLine?(partition: number, problem: 'oversized' | 'malformed', detail: string): void;
	/** A known partition discovery left out at every recheck: taken for gone (see `knownPartitions`). */
	onPartitionGone?(partition: number): void;
}

export interface ConsumerOptions {
	api: FalconContext;
	/**
	 * The child tenant (member CID) whose stream this is: discovery and refreshes go out with a token minted for it.
	 * Undefined: the tenant of the node's credential.
	 */
	memberCid?: string;
	feed: FeedContext;
	appId: string;
	format?: StreamFormat;
	eventTypes: string[];
	/**
	 * Where a partition starts when this consumer has not read from it yet; `firstRound`: in the round of the
	 * consumer's first discovery (a partition first offered later was there all along, or came since).
	 */
	startFor(partition: number, firstRound: boolean): FeedStart;
	watchdogMs: number;
	/** Fraction of refreshActiveSessionInterval after which the session is refreshed (0.9). */
	refreshAt: number;
	backoff: BackoffPolicy;
	/** Discovery returning no streams for this long is reported as a configuration problem. */
	emptyDiscoveryLimitMs: number;
	maxLineBytes?: number;
	/** Only these partitions (all when undefined). */
	partitions?: number[];
	/**
	 * Partitions known to exist before the first discovery (those an earlier activation followed). With the ones any
	 * discovery offered, a round that lacks one of them asks discovery again after a wait: 1, 2, 4, 8 and then 16
	 * times the back-off's longest wait (at least a second) for the 1st to 5th round in a row without it; still
	 * missing at the fifth recheck, the partition is taken for gone until a discovery offers it again.
	 */
	knownPartitions?: Iterable<number>;
	signal: AbortSignal;
	hooks: ConsumerHooks;
}

/** A round that delivered events or lived this long was healthy: the next failure starts the back-off over. */
export const HEALTHY_ROUND_MS = 30_000;
/** The shortest wait before discovery is asked again for a left-out partition (an object, for tests). */
export const partitionRecheck = { minMs: 1_000 };
/** Rechecks 1, 2, 4, 8 and 16 times the wait: about half an hour with the default 60 s. */
const PARTITION_RECHECKS = 5;

/** Why a round ended, and on which partition (as the transient failure reports it). */
interface RoundEnd {
	partition: number;
	reason: string;
}

/**
 * Follows every partition at once, in rounds: discover (fresh session tokens), open every partition's feed, and
 * when any of them ends (error, EOF, failed refresh, silence) close the others, back off with jitter and start a
 * new round, each partition resuming right after the last offset it read. Reconnecting all partitions together
 * matters: Falcon may refuse discovery to an App ID that still has a feed open, so one partition cannot be
 * rediscovered alone. `run` resolves when the signal aborts and rejects only with a StreamConfigurationError.
 */
export class StreamConsumer {
	/** Per partition, the offset after the last one read: where the next round resumes. */
	readonly nextOffsets = new Map<number, number>();
	/** The partitions of the latest discovery that this consumer follows. */
	partitionsSeen: number[] = [];

	private readonly stop = new AbortController();
	private emptySince: number | undefined;
	/** Rounds started: the first one runs the partitions of the first discovery. */
	private rounds = 0;
	/** Every partition this stream is known to have: a discovery may leave one out while a feed of it lingers. */
	private readonly knownPartitions: Set<number>;
	/** Per known partition, the rounds in a row discovery left it out: the wait before asking again doubles with each. */
	private readonly missedRounds = new Map<number, number>();

	constructor(private readonly options: ConsumerOptions) {
		this.knownPartitions = new Set([...(options.knownPartitions ?? [])].filter((partition) => this.wants(partition)));
		if (options.signal.aborted) this.stop.abort();
		options.signal.addEventListener('abort', () => this.stop.abort(), { once: true });
	}

	async run(): Promise<void> {
		let attempt = 0;
		while (!this.stop.signal.aborted) {
			const sessions = await this.discoverUntilStreams();
			if (sessions.length === 0) return;
			const startedAt = Date.now();
			this.rounds++;
			const { ended, events } = await this.runRound(sessions, this.missingFrom(sessions));
			if (this.stop.signal.aborted) return;
			if (events > 0 || Date.now() - startedAt > HEALTHY_ROUND_MS) attempt = 0;
			this.options.hooks.onTransientFailure(ended.partition, ended.reason);
			if (!(await pause(backoffDelay(attempt++, this.options.backoff), this.stop.signal))) return;
		}
	}

	/**
	 * Runs every offered partition until one ends. When discovery left out a known partition, the round also ends
	 * after a wait (doubling while it stays away), so that a new discovery can offer it: Falcon may refuse discovery
	 * while a feed of the App ID is open, so no partition can be asked for alone.
	 */
	private async runRound(sessions: StreamSession[], missing: number[]): Promise<{ ended: RoundEnd; events: number }> {
		const round = new AbortController();
		const stopRound = () => round.abort();
		this.stop.signal.addEventListener('abort', stopRound, { once: true });
		let ended: RoundEnd | undefined;
		const endRound = (end: RoundEnd) => {
			ended ??= end;
			round.abort();
		};
		let events = 0;
		if (missing.length > 0) {
			const waitMs = this.recheckDelay();
			void pause(waitMs, round.signal).then((due) => {
				if (!due) return;
				endRound({
					partition: missing[0],
					reason: `discovery left out partition ${missing.join(', ')} for ${Math.round(waitMs / 1000)} s; asking again`,
				});
			});
		}
		try {
			await Promise.all(
				sessions.map(async (session) => {
					const end = await this.connect(session, round.signal);
					events += end.events;
					if (end.reason !== 'aborted') endRound({ partition: session.partition, reason: describeEnd(end) });
				}),
			);
		} finally {
			this.stop.signal.removeEventListener('abort', stopRound);
		}
		return { ended: ended ?? { partition: sessions[0].partition, reason: describeEnd({ reason: 'aborted' }) }, events };
	}

	/** 1, 2, 4 … times the wait, by the rounds in a row the longest-missing partition was left out. */
	private recheckDelay(): number {
		const base = Math.max(this.options.backoff.maxMs, partitionRecheck.minMs);
		return base * 2 ** (Math.max(...this.missedRounds.values()) - 1);
	}

	/**
	 * Known partitions this discovery did not offer; the ones it offered are known from now on. One left out of
	 * every round for `PARTITION_RECHECKS` rounds is forgotten: feeds are not cut for good for a partition gone.
	 */
	private missingFrom(sessions: StreamSession[]): number[] {
		const offered = new Set(sessions.map((session) => session.partition));
		const missing: number[] = [];
		for (const partition of new Set([...this.knownPartitions, ...offered])) {
			if (offered.has(partition)) {
				this.knownPartitions.add(partition);
				this.missedRounds.delete(partition);
				continue;
			}
			const missed = (this.missedRounds.get(partition) ?? 0) + 1;
			if (missed > PARTITION_RECHECKS) {
				this.knownPartitions.delete(partition);
				this.missedRounds.delete(partition);
				this.options.hooks.onPartitionGone?.(partition);
				continue;
			}
			this.missedRounds.set(partition, missed);
			missing.push(partition);
		}
		return missing.sort((a, b) => a - b);
	}

	private wants(partition: number): boolean {
		return this.options.partitions === undefined || this.options.partitions.includes(partition);
	}

	private async connect(session: StreamSession, signal: AbortSignal) {
		const { partition } = session;
		const next = this.nextOffsets.get(partition);
		const start = next === undefined ? this.options.startFor(partition, this.rounds === 1) : { offset: next };
		// Read from an offset asked for (a restart resumes after the stored one), Falcon's events below it are repeats.
		if (next === undefined && 'offset' in start) this.nextOffsets.set(partition, start.offset);
		return await runConnection({
			api: this.options.api,
			memberCid: this.options.memberCid,
			feed: this.options.feed,
			appId: this.options.appId,
			session,
			start,
			eventTypes: this.options.eventTypes,
			watchdogMs: this.options.watchdogMs,
			refreshAt: this.options.refreshAt,
			maxLineBytes: this.options.maxLineBytes,
			signal,
			hooks: {
				onEvent: (event, receivedAt) => this.deliver(partition, event, receivedAt),
				onConnected: () => this.options.hooks.onConnected?.(partition),
				onRefreshed: () => this.options.hooks.onRefreshed?.(partition),
				onUnreadableLine: (problem, detail) => this.options.hooks.onUnreadableLine?.(partition, problem, detail),
			},
		});
	}

	private deliver(partition: number, event: StreamEvent, receivedAt: number): Promise<void> | void {
		const offset = event.metadata.offset;
		const next = this.nextOffsets.get(partition);
		// Falcon may repeat events around a reconnect; each offset goes to the workflow once, and none below the start.
		if (next !== undefined && offset < next) return;
		this.nextOffsets.set(partition, offset + 1);
		return this.options.hooks.onEvent(partition, event, receivedAt);
	}

	/** Discovery until it offers the wanted partitions; [] only when stopped. */
	private async discoverUntilStreams(): Promise<StreamSession[]> {
		let attempt = 0;
		while (!this.stop.signal.aborted) {
			const sessions = await this.discover();
			const wanted = (sessions ?? []).filter((session) => this.wants(session.partition));
			if (wanted.length > 0) {
				this.partitionsSeen = wanted.map((session) => session.partition);
				return wanted;
			}
			if (sessions && sessions.length > 0) {
				throw new StreamConfigurationError(
					this.options.api.getNode(),
					`Falcon offers partitions ${sessions.map((session) => session.partition).join(', ')}, not the requested ${this.options.partitions?.join(', ')}`,
				);
			}
			if (!(await pause(backoffDelay(attempt++, this.options.backoff), this.stop.signal))) break;
		}
		return [];
	}

	/**
	 * One discovery. Transient failures and empty answers return undefined or [] (the caller backs off);
	 * configuration failures, and empty answers for longer than the limit, throw.
	 */
	private async discover(): Promise<StreamSession[] | undefined> {
		const startedAt = Date.now();
		let sessions: StreamSession[];
		let falconAheadMs: number;
		try {
			({ sessions, falconAheadMs } = await discoverStreams.call(this.options.api, this.options.appId, {
				format: this.options.format,
				abortSignal: this.stop.signal,
				memberCid: this.options.memberCid,
			}));
		} catch (error) {
			if (this.stop.signal.aborted) return undefined;
			if (isConfigurationFailure(error)) throw this.configurationError(error);
			this.options.hooks.onDiscovered?.(undefined);
			this.options.hooks.onTransientFailure(undefined, `discovery failed: ${describeStreamFailure(error)}`);
			return undefined;
		}
		this.options.hooks.onDiscovered?.(falconAheadMs);
		if (sessions.length > 0) {
			this.emptySince = undefined;
			return sessions;
		}
		this.emptySince ??= startedAt;
		const emptyForMs = Date.now() - this.emptySince;
		if (emptyForMs >= this.options.emptyDiscoveryLimitMs) {
			throw new StreamConfigurationError(
				this.options.api.getNode(),
				`Falcon offers no event stream to App ID "${this.options.appId}" (for ${Math.round(emptyForMs / 1000)} s)`,
				{
					description:
						'Another consumer is probably connected with the same App ID (only one may be), or one stopped less than a few minutes ago. Give each workflow its own App ID. If no other consumer exists, check that Event Streams are enabled for this CID (US-GOV-1 tenants may need CrowdStrike support to enable them).',
				},
			);
		}
		this.options.hooks.onTransientFailure(
			undefined,
			`discovery offered no stream to App ID "${this.options.appId}" (in use elsewhere, or just released)`,
		);
		return sessions;
	}

	private configurationError(error: unknown): StreamConfigurationError {
		if (error instanceof StreamConfigurationError) return error;
		// A child's token was refused: its own description (is this a child of the parent?) says more than a scope hint.
		const refusal = tokenRefusalOf(error);
		if (refusal) {
			return new StreamConfigurationError(this.options.api.getNode(), refusal.message, {
				description: refusal.description ?? undefined,
			});
		}
		const status = (error as { httpCode?: string }).httpCode;
		const description =
			status === '403'
				? SCOPE_HINT
				: status === '400'
					? `Falcon rejected the request; check the App ID "${this.options.appId}" (1 to 32 letters or digits).`
					: 'Check the credential: client ID, secret, cloud and member CID.';
		const failure = new StreamConfigurationError(this.options.api.getNode(), describeStreamFailure(error), { description });
		if (error instanceof NodeApiError) failure.falconError = error;
		return failure;
	}
}

function describeEnd(ended: ConnectionEnd): string {
	switch (ended.reason) {
		case 'eof':
			return 'the feed ended (EOF)';
		case 'silence':
			return 'the feed went silent past the watchdog';
		case 'refreshFailed':
			return `the session refresh failed: ${describeStreamFailure(ended.error)}`;
		case 'error':
			return `the feed failed: ${describeStreamFailure(ended.error)}`;
		default:
			return ended.reason;
	}
}

/** Sleeps; false when the signal aborted first. */
async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
	try {
		await sleep(ms, signal);
		return true;
	} catch {
		return false;
	}
}
