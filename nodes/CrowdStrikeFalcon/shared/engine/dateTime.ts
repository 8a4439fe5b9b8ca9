/**
 * n8n's date picker stores a date and time without a zone (`2030-07-01T00:00:00`), which JavaScript would read in
 * the server's local time; the fields promise UTC, so a value without a zone is read as UTC on every server.
 */
const WITHOUT_ZONE = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/;

/** Milliseconds since the epoch, or NaN when the value is not a date and time JavaScript can represent. */
export function epochMs(value: unknown): number {
	if (typeof value === 'number') return Number.isNaN(new Date(value).getTime()) ? NaN : value;
	if (value instanceof Date) return value.getTime();
	const text = String(value).trim();
	const local = WITHOUT_ZONE.exec(text);
	return Date.parse(local ? `${local[1]}T${local[2]}Z` : text);
}

/** A number below this is no date in milliseconds since 1973: most likely seconds (`$now.toSeconds()`). */
export const SMALLEST_EPOCH_MS = 1e11;
