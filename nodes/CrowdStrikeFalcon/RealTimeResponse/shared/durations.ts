import type { Rule } from '../../shared/engine/rules';
import { parseDuration } from '../../shared/transport/goDuration';

export function durationUpTo(maxMs: number): Rule {
	return (value) => {
		if (value === undefined || value === null || value === '') return undefined;
		const ms = parseDuration(value);
		if (ms === undefined) return `must be a duration such as 30s, 2m or 1m30s (got ${JSON.stringify(value)})`;
		if (ms <= 0 || ms > maxMs) return `must be more than 0 and at most ${maxMs / 1000}s (got ${JSON.stringify(value)})`;
		return undefined;
	};
}
