import { sleep } from 'n8n-workflow';

import { CommitTracker } from './commitTracker';
import type { ReceivedEvent } from './events';
import { InFlightWindow } from './inFlightWindow';

export interface DeliveryOptions {
	/** Events per execution; 1 = one execution per event. */
	batchSize: number;
	/** A partial batch is sent this long after its first event arrived. */
	maxWaitMs: number;
	/** Executions started whose events are not yet committed, at most: what a restart may repeat. */
	maxInFlight: number;
	signal: AbortSignal;
	/** Starts an execution for the batch; resolves when that execution has finished (however it ended). */
	execute(batch: ReceivedEvent[]): Promise<void>;
	/** The committed offset of a partition moved: every event up to it has finished its execution. */
	onCommitted(partition: number, offset: number): void;
}

/**
 * Turns events into executions, at least once: an event's offset is committed only after its execution finished
 * and all earlier events of its partition are done. Memory is bounded by `maxInFlight` × `batchSize` plus one
 * batch being filled: when the window is full, `add` waits, and so does the feed reader.
 */
export class Delivery {
	readonly window: InFlightWindow;
	private readonly trackers = new Map<number, CommitTracker>();
	private pending: ReceivedEvent[] = [];
	/** Finished batches whose slot waits for an earlier, slower event of their partition to finish. */
	private awaitingCommit: ReceivedEvent[][] = [];
	private flushing: Promise<void> | undefined;
	private generation = 0;

	constructor(
		private readonly options: DeliveryOptions,
		committed: Map<number, number> = new Map(),
	) {
		this.window = new InFlightWindow(Math.max(1, options.maxInFlight));
		for (const [partition, offset] of committed)
			this.trackers.set(partition, new CommitTracker(offset));
	}

	committed(partition: number): number | undefined {
		return this.trackers.get(partition)?.committed;
	}

	get bufferedEvents(): number {
		return this.pending.length;
	}

	/** An event that will not start an execution (filtered): committed in its turn. */
	skip(partition: number, offset: number): void {
		const tracker = this.tracker(partition);
		const before = tracker.committed;
		tracker.skip(offset);
		if (tracker.committed !== before && tracker.committed !== undefined) {
			this.options.onCommitted(partition, tracker.committed);
		}
	}

	async add(received: ReceivedEvent): Promise<void> {
		// While a full batch waits for a free execution slot, every partition's reader waits here.
		while (this.flushing) await this.flushing;
		if (this.options.signal.aborted) return;
		this.tracker(received.partition).begin(received.offset);
		this.pending.push(received);
		if (this.pending.length >= this.options.batchSize) await this.flush();
		else if (this.pending.length === 1) this.flushLater();
	}

	/** Sends what is pending now (used at the max wait, and by tests). */
	async flush(): Promise<void> {
		this.flushing ??= this.send().finally(() => (this.flushing = undefined));
		await this.flushing;
	}

	private flushLater(): void {
		const generation = this.generation;
		sleep(Math.max(0, this.options.maxWaitMs), this.options.signal).then(
			() => {
				if (this.generation === generation && this.pending.length > 0) void this.flush();
			},
			() => undefined,
		);
	}

	private async send(): Promise<void> {
		if (this.pending.length === 0) return;
		try {
			await this.window.acquire(this.options.signal);
		} catch {
			return;
		}
		const batch = this.pending;
		this.pending = [];
		this.generation++;
		void this.options
			.execute(batch)
			.catch(() => undefined)
			.then(() => this.finished(batch));
	}

	private finished(batch: ReceivedEvent[]): void {
		const moved = new Set<number>();
		for (const { partition, offset } of batch) {
			if (this.tracker(partition).complete(offset)) moved.add(partition);
		}
		// A slot is freed when its batch is committed, not merely finished: otherwise events finished behind a slower
		// earlier one pile up uncommitted, and a restart would repeat more than `maxInFlight` executions.
		this.awaitingCommit.push(batch);
		this.awaitingCommit = this.awaitingCommit.filter((waiting) => {
			const committed = waiting.every(
				({ partition, offset }) => (this.tracker(partition).committed ?? -Infinity) >= offset,
			);
			if (committed) this.window.release();
			return !committed;
		});
		for (const partition of moved)
			this.options.onCommitted(partition, this.tracker(partition).committed!);
	}

	private tracker(partition: number): CommitTracker {
		let tracker = this.trackers.get(partition);
		if (!tracker) {
			tracker = new CommitTracker();
			this.trackers.set(partition, tracker);
		}
		return tracker;
	}
}
