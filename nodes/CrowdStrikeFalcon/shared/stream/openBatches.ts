import { parseRanges, type BatchRanges } from './batchRanges';

/**
 * An emitted batch whose events are not all committed yet, as stored: its ranges (`0:5-9,1:3`), and once its
 * execution ran into trouble, the last attempt made for it (`0:5-9,1:3~2`, see runToCompletion's attempts).
 */
export interface OpenBatchRecord {
	ranges: string;
	parsed: BatchRanges;
	/**
	 * Set once an attempt may have used up its deduplication key without running the events (n8n could not start
	 * it, or it ended before any node ran): a restart emits the batch under a later attempt's key, never this one's.
	 */
	attempt?: number;
}

/** What the execution of an open batch needs to know of its attempts (see runToCompletion). */
export interface BatchAttempts {
	/** The last attempt an earlier activation stored for the batch, after trouble; undefined otherwise. */
	readonly attempt?: number;
	/**
	 * Stores the attempt: its key, and every earlier one, may be held by n8n for an execution that never ran the
	 * events. Called before the attempt is emitted, so n8n saves it with that emit.
	 */
	markAttempt(attempt: number): void;
}

const ATTEMPT_MARK = '~';

/** The stored open batches that can be read; anything else (a damaged or hand-edited entry) is left out. */
export function readOpenBatches(stored: unknown): OpenBatchRecord[] {
	const batches: OpenBatchRecord[] = [];
	for (const entry of Array.isArray(stored) ? stored : []) {
		if (typeof entry !== 'string') continue;
		const [ranges, attemptText, ...rest] = entry.split(ATTEMPT_MARK);
		const parsed = parseRanges(ranges);
		if (!parsed || rest.length > 0) continue;
		if (attemptText === undefined) {
			batches.push({ ranges, parsed });
			continue;
		}
		const attempt = /^\d{1,9}$/.test(attemptText) ? Number(attemptText) : undefined;
		if (attempt !== undefined) batches.push({ ranges, parsed, attempt });
	}
	return batches;
}

export function openBatchEntry(ranges: string, attempt: number | undefined): string {
	return attempt === undefined ? ranges : `${ranges}${ATTEMPT_MARK}${attempt}`;
}
