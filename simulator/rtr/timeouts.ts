import { ApiError } from '../request';

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
/** Falcon's documented maximum for timeout, timeout_duration and host_timeout_duration: 5 minutes. */
const MAX_TIMEOUT_MS = 300_000;

/** Go-style durations as the RTR API takes them: `30s`, `500ms`, `1m30s`. */
export function parseDuration(value: string, name: string): number {
	const parts = value.trim().match(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g);
	if (!parts || parts.join('') !== value.trim()) throw new ApiError(400, `${name} must be a duration like 30s or 500ms, got '${value}'`);
	return parts.reduce((total, part) => {
		const [, amount, unit] = /(\d+(?:\.\d+)?)(\D+)/.exec(part) as RegExpExecArray;
		return total + Number(amount) * UNIT_MS[unit];
	}, 0);
}

/** The wait budget of a batch call from timeout / timeout_duration / host_timeout_duration (query parameters). */
export function readTimeouts(query: URLSearchParams): { overallMs: number; hostMs: number } {
	const timeout = query.get('timeout');
	const duration = query.get('timeout_duration');
	const hostDuration = query.get('host_timeout_duration');
	let overallMs = 30_000;
	if (timeout !== null && timeout !== '') {
		const seconds = Number(timeout);
		if (!Number.isFinite(seconds) || seconds <= 0) throw new ApiError(400, `timeout must be a positive number of seconds, got '${timeout}'`);
		overallMs = seconds * 1000;
	} else if (duration) {
		overallMs = parseDuration(duration, 'timeout_duration');
	}
	if (overallMs > MAX_TIMEOUT_MS) throw new ApiError(400, 'Exceeded maximum timeout (300s)', 50401);
	const hostMs = hostDuration ? parseDuration(hostDuration, 'host_timeout_duration') : overallMs;
	if (hostMs > overallMs) throw new ApiError(400, 'host_timeout_duration must not exceed the overall timeout');
	return { overallMs, hostMs };
}
