import { apiWaitQuery } from '../../../nodes/CrowdStrikeFalcon/RealTimeResponse/shared/waitOptions';
import { pauses, type WaitPlan } from '../../../nodes/CrowdStrikeFalcon/RealTimeResponse/shared/poll';

describe('pauses between status checks', () => {
	it('never sleep past the next keep-alive: a poll interval longer than it does not let the sessions idle out', async () => {
		const started = Date.now();
		const refreshedAt: number[] = [];
		const plan: WaitPlan = {
			// Scaled down from the largest settings the node allows: polls every 300 s, keep-alive every 540 s.
			pollIntervalMs: 1_500,
			keepAliveEveryMs: 400,
			deadline: started + 2_600,
			keepAlive: async () => {
				refreshedAt.push(Date.now());
			},
			itemIndex: 0,
		};
		const pause = pauses(plan);
		while (await pause());

		const times = [started, ...refreshedAt];
		const gaps = refreshedAt.map((at, n) => at - times[n]);
		expect(refreshedAt.length).toBeGreaterThanOrEqual(5);
		// Each refresh comes when due, give or take timer drift on a loaded machine; never a poll interval late.
		expect(Math.max(...gaps)).toBeLessThan(plan.keepAliveEveryMs + 200);
	});
});

describe("the wait for hosts of a flow's calls", () => {
	it("cuts Falcon's 30 s default to a shorter Deadline, never below the Per-Host Timeout, and leaves a wait the user set", () => {
		expect(apiWaitQuery({}, { deadlineSeconds: 300 })).toEqual({});
		expect(apiWaitQuery({}, { deadlineSeconds: 4.5 })).toEqual({ timeout: 4 });
		expect(apiWaitQuery({}, {})).toEqual({});
		expect(apiWaitQuery({ host_timeout_duration: '8s' }, { deadlineSeconds: 5 }, true)).toEqual({ host_timeout_duration: '8s', timeout: 8 });
		expect(apiWaitQuery({ timeout_duration: '20s' }, { deadlineSeconds: 25 })).toEqual({ timeout_duration: '20s' });
		expect(apiWaitQuery({}, { deadlineSeconds: 5, waitForCompletion: false })).toEqual({});
	});
});
