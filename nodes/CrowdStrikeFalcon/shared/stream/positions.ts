import type { IDataObject } from 'n8n-workflow';

import { toOffset } from './events';
import { openBatchEntry, readOpenBatches } from './openBatches';

/**
 * The trigger's persistent state, kept in the node's workflow static data (n8n writes it to its database when an
 * execution is emitted, and after activation; never when the trigger closes):
 * - `offsets`: per partition, the last offset whose execution has finished (resume at + 1);
 * - `openBatches`: the offsets of executions emitted and not yet committed (`0:5-9,1:3`), formed again after a
 *   restart so their deduplication keys match (see ReplayPlan); after trouble, with the attempt they were at
 *   (`0:5-9,1:3~2`, see openBatches.ts);
 * - `epoch`: part of every deduplication key, fixed until an explicit start position is applied, then renewed so a
 *   deliberate replay of old offsets is not mistaken for a repeat;
 * - `startApplied`: which explicit start position was already applied, so it is applied once, not on every restart;
 * - `startPassedOver`: an explicit start position applied to the other tenants before this one was first followed
 *   (a child tenant that joined later): this one starts as a new tenant does;
 * - `newerThanAppliedMs`: the time of an Events Newer Than start when it was applied, kept for partitions still
 *   without an offset;
 * - `newEventsSince`: when the trigger first started at the newest events (epoch ms, on this server's clock): a
 *   partition that has no offset yet is read from its oldest retained event after a reconnect or restart, dropping
 *   events created before then, so events that arrived while it was down are not skipped by starting at the newest
 *   again; `newEventsFalconAheadMs`: how far Falcon's clock was ahead of this server's then (events' creation times are
 *   on Falcon's clock);
 * - `health`: position, lag and connection facts for people and monitoring (see health.ts).
 */
export interface StoredState extends IDataObject {
	offsets?: IDataObject;
	openBatches?: string[];
	epoch?: string;
	startApplied?: string;
	startPassedOver?: string;
	newerThanAppliedMs?: number;
	newEventsSince?: number;
	newEventsFalconAheadMs?: number;
	health?: IDataObject;
}

/** Committed offsets by partition; accepts numbers and numeric strings, ignores anything else. */
export function readCommittedOffsets(state: StoredState): Map<number, number> {
	const result = new Map<number, number>();
	const stored = state.offsets;
	if (!stored || typeof stored !== 'object') return result;
	for (const [key, value] of Object.entries(stored)) {
		const partition = toOffset(key);
		const offset = toOffset(value);
		if (partition !== undefined && offset !== undefined) result.set(partition, offset);
	}
	return result;
}

/**
 * Keeps one tenant's position in its stored state at no cost per commit. `offsets` and `openBatches` are plain
 * objects hung in the state once and changed in place from then on: what n8n loaded comes inside its
 * change-tracking proxies, where every write is a trap, and a stream commits thousands of times a second. n8n
 * saves the static data only as the trigger emits (and after activation), and only when told it changed: so it is
 * told once per emit, just before it (`beforeEmit`), and saves the position as it stands then.
 */
export class StoredPosition {
	private readonly offsets: IDataObject = {};

	/**
	 * `openBatches` is the delivery's own list of open batches, which it keeps up to date in place.
	 * `markChanged` makes n8n notice the state changed (an assignment to the node's static data object).
	 */
	constructor(
		state: StoredState,
		openBatches: string[],
		private readonly markChanged: () => void,
	) {
		for (const [partition, offset] of readCommittedOffsets(state)) this.offsets[partition] = offset;
		state.offsets = this.offsets;
		state.openBatches = openBatches;
		markChanged();
	}

	commit(partition: number, offset: number): void {
		this.offsets[partition] = offset;
	}

	beforeEmit(): void {
		this.markChanged();
	}
}

/**
 * Forgets where the trigger was: an explicit start position takes over. Given `partitions` (offsets named for some
 * partitions only), only theirs: the others resume where they were, with the open batches that touch none of them.
 */
export function clearPosition(state: StoredState, partitions?: ReadonlySet<number>): void {
	if (!partitions) {
		state.offsets = {};
		state.openBatches = [];
		delete state.newEventsSince;
		delete state.newEventsFalconAheadMs;
		return;
	}
	const offsets: IDataObject = {};
	for (const [partition, offset] of readCommittedOffsets(state)) if (!partitions.has(partition)) offsets[partition] = offset;
	state.offsets = offsets;
	state.openBatches = readOpenBatches(state.openBatches)
		.filter(({ parsed }) => parsed.every((range) => !partitions.has(range.partition)))
		.map(({ ranges, attempt }) => openBatchEntry(ranges, attempt));
}
