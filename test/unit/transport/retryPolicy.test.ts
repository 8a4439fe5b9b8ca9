import { rateLimitWaitMs, retryPolicy } from '../../../nodes/CrowdStrikeFalcon/shared/transport/retryPolicy';

describe('the wait X-RateLimit-RetryAfter asks for', () => {
	const now = Date.parse('2026-12-03T12:00:00.000Z');

	it.each([
		['epoch seconds', String(now / 1000 + 7), 7_000],
		['epoch milliseconds (as the swagger states it)', String(now + 7_500), 7_500],
	])('in %s', (_, header, expected) => {
		expect(rateLimitWaitMs({ 'x-ratelimit-retryafter': header }, now)).toBe(expected);
	});

	it.each([
		['absent', undefined],
		['not a number', 'soon'],
		['in the past', String(now / 1000 - 30)],
		['zero', '0'],
	])('%s: the shortest wait', (_, header) => {
		expect(rateLimitWaitMs({ 'x-ratelimit-retryafter': header }, now)).toBe(retryPolicy.minRateLimitWaitMs);
	});
});

describe('a standard Retry-After, as a proxy or gateway in front of Falcon sends it', () => {
	const now = Date.parse('2026-12-03T12:00:00.000Z');

	it.each([
		['seconds to wait', '30', 30_000],
		['seconds with a fraction', '1.5', 1_500],
		['an HTTP date', 'Thu, 03 Dec 2026 12:00:45 GMT', 45_000],
	])('in %s', (_, header, expected) => {
		expect(rateLimitWaitMs({ 'retry-after': header }, now)).toBe(expected);
	});

	it("gives way to Falcon's own header", () => {
		expect(rateLimitWaitMs({ 'x-ratelimit-retryafter': String(now / 1000 + 7), 'retry-after': '30' }, now)).toBe(7_000);
	});

	it.each([['soon'], [''], ['-5']])('%j: the shortest wait', (header) => {
		expect(rateLimitWaitMs({ 'retry-after': header }, now)).toBe(retryPolicy.minRateLimitWaitMs);
	});
});
