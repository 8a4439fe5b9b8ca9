import { rateLimitWaitMs, retryPolicy } from '../../../nodes/CrowdStrikeFalcon/shared/transport/retryPolicy';

describe('the wait X-RateLimit-RetryAfter asks for', () => {
	const now = Date.parse('2026-12-03T12:00:00.000Z');

	it.each([
		['epoch seconds', String(now / 1000 + 7), 7_000],
		['epoch milliseconds (as the swagger states it)', String(now + 7_500), 7_500],
	])('in %s', (_, header, expected) => {
		expect(rateLimitWaitMs(header, now)).toBe(expected);
	});

	it.each([
		['absent', undefined],
		['not a number', 'soon'],
		['in the past', String(now / 1000 - 30)],
		['zero', '0'],
	])('%s: the shortest wait', (_, header) => {
		expect(rateLimitWaitMs(header, now)).toBe(retryPolicy.minRateLimitWaitMs);
	});
});
