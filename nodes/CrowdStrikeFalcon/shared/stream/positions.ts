import type { IDataObject } from 'n8n-workflow';

import { toOffset } from './events';

/**
 * The trigger's persistent state, kept in the node's workflow static data (n8n writes it to its database when an
 * execution is emitted, and after activation; never when the trigger closes):
 * - `offsets`: per partition, the last offset whose execution has finished (resume at + 1);
 * - `openBatches`: the offsets of executions emitted and not yet committed (`0:5-9,1:3`), formed again after a
 *   restart so their deduplication keys match (see ReplayPlan);
 * - `epoch`: part of every deduplication key, fixed until an explicit start position is applied, then renewed so a
 *   deliberate replay of old offsets is not mistaken for a repeat;
 * - `startApplied`: which explicit start position was already applied, so it is applied once, not on every restart;
 * - `health`: position, lag and connection facts for people and monitoring (see health.ts).
 */
export interface StoredState extends IDataObject {
	offsets?: IDataObject;
	openBatches?: string[];
	epoch?: string;
	startApplied?: string;
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

/** Offsets objects written here: plain objects, whose writes cost no proxy trap (see writeCommittedOffset). */
const ownOffsets = new WeakSet<object>();

export function writeCommittedOffset(state: StoredState, partition: number, offset: number): void {
	const key = String(partition);
	let offsets = state.offsets;
	if (typeof offsets !== 'object' || offsets === null || !ownOffsets.has(offsets)) {
		// What n8n loaded comes inside its change-tracking proxies: copied once into a plain object written from then on.
		offsets = { ...(typeof offsets === 'object' && offsets !== null ? offsets : {}) };
		ownOffsets.add(offsets);
	} else if (offsets[key] === offset) {
		return;
	}
	offsets[key] = offset;
	// n8n notices (and saves at the next emit) assignments to the node's own static data object, not writes inside
	// objects created after it loaded them: the object is assigned again after every write.
	state.offsets = offsets;
}

/** `ranges` is stored as given: Delivery hands over a new array each time, and n8n notices the assignment. */
export function writeOpenBatches(state: StoredState, ranges: string[]): void {
	state.openBatches = ranges;
}

/** Forgets where the trigger was: an explicit start position takes over. */
export function clearPosition(state: StoredState): void {
	state.offsets = {};
	state.openBatches = [];
}
