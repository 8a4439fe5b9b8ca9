
import { sleep } from '../sleep';
import type { FalconContext } from '../transport/falconRequest';
import { untilCancelled } from '../transport/untilCancelled';
import { refreshStreamSession, type StreamSession } from './discovery';
import { parseEventLine, type StreamEvent } from './events';
import { openFeed, type FeedContext, type FeedStart } from './feed';
import { feedChunks } from './feedChunks';
import { NdjsonSplitter } from './ndjson';

export interface ConnectionHooks {
	/**
	 * A returned promise is awaited: while it is pending the feed is not read (backpressure). Return nothing when
	 * there is nothing to wait for, and the next event follows without a trip through the microtask queue.
	 * `receivedAt` (epoch ms) is when the bytes holding the event arrived: the clock is read once per chunk.
	 */
	onEvent(event: StreamEvent, receivedAt: number): Promise<void> | void;
	onConnected?(): void;
	onRefreshed?(): void;
	onUnreadableLine?(problem: 'oversized' | 'malformed', detail: string): void;
}

export interface ConnectionOptions {
	api: FalconContext;
	/** The child tenant the session belongs to: refreshes need a token for it (see FalconRequest.memberCid). */
	memberCid?: string;
	feed: FeedContext;
	appId: string;
	session: StreamSession;
	start: FeedStart;
	eventTypes: string[];
	/** No byte (not even a keep-alive) for this long while waiting on the feed: reconnect. */
	watchdogMs: number;
	/** Refresh at this fraction of the session's refreshActiveSessionInterval. */
	refreshAt: number;
	maxLineBytes?: number;
	signal: AbortSignal;
	hooks: ConnectionHooks;
}

export type ConnectionEnd =
	| { reason: 'aborted' }
	| { reason: 'eof' }
	| { reason: 'silence' }
	| { reason: 'refreshFailed'; error: unknown }
	| { reason: 'error'; error: unknown };

/**
 * One connection to one partition's feed, from open to end: reads events, refreshes the session on its own timer
 * (whatever the traffic), and watches for silence. Never throws: it says why it ended, and the caller decides
 * how to reconnect.
 */
export async function runConnection(options: ConnectionOptions): Promise<ConnectionEnd & { events: number }> {
	const connection = new AbortController();
	const stop = () => connection.abort();
	options.signal.addEventListener('abort', stop, { once: true });
	let ended: ConnectionEnd | undefined;
	const end = (reason: ConnectionEnd) => {
		ended ??= reason;
		connection.abort();
	};
	const progress = { lastByteAt: Date.now(), waitingForBytes: false, events: 0 };
	// The feed request has no timeout (it is read for hours): a feed that accepts it and never answers (a hung proxy)
	// is as silent as one that stops sending, and given up as such.
	const answered = new AbortController();
	if (options.watchdogMs > 0) {
		sleep(options.watchdogMs, answered.signal).then(
			() => end({ reason: 'silence' }),
			() => undefined,
		);
	}
	try {
		const feed = await openFeed
			.call(options.feed, options.session, options.start, options.eventTypes, connection.signal)
			.catch((error: unknown) => {
				end({ reason: 'error', error });
				return undefined;
			})
			.finally(() => answered.abort());
		if (!feed) return { ...(ended ?? { reason: 'aborted' }), events: 0 };
		connection.signal.addEventListener('abort', () => feed.close(), { once: true });
		options.hooks.onConnected?.();
		void keepRefreshing(options, connection.signal, end);
		void watchSilence(options.watchdogMs, progress, connection.signal, end);
		await readEvents(options, feed.body, progress, connection.signal, end);
		const reason = options.signal.aborted ? { reason: 'aborted' as const } : (ended ?? { reason: 'aborted' as const });
		return { ...reason, events: progress.events };
	} finally {
		options.signal.removeEventListener('abort', stop);
		connection.abort();
	}
}

