
import { sleep } from '../sleep';
import { allCommitted, formatRanges, rangesOf, type BatchRanges } from './batchRanges';
import { CommitTracker } from './commitTracker';
import type { ReceivedEvent } from './events';
import { FlushTimer } from './flushTimer';
import { InFlightWindow } from './inFlightWindow';
import { openBatchEntry, type BatchAttempts, type OpenBatchRecord } from './openBatches';
import { ReplayPlan, type ReplayBatch } from './replayPlan';

/** How long readers wait for a batch owed from before a restart before it is sent with what came back of it. */
export const owedBatchPatience = { ms: 30_000 };

export interface DeliveryOptions {
	/** Events per execution; 1 = one execution per event. */
	batchSize: number;
	/** A partial batch is sent this long after its first event arrived. */
	maxWaitMs: number;
	/** Executions started whose events are not yet committed, at most: what a restart may have to account for. */
	maxInFlight: number;
	signal: AbortSignal;
	/**
	 * Starts an execution for the batch; resolves when that execution has finished (however it ended), or with
	 * false when it never ran and its events must stay uncommitted (the trigger closed before n8n could start it).
	 * `ranges` names the batch's offsets (`0:5-9,1:3`) and is the same when a restart forms the batch again;
	 * `attempts` keeps the batch's attempts in its stored entry.
	 */
	execute(batch: ReceivedEvent[], ranges: string, attempts: BatchAttempts): Promise<boolean | void>;
	/** The committed offset of a partition moved: every event up to it has finished its execution. */
	onCommitted(partition: number, offset: number): void;
	/** An open batch's stored entry changed in place (its attempt): n8n must be told before its next save. */
	onOpenBatchChanged?(): void;
}

export interface DeliveryStart {
	committed?: Map<number, number>;
	/** The open batches an earlier activation stored. */
	openBatches?: readonly OpenBatchRecord[];
}

/** An emitted batch whose events are not all committed yet. */
class OpenBatch implements BatchAttempts {
	/** The ranges whose commit closes the batch (and frees its slot): all of them, unless some were given up on. */
	closedBy: BatchRanges;

	constructor(
		readonly ranges: string,
		readonly parsed: BatchRanges,
		public holdsSlot: boolean,
		private readonly onMarked: (batch: OpenBatch) => void,
		public attempt?: number,
	) {
		this.closedBy = parsed;
	}

	/** An owed batch's slot goes when it finishes, not when it is committed (see runOwed). */
	freesSlotWhenFinished = false;

	/** As stored for a restart. */
	get entry(): string {
		return openBatchEntry(this.ranges, this.attempt);
	}

	markAttempt(attempt: number): void {
		this.attempt = attempt;
		this.onMarked(this);
	}
}

/**
 * Turns events into executions, at least once: an event's offset is committed only after its execution finished
 * and all earlier events of its partition are done. Memory is bounded by `maxInFlight` × `batchSize` plus one
 * batch being filled (and, after a restart, the batches owed from before it): when the window is full, `add`
 * waits, and so does the feed reader.
 */
export class Delivery {
	readonly window: InFlightWindow;
	private readonly trackers = new Map<number, CommitTracker>();
	private readonly replay: ReplayPlan;
	private readonly timer: FlushTimer;
	private pending: ReceivedEvent[] = [];
	/** Emitted batches, and batches owed from an earlier activation, whose events are not all committed yet. */
	private readonly open: OpenBatch[] = [];
	/**
	 * The open batches as stored (see openBatches.ts), in emit order: what a restart must form again (see
	 * ReplayPlan). One array for the delivery's life, changed in place, so it can be stored as it is and stays current.
	 */
	readonly openEntries: string[] = [];
	/** The open batch of each batch owed from an earlier activation. */
	private readonly owedBatches = new Map<ReplayBatch, OpenBatch>();
	/**
	 * Who waits for an owed batch to be emitted (readers whose next event comes after it in its partition), and what
	 * ends the patience with it once it is (see sendOwedAfterPatience).
	 */
	private readonly owedWaits = new Map<ReplayBatch, { wake: Array<() => void>; patience: AbortController }>();
	private readonly attemptMarked = (batch: OpenBatch): void => {
		const index = this.open.indexOf(batch);
		if (index === -1) return;
		this.openEntries[index] = batch.entry;
		this.options.onOpenBatchChanged?.();
	};
	/** The signal's aborted state, kept here: the signal's getter costs a check of its receiver on every event. */
	private stopped: boolean;
	/** Set while a full batch waits for an execution slot. */
	private flushing: Promise<void> | undefined;
	private readonly committedOf = (partition: number) => this.committed(partition);
	/** The partitions a finished batch moved; one array reused for every batch. */
	private readonly moved: number[] = [];
	/** Executions started and not finished yet, and who waits for there to be none (see `settled`). */
	private running = 0;
	private settledWaiters: Array<() => void> = [];

