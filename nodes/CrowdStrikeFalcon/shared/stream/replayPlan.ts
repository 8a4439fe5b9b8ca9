import { rangeOf, type BatchRanges } from './batchRanges';
import type { ReceivedEvent } from './events';
import type { OpenBatchRecord } from './openBatches';

export interface ReplayBatch {
	/** As stored, so the execution gets the same deduplication key as the first time. */
	ranges: string;
	parsed: BatchRanges;
	/** The last attempt stored for it, if it had trouble (see OpenBatchRecord). */
	attempt?: number;
	/** The batch's execution certainly finished: one of its ranges was committed. */
	finished: boolean;
	events: ReceivedEvent[];
	/** Events of its ranges the filters drop: never items, committed with the batch. */
	filtered: ReceivedEvent[];
	/** Partitions whose reader has not yet got to the end of the batch's range. */
	unreached: Set<number>;
}

const NONE: readonly ReplayBatch[] = [];

/**
 * The batches an earlier activation emitted whose commit n8n had not saved when it stopped (it saves static data
 * when the trigger emits, not when it closes). Each is formed again from the same offsets and emitted with the
 * same ranges, so n8n recognises the execution it already ran by its deduplication key, and runs one it never
 * started. A batch with a committed range has finished, so the rest of its events are committed without running.
 * A batch stored with an attempt had trouble, and n8n may hold its earlier keys for executions that never ran: it
 * is emitted under a later attempt's key (at worst a repeat, never a loss).
 */
export class ReplayPlan {
	private readonly batches: ReplayBatch[] = [];
	/** Batches some of whose partitions the readers have not got past yet: the only ones an event can concern. */
	private unreached: ReplayBatch[] = [];

	constructor(stored: readonly OpenBatchRecord[], committed: Map<number, number>) {
		for (const { ranges, parsed, attempt } of stored) {
			const committedRanges = parsed.filter(({ partition, first }) => (committed.get(partition) ?? -1) >= first);
			if (committedRanges.length === parsed.length) continue;
			this.batches.push({
				ranges,
				parsed,
				attempt,
				finished: committedRanges.length > 0,
				events: [],
				filtered: [],
				unreached: new Set(parsed.map((range) => range.partition)),
			});
		}
		this.unreached = [...this.batches];
	}

	/** Every batch still to be accounted for, finished or not (what the next activation must know). */
	get all(): readonly ReplayBatch[] {
		return this.batches;
	}

	/** Batches to form and emit again. */
	get toEmit(): ReplayBatch[] {
		return this.batches.filter((batch) => !batch.finished);
	}

	/** The batch whose range holds this offset, if any. */
	claim(partition: number, offset: number): ReplayBatch | undefined {
		// Readers only move forward: a batch whose every range was passed can hold no later event.
		if (this.unreached.length === 0) return undefined;
		return this.unreached.find((batch) => {
			const range = rangeOf(batch.parsed, partition);
			return range !== undefined && offset >= range.first && offset <= range.last;
		});
	}

	/**
	 * The batch to be emitted again that this later event of its partition must not start before: the reader went
	 * past the batch's range here, but not yet in another of its partitions.
	 */
	before(partition: number, offset: number): ReplayBatch | undefined {
		if (this.unreached.length === 0) return undefined;
		return this.unreached.find((batch) => {
			if (batch.finished || batch.unreached.has(partition)) return false;
			const range = rangeOf(batch.parsed, partition);
			return range !== undefined && offset > range.last;
		});
	}

	/** Gives up waiting for the readers still short of the batch's ranges: later events there are no longer its. */
	abandon(batch: ReplayBatch): void {
		batch.unreached.clear();
		this.unreached = this.unreached.filter((candidate) => candidate !== batch);
	}

	/** The reader of a partition got to `offset`: returns the unfinished batches this completes. */
	reached(partition: number, offset: number): readonly ReplayBatch[] {
		if (this.unreached.length === 0) return NONE;
		let completed: ReplayBatch[] | undefined;
		for (const batch of this.unreached) {
			const range = rangeOf(batch.parsed, partition);
			if (!range || !batch.unreached.has(partition) || offset < range.last) continue;
			batch.unreached.delete(partition);
			if (batch.unreached.size === 0 && !batch.finished) (completed ??= []).push(batch);
		}
		this.unreached = this.unreached.filter((batch) => batch.unreached.size > 0);
		return completed ?? NONE;
	}
}
