import { randomString } from 'n8n-workflow';

import type { FeedStart } from '../shared/stream/feed';
import { readOpenBatches, type OpenBatchRecord } from '../shared/stream/openBatches';
import { clearPosition, readCommittedOffsets, type StoredState } from '../shared/stream/positions';
import { startFingerprint, type StartSetting, type TriggerSettings } from './settings';

/** The epoch of a position that no explicit start position ever replaced. */
const FIRST_EPOCH = 'e0';

export interface StartPlan {
	/** Committed offsets to resume after (empty for test runs and freshly applied explicit starts). */
	committed: Map<number, number>;
	/** Batches emitted before the restart whose commit was not stored (see ReplayPlan). */
	openBatches: OpenBatchRecord[];
	/** Names this run of positions in deduplication keys; '' for test runs, which use none. */
	epoch: string;
	/** `firstRound`: connected in the round of the activation's first discovery (see ConsumerOptions.startFor). */
	startFor(partition: number, firstRound: boolean): FeedStart;
	/**
	 * Partitions read from their oldest event only so as not to skip what arrived while the trigger was down (see
	 * `newEventsSince`), with the time before which their events are dropped: until the first event created since
	 * (the reader is then past that time; delete the entry). Empty almost always: checked for every event.
	 */
	readonly floors: Map<number, number>;
	/** Told the clocks' difference each discovery shows: kept with the new-events time, once, when there is one. */
	noteFalconClock(falconAheadMs: number): void;
}

/**
 * How far before the first start at the newest events a later read from the oldest keeps events: the difference
 * between Falcon's clock and this server's is measured at discovery to within a second, and the reader's first
 * connect at the newest events comes a little after the time is noted.
 */
const CLOCK_MARGIN_MS = 60_000;

/**
 * Decides where each partition starts. A published workflow resumes after its committed offsets; an explicit
 * start position (latest, offset, newer than) replaces them once, the first activation after it was set. Test runs
 * never read or write the stored position: "Stored Position" means the oldest retained event there, so "Fetch Test
 * Event" returns a real event without waiting for a new one.
 */
export function planStart(settings: TriggerSettings, state: StoredState, manual: boolean): StartPlan {
	if (manual) {
		const floors = new Map<number, number>();
		return {
			committed: new Map(),
			openBatches: [],
			epoch: '',
			startFor: (partition) => withNewerThanFloor(settings.start, partition, floors) ?? { oldest: true },
			floors,
			noteFalconClock: () => undefined,
		};
	}
	const fingerprint = startFingerprint(settings.start);
	// A tenant first followed after the explicit start was applied to the others starts as a new tenant does.
	const passedOver = fingerprint !== undefined && state.startPassedOver === fingerprint;
	if (!passedOver) delete state.startPassedOver;
	const applyExplicit = fingerprint !== undefined && !passedOver && state.startApplied !== fingerprint;
	if (applyExplicit) {
		// Offsets named for some partitions replace theirs alone; the others go on from where they were.
		const { start } = settings;
		clearPosition(state, start.kind === 'offset' && start.all === undefined ? new Set(start.byPartition.keys()) : undefined);
		state.startApplied = fingerprint;
	}
	// Back on Stored Position: the explicit start applied earlier is done with, and choosing it again later is a
	// deliberate replay (or skip) to apply again, not the setting of an earlier activation.
	if (fingerprint === undefined) delete state.startApplied;
	// A new epoch with every explicit start: replaying offsets on purpose must run them again, not skip them. Without
	// one the epoch is fixed, so a stored position lost by accident (in queue mode a node writing static data on a
	// worker erases it) gives the same keys again, and n8n refuses to run what it already ran.
	if (applyExplicit) state.epoch = randomString(8);
	else if (typeof state.epoch !== 'string' || state.epoch === '') state.epoch = FIRST_EPOCH;
	const start = appliedStart(settings.start, state, applyExplicit);
	const committed = readCommittedOffsets(state);
	const openBatches = readOpenBatches(state.openBatches);
	const opened = firstOpenOffsets(openBatches);
	const fallback: FeedStart = settings.whenNothingStored === 'oldest' ? { oldest: true } : { latest: true };
	const floors = new Map<number, number>();
	// An explicit start applied by an activation that never saved a commit still stands.
	const unpositioned = (partition: number): FeedStart =>
		(fingerprint !== undefined && !passedOver ? withNewerThanFloor(start, partition, floors) : undefined) ?? fallback;
	const newEvents = newEventsFloor(state, (settings.start.kind === 'latest' && !passedOver) || 'latest' in fallback);
	return {
		committed,
		openBatches,
		epoch: state.epoch,
		floors,
		noteFalconClock: (falconAheadMs) => {
			// The difference when the time was noted: compared later with another (a server clock corrected since), the
			// floor would move by the correction. Noted at the first discovery, which activation waits for, so it is in
			// n8n's activation save.
			if (newEvents && typeof state.newEventsFalconAheadMs !== 'number') state.newEventsFalconAheadMs = falconAheadMs;
		},
		startFor: (partition, firstRound) => {
			floors.delete(partition);
			const stored = committed.get(partition);
			if (stored !== undefined) return { offset: stored + 1 };
			// n8n saves the position only as the trigger emits: a quiet stream stopped before its first commit was
			// saved left only its open batches. The reader had got that far, so it resumes there, not at the
			// fallback (which, at "new events", would skip whatever arrived while n8n was down).
			const first = opened.get(partition);
			if (first !== undefined) return { offset: first };
			const start = unpositioned(partition);
			if (!('latest' in start) || !newEvents) return start;
			// At the newest events once: in the first round of the activation that set the floor, connected soon after
			// it. Every other connect before the partition's first event reads from the oldest and drops what is older:
			// a reconnect or a restart, a partition first offered by a later discovery, a first discovery that took
			// minutes. Started at the newest then, each would skip what arrived since the floor was set.
			if (newEvents.setNow && firstRound && Date.now() - newEvents.since < 2 * CLOCK_MARGIN_MS) return start;
			// The floor is compared with events' creation times, on Falcon's clock: this server's may be minutes off.
			// Noted at the discovery before this connect (noteFalconClock); 0 if that discovery had no Date header.
			floors.set(partition, newEvents.since + (state.newEventsFalconAheadMs ?? 0));
			return { oldest: true };
		},
	};
}

