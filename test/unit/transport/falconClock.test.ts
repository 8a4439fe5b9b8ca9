import { falconClockAheadMs } from '../../../nodes/CrowdStrikeFalcon/shared/transport/headers';

describe("Falcon's clock from an answer's Date header", () => {
	const receivedAt = Date.parse('2026-12-05T12:00:00.700Z');

	it('reads the same clock as no difference, to within the second the header keeps', () => {
		const ahead = falconClockAheadMs({ date: 'Sat, 05 Dec 2026 12:00:00 GMT' }, receivedAt) as number;
		expect(Math.abs(ahead)).toBeLessThanOrEqual(500);
	});

	it('reads a clock minutes behind or ahead', () => {
		expect(falconClockAheadMs({ date: 'Sat, 05 Dec 2026 11:30:00 GMT' }, receivedAt)).toBe(-30 * 60_000 - 200);
		expect(falconClockAheadMs({ date: 'Sat, 05 Dec 2026 12:30:00 GMT' }, receivedAt)).toBe(30 * 60_000 - 200);
	});

	it('knows nothing without a readable header', () => {
		expect(falconClockAheadMs({}, receivedAt)).toBeUndefined();
		expect(falconClockAheadMs({ date: 'soon' }, receivedAt)).toBeUndefined();
	});
});
