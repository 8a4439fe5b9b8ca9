
import { sleep } from '../sleep';
import type { FalconContext } from '../transport/falconRequest';
import { temporaryAppId } from './appId';
import { StreamConsumer } from './consumer';
import type { ReceivedEvent } from './events';
import { StreamConfigurationError } from './failures';
import type { FeedContext, FeedStart } from './feed';

export type ReadStart =
	| { kind: 'offset'; all?: number; byPartition: Map<number, number> }
	| { kind: 'oldest' }
	/** The last `count` positions of each partition, up to where it ended when the read began. */
	| { kind: 'latest'; count: number };

export interface BoundedReadOptions {
	api: FalconContext;
	feed: FeedContext;
	appId: string;
	eventTypes: string[];
	/** Only these partitions (all when undefined). */
	partitions?: number[];
	start: ReadStart;
	/** Stop after this many events in total. */
	maxEvents: number;
	/** Stop after this long, whatever was read. */
	timeLimitMs: number;
	/** Stop when no event arrived for this long: the backlog is read. */
	idleMs: number;
	signal?: AbortSignal;
	/** Reconnect back-off; short, since the read is bounded anyway. */
	backoff?: { initialMs: number; maxMs: number };
	onTransientFailure?: (reason: string) => void;
}

export type StopReason = 'maxEvents' | 'timeLimit' | 'caughtUp' | 'cancelled';

export interface BoundedReadResult {
	events: ReceivedEvent[];
	/** Per partition, the offset to start the next read at (last read + 1, or where this read started). */
	nextOffsets: Record<string, number>;
	stoppedBecause: StopReason;
}

/**
 * Reads a bounded slice of the stream — for replay, backfill and scheduled polling — and stops at the first of:
 * the event count, the time limit, or the partitions going quiet.
 */
export async function readBoundedSlice(options: BoundedReadOptions): Promise<BoundedReadResult> {
	if (options.start.kind !== 'latest') {
		return await readSlice(options, startFromOffsets(options.start), undefined);
	}
	// Falcon has no "last N" query. A connection at the newest position shows where each partition ends (with
	// the first event that arrives), then the N positions before it are read, within the one Time Limit: the probe
	// gets at most half of it (a quiet partition would otherwise use it all and leave none for the read). The probe
	// has an App ID of its own: right after a consumer closes, Falcon can offer no stream to its App ID for a while
	// (offsets are the same under every App ID).
	const deadline = Date.now() + options.timeLimitMs;
	const probeMs = Math.ceil(options.timeLimitMs / 2);
	const probe = await readSlice(
		{ ...options, appId: temporaryAppId(), eventTypes: [], maxEvents: Number.MAX_SAFE_INTEGER, timeLimitMs: probeMs, idleMs: probeMs },
		() => ({ latest: true }),
		undefined,
		true,
	);
	const ends = new Map<number, number>();
	for (const { partition, offset } of probe.events) if (!ends.has(partition)) ends.set(partition, offset);
	if (ends.size === 0 || probe.stoppedBecause === 'cancelled') {
		return { events: [], nextOffsets: {}, stoppedBecause: probe.stoppedBecause };
	}
	const { counts, cut } = latestCounts(ends, options.start.count, options.maxEvents);
	const read = await readSlice(
		{ ...options, partitions: [...ends.keys()], timeLimitMs: Math.max(0, deadline - Date.now()) },
		(partition) => ({ offset: ends.get(partition)! - counts.get(partition)! }),
		ends,
	);
	return cut && read.stoppedBecause === 'caughtUp' ? { ...read, stoppedBecause: 'maxEvents' } : read;
}

/**
 * How many of its newest events each partition gets: N, or less when Max Events cannot hold N of each. Then each gets
 * an equal share, a partition holding fewer events handing the rest of its share to the others. Read from `end - N`
 * and cut at Max Events instead, a partition would keep its older events, and the partitions read last none.
 */
function latestCounts(ends: Map<number, number>, count: number, maxEvents: number): { counts: Map<number, number>; cut: boolean } {
	const fewestFirst = [...ends].map(([partition, end]) => [partition, Math.min(count, end)] as const).sort((a, b) => a[1] - b[1]);
	const counts = new Map<number, number>();
	let left = maxEvents;
	let cut = false;
	fewestFirst.forEach(([partition, wanted], index) => {
		const share = Math.min(wanted, Math.floor(left / (fewestFirst.length - index)));
		if (share < wanted) cut = true;
		counts.set(partition, share);
		left -= share;
	});
	return { counts, cut };
}

function startFromOffsets(start: Exclude<ReadStart, { kind: 'latest' }>): (partition: number) => FeedStart {
	if (start.kind === 'oldest') return () => ({ oldest: true });
	return (partition) => {
		const offset = start.byPartition.get(partition) ?? start.all;
		return offset === undefined ? { oldest: true } : { offset };
	};
}