	constructor(
		private readonly options: DeliveryOptions,
		start: DeliveryStart = {},
	) {
		this.window = new InFlightWindow(Math.max(1, options.maxInFlight));
		// One listener for the delivery's life, rather than one per wait for a slot.
		this.stopped = options.signal.aborted;
		options.signal.addEventListener(
			'abort',
			() => {
				this.stopped = true;
				this.window.cancelWaiting(new Error('the delivery stopped'));
				for (const owed of [...this.owedWaits.keys()]) this.owedEmitted(owed);
			},
			{ once: true },
		);
		this.timer = new FlushTimer(options.signal, () => void this.flushNow());
		const committed = start.committed ?? new Map<number, number>();
		for (const [partition, offset] of committed) this.trackers.set(partition, new CommitTracker(offset));
		this.replay = new ReplayPlan(start.openBatches ?? [], committed);
		for (const batch of this.replay.all) {
			const open = new OpenBatch(batch.ranges, batch.parsed, false, this.attemptMarked, batch.attempt);
			if (!batch.finished) this.owedBatches.set(batch, open);
			this.opened(open);
		}
	}

	committed(partition: number): number | undefined {
		return this.trackers.get(partition)?.committed;
	}

	get bufferedEvents(): number {
		return this.pending.length;
	}

	/** Timers this delivery has pending: at most one, whatever the number of batches. */
	get pendingTimers(): number {
		return this.timer.pending ? 1 : 0;
	}

	/**
	 * An event that will not start an execution (filtered): committed in its turn. Unless a batch owed from before a
	 * restart holds it: then it is committed with that batch, not before (or a restart could take the batch for
	 * finished), and is no item of it, as it was none the first time. Returns false when an owed batch took the event.
	 */
	skip(received: ReceivedEvent): boolean {
		const owed = this.replay.claim(received.partition, received.offset);
		if (owed && !owed.finished) {
			this.addOwed(owed, received, owed.filtered);
			return false;
		}
		this.commitSkipped(received.partition, received.offset);
		return true;
	}

	private commitSkipped(partition: number, offset: number): void {
		const tracker = this.tracker(partition);
		const before = tracker.committed;
		tracker.skip(offset);
		this.reached(partition, offset);
		if (tracker.committed !== before && tracker.committed !== undefined) this.advanced([partition]);
	}

	/**
	 * Takes the event. Returns a promise only when the caller has to wait (a full batch waits for an execution
	 * slot); otherwise undefined, so the reader goes on to the next event without a round through the microtask
	 * queue.
	 */
	add(received: ReceivedEvent): Promise<void> | undefined {
		if (this.stopped) return undefined;
		const { partition, offset } = received;
		const owed = this.replay.claim(partition, offset);
		if (owed?.finished) {
			this.commitSkipped(partition, offset);
			return undefined;
		}
		if (owed) {
			this.addOwed(owed, received);
			return undefined;
		}
		this.reached(partition, offset);
		// From here it holds its place in its partition, whatever it waits for: its reader may stop waiting (the
		// round ended) and read on, and a filtered event after it must not be committed past it.
		this.tracker(partition).begin(offset);
		return this.acceptInTurn(received);
	}