/**
 * When the trigger first started at the newest events (kept in `newEventsSince`), while partitions without an offset
 * start there; undefined, and forgotten, otherwise.
 */
function newEventsFloor(state: StoredState, atNewest: boolean): { since: number; setNow: boolean } | undefined {
	if (!atNewest) {
		delete state.newEventsSince;
		delete state.newEventsFalconAheadMs;
		return undefined;
	}
	if (typeof state.newEventsSince === 'number' && Number.isFinite(state.newEventsSince)) {
		return { since: state.newEventsSince, setNow: false };
	}
	startNewEventsAt(state, Date.now());
	return { since: state.newEventsSince as number, setNow: true };
}

/** Notes when new events start (less the margin for clock differences), for partitions without an offset yet. */
export function startNewEventsAt(state: StoredState, time: number): void {
	state.newEventsSince = time - CLOCK_MARGIN_MS;
	delete state.newEventsFalconAheadMs;
}

/**
 * The explicit start as applied: a Newer Than keeps the time it had then. An expression that reads the clock has
 * moved on at a later activation, and a partition still without an offset would otherwise drop more each restart.
 */
function appliedStart(start: StartSetting, state: StoredState, applyingNow: boolean): StartSetting {
	if (start.kind !== 'newerThan') {
		delete state.newerThanAppliedMs;
		return start;
	}
	if (applyingNow || typeof state.newerThanAppliedMs !== 'number') state.newerThanAppliedMs = start.afterMs;
	return { ...start, afterMs: state.newerThanAppliedMs };
}

/** Per partition, the lowest offset of the stored open batches. */
function firstOpenOffsets(openBatches: OpenBatchRecord[]): Map<number, number> {
	const first = new Map<number, number>();
	for (const { parsed } of openBatches) {
		for (const range of parsed) {
			const known = first.get(range.partition);
			if (known === undefined || range.first < known) first.set(range.partition, range.first);
		}
	}
	return first;
}

/**
 * The explicit start; for "newer than", a floor for the partition too: its events created before that time are
 * dropped until the first one created since. Only there: a later event created long before (a sensor that was
 * offline uploads late) is delivered, as at any stored position.
 */
function withNewerThanFloor(start: StartSetting, partition: number, floors: Map<number, number>): FeedStart | undefined {
	if (start.kind === 'newerThan') floors.set(partition, start.afterMs);
	return explicitStart(start, partition);
}

function explicitStart(start: StartSetting, partition: number): FeedStart | undefined {
	switch (start.kind) {
		case 'latest':
			return { latest: true };
		case 'offset': {
			const offset = start.byPartition.get(partition) ?? start.all;
			return offset === undefined ? undefined : { offset };
		}
		case 'newerThan':
			// Falcon cannot seek by time: read from the oldest retained event and drop older ones in the trigger.
			return { oldest: true };
		default:
			return undefined;
	}
}