async function readEvents(
	options: ConnectionOptions,
	body: AsyncIterable<Uint8Array>,
	progress: { lastByteAt: number; waitingForBytes: boolean; events: number },
	signal: AbortSignal,
	end: (reason: ConnectionEnd) => void,
): Promise<void> {
	const splitter = new NdjsonSplitter(options.maxLineBytes);
	const chunks = feedChunks(body);
	// Checked before every event: a flag, rather than the signal's getter, which checks its receiver on each call.
	let stopped = signal.aborted;
	const stop = () => (stopped = true);
	signal.addEventListener('abort', stop, { once: true });
	try {
		for (;;) {
			let chunk = chunks.take();
			if (chunk === undefined) {
				progress.waitingForBytes = true;
				progress.lastByteAt = Date.now();
				const more = await chunks.wait();
				progress.waitingForBytes = false;
				if (!more) {
					end({ reason: 'eof' });
					return;
				}
				chunk = chunks.take()!;
			}
			const receivedAt = Date.now();
			progress.lastByteAt = receivedAt;
			for (const line of splitter.push(chunk)) {
				if (stopped) return;
				if (typeof line !== 'string') {
					if (line.kind === 'oversized') {
						options.hooks.onUnreadableLine?.('oversized', `a line of ${line.bytes} bytes was skipped`);
					}
					continue;
				}
				const event = parseEventLine(line);
				if (!event) {
					options.hooks.onUnreadableLine?.('malformed', `an unreadable line was skipped: ${line.slice(0, 120)}`);
					continue;
				}
				progress.events++;
				const wait = options.hooks.onEvent(event, receivedAt);
				// A wait may need another partition read on (an owed batch that spans it), and a round ends only once
				// every connection returns: it ends with the connection, the event stays with the delivery, which
				// takes it when it can, and the next round reads on after it.
				if (wait) await untilCancelled(wait, signal).catch(() => undefined);
			}
		}
	} catch (error) {
		end(signal.aborted ? { reason: 'aborted' } : { reason: 'error', error });
	} finally {
		signal.removeEventListener('abort', stop);
		progress.waitingForBytes = false;
		// A line cut by a dropped connection is never parsed: the reconnect asks for its offset again.
		splitter.reset();
		chunks.close();
	}
}

async function keepRefreshing(
	options: ConnectionOptions,
	signal: AbortSignal,
	end: (reason: ConnectionEnd) => void,
): Promise<void> {
	const everyMs = Math.max(10, options.session.refreshIntervalSeconds * 1000 * options.refreshAt);
	// The interval runs from when Falcon issued the session, not from when the feed opened.
	let dueAt = options.session.issuedAt + everyMs;
	while (!signal.aborted) {
		try {
			await sleep(Math.max(0, dueAt - Date.now()), signal);
		} catch {
			return;
		}
		const startedAt = Date.now();
		try {
			await refreshStreamSession.call(
				options.api,
				options.appId,
				options.session.partition,
				signal,
				options.memberCid,
			);
			options.hooks.onRefreshed?.();
		} catch (error) {
			if (!signal.aborted) end({ reason: 'refreshFailed', error });
			return;
		}
		dueAt = startedAt + everyMs;
	}
}

async function watchSilence(
	watchdogMs: number,
	progress: { lastByteAt: number; waitingForBytes: boolean },
	signal: AbortSignal,
	end: (reason: ConnectionEnd) => void,
): Promise<void> {
	if (!(watchdogMs > 0)) return;
	const checkEveryMs = Math.max(10, Math.min(1_000, watchdogMs / 4));
	while (!signal.aborted) {
		try {
			await sleep(checkEveryMs, signal);
		} catch {
			return;
		}
		// Time spent waiting for a slow workflow (backpressure) is not silence.
		if (progress.waitingForBytes && Date.now() - progress.lastByteAt > watchdogMs) end({ reason: 'silence' });
	}
}
