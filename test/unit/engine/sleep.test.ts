/* eslint-disable @n8n/community-nodes/no-restricted-imports -- the test counts the listeners on a signal */
import { getEventListeners } from 'node:events';

type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * The package's sleep as it runs on an n8n-workflow whose own `sleep` takes no signal (1.x, 2.0-2.33): the real
 * n8n-workflow's sleep stands in, made to ignore the signal as those do.
 */
function packageSleepOn(workflow: { sleepWithAbort?: Sleep }): Sleep {
	let loaded: Sleep | undefined;
	jest.isolateModules(() => {
		const real = jest.requireActual<{ sleep: Sleep }>('n8n-workflow');
		jest.doMock('n8n-workflow', () => ({
			...real,
			sleep: async (ms: number) => await real.sleep(ms),
			...workflow,
		}));
		loaded = (jest.requireActual('../../../nodes/CrowdStrikeFalcon/shared/sleep') as { sleep: Sleep }).sleep;
	});
	jest.dontMock('n8n-workflow');
	return loaded!;
}

/** n8n-workflow 1.x's sleepWithAbort: ends on abort, but leaves its listener on the signal. */
const leakySleepWithAbort: Sleep = async (ms, signal) =>
	await new Promise((resolve, reject) => {
		const real = jest.requireActual<{ sleep: Sleep }>('n8n-workflow');
		void real.sleep(ms).then(resolve);
		signal?.addEventListener('abort', () => reject(new Error('cancelled')), { once: true });
	});

describe('sleep, on every n8n the package supports', () => {
	it.each([
		['n8n-workflow 1.x (sleepWithAbort beside a sleep that ignores signals)', { sleepWithAbort: leakySleepWithAbort }],
		['an n8n-workflow with neither', {}],
	])('%s: ends at once when the signal aborts, with its reason, leaving no listener on it', async (_, workflow) => {
		const sleep = packageSleepOn(workflow);
		const controller = new AbortController();
		const started = Date.now();
		// Short enough that the timer left running where nothing can cancel it (the second case) does not hold jest up.
		const waiting = sleep(2_000, controller.signal);
		const reason = new Error('trigger deactivated');
		void Promise.resolve().then(() => controller.abort(reason));
		await expect(waiting).rejects.toBe(reason);
		expect(Date.now() - started).toBeLessThan(1_000);
		expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
	});

	it('a wait that runs out leaves no listener on a long-lived signal either', async () => {
		const sleep = packageSleepOn({ sleepWithAbort: leakySleepWithAbort });
		const lasting = new AbortController();
		for (let round = 0; round < 20; round++) await sleep(1, lasting.signal);
		expect(getEventListeners(lasting.signal, 'abort')).toHaveLength(0);
		await expect(sleep(1, AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
	});
});

describe('sleep longer than a Node timer can wait (2^31-1 ms, about 24.8 days)', () => {
	afterEach(() => jest.useRealTimers());

	it('waits the whole time: Node would fire such a timer after 1 ms', async () => {
		jest.useFakeTimers();
		const { sleep } = jest.requireActual<{ sleep: Sleep }>('../../../nodes/CrowdStrikeFalcon/shared/sleep');
		const days = 40_000 * 60_000;
		let done = false;
		const waiting = sleep(days, new AbortController().signal).then(() => (done = true));
		await jest.advanceTimersByTimeAsync(1_000);
		expect(done).toBe(false);
		await jest.advanceTimersByTimeAsync(days - 2_000);
		expect(done).toBe(false);
		await jest.advanceTimersByTimeAsync(1_000);
		await waiting;
		expect(done).toBe(true);
	});
});
