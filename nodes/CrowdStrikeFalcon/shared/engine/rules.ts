import type { IDataObject } from 'n8n-workflow';

import { epochMs, SMALLEST_EPOCH_MS } from './dateTime';

/**
 * A rule returns why a value is not acceptable, or undefined when it is. `values`: the item's other fields (see
 * readParameters), for a rule that applies only with one of them (Expires At, only when Expires is "At a Date").
 */
export type Rule = (value: unknown, values?: IDataObject) => string | undefined;

const HEX32 = /^[0-9a-f]{32}$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const notEmpty: Rule = (value) =>
	value === undefined ||
	value === null ||
	(typeof value === 'string' && value.trim() === '') ||
	(Array.isArray(value) && value.length === 0)
		? 'must not be empty'
		: undefined;

/**
 * Control characters (line breaks, tabs, NUL, DEL, the C1 set with NEL) and Unicode's line and paragraph separators:
 * never part of one command line, path or file name.
 */
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Applies `rule` only when a value was given. */
export function optional(rule: Rule): Rule {
	return (value, values) => (value === undefined || value === null || value === '' ? undefined : rule(value, values));
}

/**
 * A number as given: a number, or the text of a decimal one (a sheet cell, `1e3` included). NaN for anything else:
 * `Number()` would read `true` as 1, `[5]` as 5 and `"0x10"` as 16, and a mistaken expression would set a limit
 * nobody chose.
 */
export function numberGiven(value: unknown): number {
	if (typeof value === 'number') return value;
	if (value instanceof Number) return value.valueOf();
	if (typeof value === 'string' && /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(value)) return Number(value);
	return Number.NaN;
}

/**
 * Every entry of an id list matches `pattern`. A value given but made only of separators (`","`, `" ; "`) is an
 * empty list, so it fails here, whether or not the field is required: sent, it would reach Falcon as no ids at all.
 */
export function eachMatches(pattern: RegExp, what: string): Rule {
	return (value) => {
		const list = toList(value);
		const given = value !== undefined && value !== null && value !== '';
		if (given && list.length === 0) return 'must not be empty';
		const bad = list.find((entry) => !pattern.test(entry));
		return bad === undefined ? undefined : `each value must be ${what} (got "${bad}")`;
	};
}

/**
 * A list of at most `limit` entries, e.g. the ids one call takes; `what` names them in the message ("host IDs").
 * `sent` is the mapping's transform: entries are counted as they are sent, a repeated ID once.
 */
export function listsAtMost(limit: number, what: string, sent: (value: unknown) => unknown[] = toList): Rule {
	return (value) => {
		const count = sent(value).length;
		return count > limit ? `must list at most ${limit} ${what} per item (got ${count})` : undefined;
	};
}

/** Falcon's 32-hex ids: installation tokens, audit events, host AIDs. */
export const hex32Ids = eachMatches(HEX32, '32 hexadecimal characters');
export const uuidIds = eachMatches(UUID, 'a UUID');

export function integerBetween(min: number, max: number): Rule {
	return (value) => {
		if (value === undefined || value === '') return undefined;
		const number = numberGiven(value);
		return Number.isInteger(number) && number >= min && number <= max
			? undefined
			: `must be a whole number from ${min} to ${max} (got ${JSON.stringify(value)})`;
	};
}

export function numberBetween(min: number, max: number): Rule {
	return (value) => {
		if (value === undefined || value === '') return undefined;
		const number = numberGiven(value);
		return Number.isFinite(number) && number >= min && number <= max
			? undefined
			: `must be a number from ${min} to ${max} (got ${JSON.stringify(value)})`;
	};
}

export const positiveInteger: Rule = (value) => {
	if (value === undefined || value === '') return undefined;
	const number = numberGiven(value);
	return Number.isInteger(number) && number > 0
		? undefined
		: `must be a positive whole number (got ${JSON.stringify(value)})`;
};

export const dateTime: Rule = (value) => {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'number' && Math.abs(value) < SMALLEST_EPOCH_MS) {
		return `must be a date and time such as 2026-12-31T23:59:59Z, or milliseconds since 1970 (got ${value}: seconds?)`;
	}
	return Number.isNaN(epochMs(value))
		? `must be an ISO 8601 date and time such as 2026-12-31T23:59:59Z or 2026-12-31 (got ${JSON.stringify(value)})`
		: undefined;
};

/** After the dateTime rule: an expiry must lie ahead, or the token would be born expired. */
export const inTheFuture: Rule = (value) => {
	if (value === undefined || value === null || value === '') return undefined;
	const at = epochMs(value);
	return Number.isNaN(at) || at > Date.now() ? undefined : `must be in the future (got ${new Date(at).toISOString()})`;
};

export function maxLength(limit: number): Rule {
	return (value) =>
		typeof value === 'string' && value.length > limit
			? `must be at most ${limit} characters (got ${value.length})`
			: undefined;
}

/** Names that may hold spaces (tags): a list, or a string separated by commas or new lines only. */
export function toCommaList(value: unknown): string[] {
	if (value === undefined || value === null || value === '') return [];
	const raw = Array.isArray(value) ? value : String(value).split(/[,\n]+/);
	return raw.map((entry) => String(entry).trim()).filter((entry) => entry !== '');
}

/**
 * Falcon's hexadecimal ids are lower case, and it finds none written in upper case: a list of them, lower-cased, each
 * once (an ID named twice is acted on, and reported, once).
 */
export function toHexIdList(value: unknown): string[] {
	return [...new Set(toList(value).map((id) => id.toLowerCase()))];
}

/** Accepts a list, or a comma/newline/space separated string, as users paste ids in all those shapes. */
export function toList(value: unknown): string[] {
	if (value === undefined || value === null || value === '') return [];
	const raw = Array.isArray(value) ? value : String(value).split(/[\s,;]+/);
	return raw.map((entry) => String(entry).trim()).filter((entry) => entry !== '');
}
