/**
 * Until when each API client is rate limited in a tenant, as Falcon's last 429 there said. Falcon counts calls per
 * client and CID: once one call is told to wait, the others of this process wait too (or fail, when the wait is too
 * long), instead of each meeting a 429 of its own (gofalcon shares its cooldown the same way).
 */
const limitedUntil = new Map<string, number>();

export function noteRateLimit(key: string, retryAt: number | undefined): void {
	if (retryAt === undefined || retryAt <= Date.now()) return;
	limitedUntil.set(key, Math.max(retryAt, limitedUntil.get(key) ?? 0));
}

/** When the tenant's calls may go again; undefined when they may now. */
export function rateLimitedUntil(key: string): number | undefined {
	const until = limitedUntil.get(key);
	if (until === undefined) return undefined;
	if (until > Date.now()) return until;
	limitedUntil.delete(key);
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
	limitedUntil.clear();
}