	private acceptInTurn(received: ReceivedEvent): Promise<void> | undefined {
		if (this.stopped) return undefined;
		// Only this partition's reader waits: the owed batch may need the others to read on.
		const owedFirst = this.replay.before(received.partition, received.offset);
		if (owedFirst) return this.untilEmitted(owedFirst).then(() => this.acceptInTurn(received));
		// While a full batch waits for a free execution slot, every partition's reader waits here.
		if (this.flushing) return this.addAfterFlush(received);
		return this.accept(received);
	}

	/** Never waits for a slot: the owed batch already has one. */
	private addOwed(owed: ReplayBatch, received: ReceivedEvent, into = owed.events): void {
		this.tracker(received.partition).begin(received.offset);
		into.push(received);
		this.reached(received.partition, received.offset);
	}

	/** Sends what is pending now (used at the max wait, and by tests). */
	async flush(): Promise<void> {
		await this.flushNow();
	}

	private async addAfterFlush(received: ReceivedEvent): Promise<void> {
		while (this.flushing) await this.flushing;
		if (this.stopped) return;
		await this.accept(received);
	}

	private accept(received: ReceivedEvent): Promise<void> | undefined {
		this.pending.push(received);
		if (this.pending.length >= this.options.batchSize) return this.flushNow();
		if (this.pending.length === 1) this.timer.sendBy(Date.now() + Math.max(0, this.options.maxWaitMs));
		return undefined;
	}

	/** Sends the pending batch: at once when a slot is free, else once one is (the promise says when). */
	private flushNow(): Promise<void> | undefined {
		if (this.flushing) return this.flushing;
		if (this.pending.length === 0) return undefined;
		if (this.window.tryTake()) {
			this.send();
			return undefined;
		}
		if (this.stopped) return undefined;
		// Promise callbacks rather than an async function: with one execution per event this wait comes every
		// few events. The wait fails only when the delivery stops, and then nothing is sent.
		this.flushing = this.window.acquire().then(
			() => {
				this.flushing = undefined;
				this.send();
			},
			() => {
				this.flushing = undefined;
			},
		);
		return this.flushing;
	}

	/** Emits the pending batch; its slot is taken. */
	private send(): void {
		const batch = this.pending;
		this.pending = [];
		this.timer.cancel();
		const parsed = rangesOf(batch);
		const open = new OpenBatch(formatRanges(parsed), parsed, true, this.attemptMarked);
		// Recorded before the execution starts: n8n saves static data as the trigger emits.
		this.opened(open);
		this.run(batch, open);
	}

	/** The reader of a partition got to `offset`: owed batches complete with it are emitted again. */
	private reached(partition: number, offset: number): void {
		for (const owed of this.replay.reached(partition, offset)) this.runOwed(owed);
	}

	/**
	 * Owed executions never wait for a slot, and keep none before they run: a reader may have to get past events
	 * Falcon now sends ahead of them (Event Types widened, Max Executions in Flight lowered) before it reaches them,
	 * and those events need slots. Right after a restart, executions in flight may so exceed the maximum by the
	 * owed ones. Nor do they keep one once finished: such an event before them in their partition holds their
	 * commit back, and with every slot held by owed batches waiting for their commit it would never get one.
	 */
	private runOwed(owed: ReplayBatch): void {
		const open = this.owedBatches.get(owed)!;
		this.owedBatches.delete(owed);
		if (owed.events.length > 0) {
			this.window.take();
			open.holdsSlot = true;
			open.freesSlotWhenFinished = true;
			this.run(owed.events, open, owed.filtered);
		} else {
			// Nothing of it came back (filtered now, or no longer retained by Falcon): nothing to run.
			this.commitFinished(owed.filtered);
		}
		this.owedEmitted(owed);
	}

	private untilEmitted(owed: ReplayBatch): Promise<void> {
		return new Promise((resolve) => {
			const wait = this.owedWaits.get(owed);
			if (wait) {
				wait.wake.push(resolve);
				return;
			}
			const patience = new AbortController();
			this.owedWaits.set(owed, { wake: [resolve], patience });
			void this.sendOwedAfterPatience(owed, patience.signal);
		});
	}

