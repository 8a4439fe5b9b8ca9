import type { IDataObject } from 'n8n-workflow';

import { toOffset } from './events';

/**
 * The trigger's persistent state, kept in the node's workflow static data (n8n writes it to its database when an
 * execution is emitted, and after activation; never when the trigger closes):
 * - `offsets`: per partition, the last offset whose execution has finished (resume at + 1);
 * - `openBatches`: the offsets of executions emitted and not yet committed (`0:5-9,1:3`), formed again after a
 *   restart so their deduplication keys match (see ReplayPlan);
 * - `epoch`: part of every deduplication key, renewed when an explicit start position is applied, so a deliberate
 *   replay of old offsets is not mistaken for a repeat;
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

export function writeCommittedOffset(state: StoredState, partition: number, offset: number): void {
	const offsets = state.offsets && typeof state.offsets === 'object' ? state.offsets : {};
	if (offsets[String(partition)] === offset) return;
	// Replace, never mutate: n8n only notices (and saves) assignments to the node's own static data object, not
	// writes inside nested objects.
	state.offsets = { ...offsets, [String(partition)]: offset };
}

export function writeOpenBatches(state: StoredState, ranges: string[]): void {
	// A new array each time, for the same reason as the offsets.
	state.openBatches = [...ranges];
}

/** Forgets where the trigger was: an explicit start position takes over. */
export function clearPosition(state: StoredState): void {
	state.offsets = {};
	state.openBatches = [];
}