async function readSlice(
	options: BoundedReadOptions,
	startFor: (partition: number) => FeedStart,
	/** Per partition, the first offset not to read (exclusive end). */
	ends: Map<number, number> | undefined,
	firstEventPerPartition = false,
): Promise<BoundedReadResult> {
	const stop = new AbortController();
	let stoppedBecause: StopReason | undefined;
	const finish = (reason: StopReason) => {
		stoppedBecause ??= reason;
		stop.abort();
	};
	const cancel = () => finish('cancelled');
	// Cancelled before it began (between two items, or during Latest's probe): nothing is read.
	if (options.signal?.aborted) cancel();
	else options.signal?.addEventListener('abort', cancel, { once: true });
	let feedOpened = false;
	let lastProblem: string | undefined;
	const events: ReceivedEvent[] = [];
	const done = new Set<number>();
	// Idle time counts from the first open feed: discovery, a busy App ID or a 429 wait before it are not "caught up".
	let lastActivity = Number.POSITIVE_INFINITY;
	const partitionsDone = (partition: number) => {
		done.add(partition);
		// A requested partition Falcon does not offer has nothing to wait for.
		const offered = consumer.partitionsSeen;
		const wanted = ends ? [...ends.keys()] : (options.partitions?.filter((candidate) => offered.includes(candidate)) ?? offered);
		if (wanted.length > 0 && wanted.every((candidate) => done.has(candidate))) finish('caughtUp');
	};
	const consumer = new StreamConsumer({
		api: options.api,
		feed: options.feed,
		appId: options.appId,
		eventTypes: options.eventTypes,
		partitions: options.partitions,
		startFor,
		watchdogMs: Math.max(options.idleMs * 4, 30_000),
		refreshAt: 0.9,
		backoff: options.backoff ?? { initialMs: 250, maxMs: 5_000 },
		emptyDiscoveryLimitMs: options.timeLimitMs,
		signal: stop.signal,
		hooks: {
			onConnected: () => {
				feedOpened = true;
				lastActivity = Date.now();
			},
			onEvent: async (partition, event) => {
				lastActivity = Date.now();
				if (stop.signal.aborted || done.has(partition)) return;
				const offset = event.metadata.offset;
				const end = ends?.get(partition);
				if (end !== undefined && offset >= end) return partitionsDone(partition);
				events.push({ partition, offset, data: event });
				if (firstEventPerPartition) partitionsDone(partition);
				if (end !== undefined && offset >= end - 1) partitionsDone(partition);
				if (events.length >= options.maxEvents) finish('maxEvents');
			},
			onTransientFailure: (_partition, reason) => {
				// Until a feed is open again (a reconnect's back-off, an App ID Falcon still holds), nothing is idle.
				lastActivity = Number.POSITIVE_INFINITY;
				lastProblem = reason;
				options.onTransientFailure?.(reason);
			},
		},
	});
	const timers = (async () => {
		const deadline = Date.now() + options.timeLimitMs;
		while (!stop.signal.aborted) {
			const now = Date.now();
			if (now >= deadline) return finish('timeLimit');
			if (now - lastActivity >= options.idleMs) return finish('caughtUp');
			try {
				await sleep(Math.min(100, deadline - now, Math.max(10, options.idleMs / 4)), stop.signal);
			} catch {
				return;
			}
		}
	})();
	try {
		if (!stop.signal.aborted) await consumer.run();
	} finally {
		stop.abort();
		options.signal?.removeEventListener('abort', cancel);
		await timers;
	}
	// "Time limit" with no event would read as a quiet stream: say that the stream was never read at all.
	if (!feedOpened && stoppedBecause === 'timeLimit') {
		throw new StreamConfigurationError(
			options.api.getNode(),
			`Nothing was read: no feed of the stream opened within the Time Limit${lastProblem ? ` (last: ${lastProblem})` : ''}`,
			{
				description: `Falcon offers no stream to an App ID another consumer holds, or one released a few minutes ago; App ID "${options.appId}".`,
			},
		);
	}
	const requested = options.start.kind === 'offset' ? [...options.start.byPartition.keys()] : [];
	const partitions = [...new Set([...requested, ...consumer.partitionsSeen])];
	return { events, nextOffsets: nextOffsetsOf(events, startFor, partitions), stoppedBecause: stoppedBecause ?? 'cancelled' };
}

function nextOffsetsOf(
	events: ReceivedEvent[],
	startFor: (partition: number) => FeedStart,
	partitions: number[],
): Record<string, number> {
	const next: Record<string, number> = {};
	for (const partition of partitions) {
		const start = startFor(partition);
		if ('offset' in start) next[String(partition)] = start.offset;
	}
	for (const { partition, offset } of events) {
		next[String(partition)] = Math.max(next[String(partition)] ?? 0, offset + 1);
	}
	return next;
}
