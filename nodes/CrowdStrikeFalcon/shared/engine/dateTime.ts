import { tryToParseDateTime } from 'n8n-workflow';

/** What n8n's date picker stores (`2030-07-01T00:00:00`), or a bare date: a wall-clock time that names no zone. */
const WITHOUT_ZONE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/;

/**
 * A date and time that names no zone, read in `timeZone` (the workflow's, `getTimezone()`), as n8n's own nodes read
 * it: the instant it names, as ISO text in UTC. Any other value comes back as it is, for the rules to judge.
 */
export function inTimeZone(value: unknown, timeZone: string): unknown {
	if (typeof value !== 'string' || !WITHOUT_ZONE.test(value.trim()) || !namesRealDay(value.trim())) return value;
	try {
		const instant = tryToParseDateTime(value.trim(), timeZone).toMillis();
		return Number.isNaN(instant) ? value : new Date(instant).toISOString();
	} catch {
		return value;
	}
}

/**
 * ISO 8601 as users and expressions write it: a date, or a date and time with or without a zone (also as Luxon's
 * `toSQL()` writes it, a space before the offset).
 */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?: ?(?:Z|[+-]\d{2}:?\d{2}))?)?$/i;
/** RFC 2822 and HTTP dates (`Wed, 01 May 2024 12:00:00 +0200`, `… GMT`): unambiguous, since they name the zone. */
const RFC_2822 = /^(?:[a-z]{3}, )?\d{1,2} [a-z]{3} \d{4} \d{2}:\d{2}(?::\d{2})? (?:[+-]\d{4}|GMT|UTC|UT|Z)$/i;

/**
 * Milliseconds since the epoch, or NaN when the value is not a date and time JavaScript can represent. Text must be
 * ISO 8601, or RFC 2822 / HTTP with its zone: JavaScript's own parser guesses at anything else ("Dec 5" is
 * 5 December 2001, "5/6/2030" is 6 May) in the server's time zone. Values come through `inTimeZone` first; one that
 * still names no zone is read as UTC. Dates from expressions count too: Date objects, and Luxon DateTimes (`$now`),
 * by their instant.
 */
export function epochMs(value: unknown): number {
	if (typeof value === 'number') return Number.isNaN(new Date(value).getTime()) ? NaN : value;
	if (value instanceof Date) return value.getTime();
	if (isDateTime(value)) return value.toMillis();
	const text = String(value).trim();
	if (RFC_2822.test(text)) return Date.parse(text);
	if (!ISO_8601.test(text) || !namesRealDay(text)) return NaN;
	return Date.parse(WITHOUT_ZONE.test(text) ? String(inTimeZone(text, 'UTC')) : text.toUpperCase());
}

/**
 * Orders two instants to the nanosecond: Falcon's timestamps carry nine fraction digits, and two records of one
 * millisecond are still apart. NaN when either is no date.
 */
export function compareInstants(a: unknown, b: unknown): number {
	const byMs = epochMs(a) - epochMs(b);
	return byMs !== 0 ? byMs : nanosPastMs(a) - nanosPastMs(b);
}

/** The fraction digits of an ISO 8601 time beyond the millisecond, as nanoseconds. */
function nanosPastMs(value: unknown): number {
	const digits = typeof value === 'string' ? /:\d{2}\.\d{3}(\d{1,6})/.exec(value)?.[1] : undefined;
	return digits ? Number(digits.padEnd(6, '0')) : 0;
}

/** JavaScript and Luxon both roll an impossible day over (30 February is 2 March): such a date is refused instead. */
function namesRealDay(isoText: string): boolean {
	const [year, month, day] = isoText.slice(0, 10).split('-').map(Number);
	const date = new Date(Date.UTC(year, month - 1, day));
	return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function isDateTime(value: unknown): value is { toMillis(): number } {
	return typeof value === 'object' && value !== null && typeof (value as { toMillis?: unknown }).toMillis === 'function';
}

/** A number below this is no date in milliseconds since 1973: most likely seconds (`$now.toSeconds()`). */
export const SMALLEST_EPOCH_MS = 1e11;
