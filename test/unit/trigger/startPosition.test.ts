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
		expect(first.startFor(0, true)).toEqual({ oldest: true });
		expect(first.floors.get(0)).toBe(appliedAt);
		const epoch = state.epoch;

		// A restart two hours later, partition 0 still without an offset (a quiet partition).
		const later = planStart(settingsWith(byExpression(appliedAt + 2 * HOUR)), state, false);
		expect(state.epoch).toBe(epoch);
		expect(later.startFor(0, true)).toEqual({ oldest: true });
		expect(later.floors.get(0)).toBe(appliedAt);
	});

	it('names the setting by its expression, and a fixed time by the time', () => {
		expect(startFingerprint(byExpression(1_000))).toBe(startFingerprint(byExpression(2_000)));
		expect(startFingerprint({ kind: 'newerThan', afterMs: 1_000 })).not.toBe(startFingerprint({ kind: 'newerThan', afterMs: 2_000 }));
	});
});

describe('"Start With New Events" on a partition without a position', () => {
	const newEvents = { start: { kind: 'stored' }, whenNothingStored: 'latest' } as TriggerSettings;

	it('starts at the newest event in the first round of the activation that set the floor', () => {
		const plan = planStart(newEvents, {}, false);
		expect(plan.startFor(0, true)).toEqual({ latest: true });
		expect(plan.floors.size).toBe(0);
	});

	it('a partition first offered by a later discovery reads from the oldest and drops what came before the floor: what arrived since is kept', () => {
		const state: StoredState = {};
		const plan = planStart(newEvents, state, false);
		expect(plan.startFor(0, true)).toEqual({ latest: true });
		expect(plan.startFor(1, false)).toEqual({ oldest: true });
		expect(plan.floors.get(1)).toBe(state.newEventsSince);
	});

	it("compares the floor with events' creation times on Falcon's clock as it stood when the floor was set: a server clock corrected since moves nothing", () => {
		const state: StoredState = {};
		const aheadThen = -30 * 60_000;
		const first = planStart(newEvents, state, false);
		// As the consumer tells it at the first discovery, before any feed connects.
		first.noteFalconClock(aheadThen);
		expect(first.startFor(0, true)).toEqual({ latest: true });
		// A restart after n8n's clock was put right: Falcon's is no longer behind it.
		const restarted = planStart(newEvents, state, false);
		restarted.noteFalconClock(0);
		expect(restarted.startFor(0, true)).toEqual({ oldest: true });
		expect(restarted.floors.get(0)).toBe((state.newEventsSince as number) + aheadThen);
	});

	it('a first round that connects minutes after the activation (discovery failing meanwhile) reads from the oldest too', () => {
		jest.useFakeTimers({ now: Date.now(), doNotFake: ['nextTick', 'setImmediate'] });
		try {
			const state: StoredState = {};
			const plan = planStart(newEvents, state, false);
			jest.setSystemTime(Date.now() + 5 * 60_000);
			expect(plan.startFor(0, true)).toEqual({ oldest: true });
			expect(plan.floors.get(0)).toBe(state.newEventsSince);
		} finally {
			jest.useRealTimers();
		}
	});
});
