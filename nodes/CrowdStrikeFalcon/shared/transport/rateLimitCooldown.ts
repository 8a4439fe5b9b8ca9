import { rateLimitRetryAt } from './retryPolicy';

/**
 * Until when each API client is rate limited in a tenant, as Falcon's last 429 there said. Falcon counts calls per
 * client and CID: once one call is told to wait, the others of this process wait too (or fail, when the wait is too
 * long), instead of each meeting a 429 of its own (gofalcon shares its cooldown the same way). Only Falcon's own
 * `X-RateLimit-RetryAfter` counts (a proxy's `Retry-After` may be about anything), and calls are held back for two
 * minutes at most, more than Falcon's one-minute window: a clock far off Falcon's cannot hold them for longer.
 */
const limited = new Map<string, { until: number; holdUntil: number }>();
const LONGEST_HOLD_MS = 120_000;

/** `headers`: the 429's, names in lower case. */
export function noteRateLimit(key: string, headers: Record<string, unknown>): void {
	const falcons = headers['x-ratelimit-retryafter'];
	if (falcons === undefined) return;
	const until = rateLimitRetryAt({ 'x-ratelimit-retryafter': falcons });
	const now = Date.now();
	if (until === undefined || until <= now) return;
	for (const [other, entry] of limited) if (entry.holdUntil <= now) limited.delete(other);
	const known = limited.get(key);
	limited.set(key, {
		until: Math.max(until, known?.until ?? 0),
		holdUntil: Math.max(Math.min(until, now + LONGEST_HOLD_MS), known?.holdUntil ?? 0),
	});
}

/** When Falcon said the tenant's calls may go again, while they are held back; undefined when they may go now. */
export function rateLimitedUntil(key: string): number | undefined {
	const entry = limited.get(key);
	if (entry === undefined) return undefined;
	if (entry.holdUntil > Date.now()) return entry.until;
	limited.delete(key);
	return undefined;
}

/** Falcon's own 429, for a call not sent because its tenant is still limited: the transport waits it out as one. */
export function heldBack(until: number): Error {
	return Object.assign(new Error('API rate limit exceeded'), {
		response: {
			status: 429,
			headers: { 'x-ratelimit-retryafter': String(until) },
			data: {
				meta: {},
				resources: [],
				errors: [
					{
						code: 429,
						message: `API rate limit exceeded (not sent: Falcon told another call of this API client to wait until ${new Date(until).toISOString()})`,
					},
				],
			},
		},
	});
}

export function clearRateLimits(): void {
	limited.clear();
}
