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

/**
 * How long Falcon may hold a call open, as its query asks (`timeout` in seconds, `timeout_duration`), or undefined
 * for a call that does not wait for hosts.
 */
export function heldOpenMs(qs: Record<string, unknown> | undefined): number | undefined {
	if (!qs) return undefined;
	const seconds = Number(qs.timeout);
	const waits = [
		qs.timeout !== undefined && Number.isFinite(seconds) ? seconds * 1000 : undefined,
		qs.timeout_duration !== undefined ? parseDuration(qs.timeout_duration) : undefined,
	].filter((wait): wait is number => wait !== undefined);
	return waits.length > 0 ? Math.max(...waits) : undefined;
}
