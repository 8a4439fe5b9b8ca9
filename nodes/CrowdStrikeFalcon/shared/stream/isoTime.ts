/** Recent distinct milliseconds and their text; a few, since arrival, emit and commit times interleave. */
const SLOTS = 4;
const cachedMs: number[] = new Array<number>(SLOTS).fill(Number.NaN);
const cachedText: string[] = new Array<string>(SLOTS).fill('');
let next = 0;

/**
 * ISO 8601 text of an epoch-ms time. A busy stream stamps thousands of events within the same millisecond, so the
 * texts of the last few distinct milliseconds are kept and a Date is formatted once per millisecond and use.
 */
export function isoTime(epochMs: number): string {
	for (let slot = 0; slot < SLOTS; slot++) if (cachedMs[slot] === epochMs) return cachedText[slot];
	const text = new Date(epochMs).toISOString();
	cachedMs[next] = epochMs;
	cachedText[next] = text;
	next = (next + 1) % SLOTS;
	return text;
}
