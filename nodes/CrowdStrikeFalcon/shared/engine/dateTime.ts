import { tryToParseDateTime } from 'n8n-workflow';

/** What n8n's date picker stores (`2030-07-01T00:00:00`), or a bare date: a wall-clock time that names no zone. */
const WITHOUT_ZONE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/;

/**
 * A date and time that names no zone, read in `timeZone` (the workflow's, `getTimezone()`), as n8n's own nodes read
 * it: the instant it names, as ISO text in UTC. Any other value comes back as it is, for the rules to judge.
 */
export function inTimeZone(value: unknown, timeZone: string): unknown {
	if (typeof value !== 'string' || !WITHOUT_ZONE.test(value.trim())) return value;
	try {
		const instant = tryToParseDateTime(value.trim(), timeZone).toMillis();
		return Number.isNaN(instant) ? value : new Date(instant).toISOString();
	} catch {
		return value;
	}
}

/**
 * Milliseconds since the epoch, or NaN when the value is not a date and time JavaScript can represent. Values come
 * through `inTimeZone` first; one that still names no zone is read as UTC, never in the server's own time zone.
 */
export function epochMs(value: unknown): number {
	if (typeof value === 'number') return Number.isNaN(new Date(value).getTime()) ? NaN : value;
	if (value instanceof Date) return value.getTime();
	const text = String(value).trim();
	return Date.parse(WITHOUT_ZONE.test(text) ? String(inTimeZone(text, 'UTC')) : text);
}

/** A number below this is no date in milliseconds since 1973: most likely seconds (`$now.toSeconds()`). */
export const SMALLEST_EPOCH_MS = 1e11;
