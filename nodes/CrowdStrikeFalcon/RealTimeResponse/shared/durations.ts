import type { Rule } from '../../shared/engine/rules';

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g;

/** The API's duration strings (Go syntax: `30s`, `500ms`, `1m30s`) in milliseconds; undefined when malformed. */
export function parseDuration(value: unknown): number | undefined {
	const text = String(value ?? '').trim();
	const parts = text.match(PART);
	if (!parts || parts.join('') !== text) return undefined;
	return parts.reduce((total, part) => {
		const [, amount, unit] = /(\d+(?:\.\d+)?)(\D+)/.exec(part) as RegExpExecArray;
		return total + Number(amount) * UNIT_MS[unit];
	}, 0);
}

export function durationUpTo(maxMs: number): Rule {
	return (value) => {
		if (value === undefined || value === null || value === '') return undefined;
		const ms = parseDuration(value);
		if (ms === undefined) return `must be a duration such as 30s, 2m or 1m30s (got ${JSON.stringify(value)})`;
		if (ms <= 0 || ms > maxMs) return `must be more than 0 and at most ${maxMs / 1000}s (got ${JSON.stringify(value)})`;
		return undefined;
	};
}
