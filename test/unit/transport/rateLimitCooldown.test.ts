import { clearRateLimits, noteRateLimit, rateLimitedUntil } from '../../../nodes/CrowdStrikeFalcon/shared/transport/rateLimitCooldown';

describe("a 429's cooldown, shared by an API client's calls in a tenant", () => {
	const now = Date.parse('2026-12-05T12:00:00.000Z');
	let clock = now;
	beforeEach(() => {
		clock = now;
		jest.spyOn(Date, 'now').mockImplementation(() => clock);
		clearRateLimits();
	});
	afterEach(() => jest.restoreAllMocks());

	it("holds the tenant's calls until Falcon's X-RateLimit-RetryAfter, then lets them go", () => {
		noteRateLimit('client-a', { 'x-ratelimit-retryafter': String(now / 1000 + 30) });
		expect(rateLimitedUntil('client-a')).toBe(now + 30_000);
		expect(rateLimitedUntil('client-b')).toBeUndefined();
		clock = now + 30_000;
		expect(rateLimitedUntil('client-a')).toBeUndefined();
	});

	it("holds them two minutes at most, however far Falcon's time is (a clock far off Falcon's), naming Falcon's time", () => {
		noteRateLimit('client-a', { 'x-ratelimit-retryafter': String(now / 1000 + 3600) });
		clock = now + 119_000;
		expect(rateLimitedUntil('client-a')).toBe(now + 3_600_000);
		clock = now + 120_000;
		expect(rateLimitedUntil('client-a')).toBeUndefined();
	});

	it("ignores a proxy's Retry-After: only Falcon's own header holds the client's calls", () => {
		noteRateLimit('client-a', { 'retry-after': 'Fri, 31 Dec 2099 23:59:59 GMT' });
		noteRateLimit('client-a', { 'retry-after': '600' });
		expect(rateLimitedUntil('client-a')).toBeUndefined();
	});
});