	/**
	 * A partition of an owed batch may never get back to its range: Event Types narrowed since (Falcon no longer
	 * sends those events), events aged out of Falcon's retention, a partition no longer offered. The readers of its
	 * other partitions would wait for it for good, with nothing to show for it; after a while the batch is sent with
	 * what came back. Events of its range that come later are delivered as new ones: at worst a repeat, never a loss.
	 */
	private async sendOwedAfterPatience(owed: ReplayBatch, emitted: AbortSignal): Promise<void> {
		try {
			await sleep(owedBatchPatience.ms, emitted);
		} catch {
			return;
		}
		const open = this.owedBatches.get(owed);
		if (this.stopped || !open) return;
		// Its ranges on partitions that never got back to them are no longer its: their commit cannot close it.
		open.closedBy = owed.parsed.filter((range) => !owed.unreached.has(range.partition));
		this.replay.abandon(owed);
		this.runOwed(owed);
	}

	private owedEmitted(owed: ReplayBatch): void {
		const wait = this.owedWaits.get(owed);
		if (!wait) return;
		this.owedWaits.delete(owed);
		wait.patience.abort();
		for (const wake of wait.wake) wake();
	}

	/** Resolves once every execution started so far has finished and its events are committed. */
	settled(): Promise<void> {
		if (this.running === 0) return Promise.resolve();
		return new Promise((resolve) => this.settledWaiters.push(resolve));
	}

	/** `filtered`: events of the batch's ranges that are no items of it, committed with it. */
	private run(batch: ReceivedEvent[], open: OpenBatch, filtered?: ReceivedEvent[]): void {
		this.running++;
		void this.options.execute(batch, open.ranges, open).then(
			(ran) => this.finished(batch, open, ran !== false, filtered),
			() => this.finished(batch, open, true, filtered),
		);
	}

	private finished(batch: ReceivedEvent[], open: OpenBatch, commit: boolean, filtered?: ReceivedEvent[]): void {
		if (open.freesSlotWhenFinished) this.releaseSlot(open);
		if (commit) this.commitFinished(filtered ? [...batch, ...filtered] : batch);
		if (--this.running > 0 || this.settledWaiters.length === 0) return;
		const waiters = this.settledWaiters;
		this.settledWaiters = [];
		for (const wake of waiters) wake();
	}

	private commitFinished(batch: ReceivedEvent[]): void {
		const moved = this.moved;
		for (const { partition, offset } of batch) {
			if (this.tracker(partition).complete(offset) && !moved.includes(partition)) moved.push(partition);
		}
		if (moved.length === 0) return;
		this.advanced(moved);
		moved.length = 0;
	}

	/** Committed offsets moved: report them, and close the batches now wholly committed. */
	private advanced(partitions: Iterable<number>): void {
		let closed = 0;
		for (let index = 0; index < this.open.length; index++) {
			const batch = this.open[index];
			if (!allCommitted(batch.closedBy, this.committedOf)) {
				this.open[index - closed] = batch;
				this.openEntries[index - closed] = this.openEntries[index];
				continue;
			}
			// A slot is freed when its batch is committed, not merely finished: otherwise events finished behind a
			// slower earlier one pile up uncommitted, and a restart would owe more than `maxInFlight` executions.
			this.releaseSlot(batch);
			closed++;
		}
		if (closed > 0) {
			this.open.length -= closed;
			this.openEntries.length -= closed;
		}
		for (const partition of partitions) this.options.onCommitted(partition, this.committed(partition)!);
	}

	/** Once: an owed batch closed while it still runs would otherwise give it back again when it finishes. */
	private releaseSlot(batch: OpenBatch): void {
		if (!batch.holdsSlot) return;
		batch.holdsSlot = false;
		this.window.release();
	}

	private opened(batch: OpenBatch): void {
		this.open.push(batch);
		this.openEntries.push(batch.entry);
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
