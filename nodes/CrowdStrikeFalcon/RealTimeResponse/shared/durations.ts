import type { Rule } from '../../shared/engine/rules';
import { parseDuration } from '../../shared/transport/goDuration';

export function durationUpTo(maxMs: number): Rule {
	return durationWithin(maxMs, true);
}

/** As durationUpTo, for a value Falcon wants strictly below the limit (the per-host timeout: "< 5 minutes"). */
export function durationBelow(limitMs: number): Rule {
	return durationWithin(limitMs, false);
}

function durationWithin(limitMs: number, limitAllowed: boolean): Rule {
	return (value) => {
		if (value === undefined || value === null || value === '') return undefined;
		const ms = parseDuration(value);
		if (ms === undefined) return `must be a duration such as 30s, 2m or 1m30s (got ${JSON.stringify(value)})`;
		if (ms > 0 && (limitAllowed ? ms <= limitMs : ms < limitMs)) return undefined;
		return `must be more than 0 and ${limitAllowed ? 'at most' : 'less than'} ${limitMs / 1000}s (got ${JSON.stringify(value)})`;
	};
}
