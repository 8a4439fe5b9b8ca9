import type { StoredState } from '../../../nodes/CrowdStrikeFalcon/shared/stream/positions';
import { planStart } from '../../../nodes/CrowdStrikeFalcon/Trigger/startPosition';
import { startFingerprint, type StartSetting, type TriggerSettings } from '../../../nodes/CrowdStrikeFalcon/Trigger/settings';

const settingsWith = (start: StartSetting) => ({ start, whenNothingStored: 'latest' }) as TriggerSettings;
const HOUR = 3_600_000;

describe('Events Newer Than given by an expression that reads the clock', () => {
	const byExpression = (afterMs: number): StartSetting => ({
		kind: 'newerThan',
		afterMs,
		setAs: '={{ $now.minus({ hours: 1 }).toISO() }}',
	});

	it('is applied once: a later activation, whose expression gives a later time, keeps the floor it had when applied', () => {
		const state: StoredState = {};
		const appliedAt = Date.now() - HOUR;
		const first = planStart(settingsWith(byExpression(appliedAt)), state, false);
		expect(first.startFor(0)).toEqual({ oldest: true });
		expect(first.floors.get(0)).toBe(appliedAt);
		const epoch = state.epoch;

		// A restart two hours later, partition 0 still without an offset (a quiet partition).
		const later = planStart(settingsWith(byExpression(appliedAt + 2 * HOUR)), state, false);
		expect(state.epoch).toBe(epoch);
		expect(later.startFor(0)).toEqual({ oldest: true });
		expect(later.floors.get(0)).toBe(appliedAt);
	});

	it('names the setting by its expression, and a fixed time by the time', () => {
		expect(startFingerprint(byExpression(1_000))).toBe(startFingerprint(byExpression(2_000)));
		expect(startFingerprint({ kind: 'newerThan', afterMs: 1_000 })).not.toBe(startFingerprint({ kind: 'newerThan', afterMs: 2_000 }));
	});
});
