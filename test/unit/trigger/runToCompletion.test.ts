import type { IDataObject, IRun, ITriggerFunctions } from 'n8n-workflow';

interface Deferred<T> {
	promise: Promise<T>;
	resolve: (value: T) => void;
	reject: (error: Error) => void;
}

import { runToCompletion } from '../../../nodes/CrowdStrikeFalcon/Trigger/runToCompletion';

type Answer = IRun | undefined | Error;

/** The parts of an IRun the trigger reads. */
const run = (status: IRun['status'], resultData: IDataObject): IRun => ({ status, data: { resultData } }) as unknown as IRun;

/** An n8n that settles each emit's done promise with the next answer, and records the keys it was given. */
function n8nAnswering(answers: Answer[]) {
	const keys: Array<string | undefined> = [];
	const warnings: string[] = [];
	const context = {
		logger: { warn: (message: string) => warnings.push(message), error: jest.fn() },
		helpers: {
			createDeferredPromise: <T>() => {
				let resolve!: (value: T) => void;
				let reject!: (error: Error) => void;
				const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
				return { promise, resolve, reject } as Deferred<T>;
			},
		},
		emit: (_data: unknown, _response: unknown, done: Deferred<IRun | undefined>, key?: string) => {
			keys.push(key);
			const answer = answers.shift();
			if (answer instanceof Error) done.reject(answer);
			else done.resolve(answer);
		},
	};
	return { context: context as unknown as ITriggerFunctions, keys, warnings };
}

const items = [{ json: { event: 1 } }];

/** A batch's attempts as the delivery keeps them: `marks` are the attempts stored, in order. */
function attempts(stored?: number) {
	const marks: number[] = [];
	return { attempt: stored, marks, markAttempt: (attempt: number) => void marks.push(attempt) };
}
const signal = new AbortController().signal;

// What n8n 2.41 hands a trigger in queue mode: runData empty, the last node named.
const queueSuccess = run('success', { runData: {}, lastNodeExecuted: 'No Operation' });
const queueWorkflowError = run('error', { runData: {}, lastNodeExecuted: 'Contain', error: { message: 'Host not found' } });
// The job of a worker that died: failed by the stalled check, no node recorded.
const workerDied = run('error', { runData: {}, error: { message: 'This execution failed to be processed too many times and will no longer retry.' } });

test('a finished execution is reported by its status, and emitted once', async () => {
	const ok = n8nAnswering([queueSuccess]);
	await expect(runToCompletion(ok.context, items, 'k', signal, attempts())).resolves.toBe('succeeded');
	const failing = n8nAnswering([queueWorkflowError]);
	await expect(runToCompletion(failing.context, items, 'k', signal, attempts())).resolves.toBe('failed');
	// A workflow that failed on its own ran its nodes: running it again would repeat its side effects.
	expect(failing.keys).toEqual(['k']);
});

test('n8n refusing the key as a repeat is a duplicate; without a key, no run means nothing to wait for', async () => {
	await expect(runToCompletion(n8nAnswering([undefined]).context, items, 'k', signal, attempts())).resolves.toBe('duplicate');
	await expect(runToCompletion(n8nAnswering([undefined]).context, items, undefined, signal, attempts())).resolves.toBe('succeeded');
});

test('an execution that ended before any node ran (its worker died) runs again under a derived key', async () => {
	const n8n = n8nAnswering([workerDied, queueSuccess]);
	await expect(runToCompletion(n8n.context, items, 'falcon:app:e0:0:5-5', signal, attempts())).resolves.toBe('succeeded');
	expect(n8n.keys).toEqual(['falcon:app:e0:0:5-5', 'falcon:app:e0:0:5-5:r1']);
	expect(n8n.warnings.join('\n')).toContain('failed to be processed too many times');
});

test('re-runs are bounded: after two more failures before any node, the events are given up as failed', async () => {
	const n8n = n8nAnswering([workerDied, workerDied, workerDied, queueSuccess]);
	await expect(runToCompletion(n8n.context, items, 'k', signal, attempts())).resolves.toBe('failed');
	expect(n8n.keys).toEqual(['k', 'k:r1', 'k:r2']);
});

test('a re-run refused as a repeat (it ran before a restart) counts as a duplicate', async () => {
	const n8n = n8nAnswering([workerDied, undefined]);
	await expect(runToCompletion(n8n.context, items, 'k', signal, attempts())).resolves.toBe('duplicate');
});

test('regular mode: a failed run with the trigger node in its runData is not repeated', async () => {
	const regularError = run('error', { runData: { 'Falcon Trigger': [] }, error: { message: 'boom' } });
	const n8n = n8nAnswering([regularError]);
	await expect(runToCompletion(n8n.context, items, undefined, signal, attempts())).resolves.toBe('failed');
	expect(n8n.keys).toEqual([undefined]);
});

describe('an emit n8n could not start (its database or Redis down)', () => {
	beforeEach(() => jest.useFakeTimers());
	afterEach(() => jest.useRealTimers());

	// n8n 2.41 records the failed attempt under its key (status error) and refuses that key from then on: emitted
	// again under the same key, the events would be counted a repeat and committed without ever running.
	it('is emitted again under a key of its own each time, at once and then with pauses doubling, until n8n starts it', async () => {
		const n8n = n8nAnswering([new Error('Redis down'), new Error('Redis down'), new Error('Redis down'), new Error('Redis down'), queueSuccess]);
		const outcome = runToCompletion(n8n.context, items, 'k', signal, attempts());
		await jest.advanceTimersByTimeAsync(0);
		expect(n8n.keys).toEqual(['k', 'k:r1']);
		await jest.advanceTimersByTimeAsync(1_000 + 2_000);
		expect(n8n.keys).toEqual(['k', 'k:r1', 'k:r2', 'k:r3']);
		await jest.advanceTimersByTimeAsync(4_000);
		await expect(outcome).resolves.toBe('succeeded');
		expect(n8n.keys).toEqual(['k', 'k:r1', 'k:r2', 'k:r3', 'k:r4']);
		expect(n8n.warnings.slice(0, 2)).toEqual([
			'CrowdStrike Falcon Trigger: n8n could not run an execution (Redis down); trying again now',
			'CrowdStrike Falcon Trigger: n8n could not run an execution (Redis down); trying again in 1 s',
		]);
	});

	it('keeps trying at most a minute apart; when the trigger closes first, the events are left to run after a restart', async () => {
		const closing = new AbortController();
		const n8n = n8nAnswering(Array.from({ length: 50 }, () => new Error('database unavailable')));
		const outcome = runToCompletion(n8n.context, items, 'k', closing.signal, attempts());
		await jest.advanceTimersByTimeAsync(10 * 60_000);
		// At once, then 1 + 2 + ... + 32 s, then one a minute: 1 + 6 + 8 emits again in ten minutes.
		expect(n8n.keys).toHaveLength(1 + 15);
		expect(n8n.warnings.at(-1)).toContain('trying again in 60 s');
		closing.abort();
		await expect(outcome).resolves.toBe('abandoned');
	});

	it('without keys (Skip Repeated Executions off) is emitted again as it was, and nothing is stored', async () => {
		const n8n = n8nAnswering([new Error('Redis down'), queueSuccess]);
		const batch = attempts();
		await expect(runToCompletion(n8n.context, items, undefined, signal, batch)).resolves.toBe('succeeded');
		expect(n8n.keys).toEqual([undefined, undefined]);
		expect(batch.marks).toEqual([]);
	});

	it('a re-run after a worker died that n8n could not start is emitted again under its own key too', async () => {
		const n8n = n8nAnswering([workerDied, new Error('Redis down'), queueSuccess]);
		await expect(runToCompletion(n8n.context, items, 'k', signal, attempts())).resolves.toBe('succeeded');
		expect(n8n.keys).toEqual(['k', 'k:r1', 'k:r2']);
	});
});

describe('attempts stored for a restart (saved by n8n with the next emit)', () => {
	/** Runs `answers` and returns, per emit, its key and the attempt stored when it was emitted. */
	async function storedAtEachEmit(answers: Answer[], stored?: number) {
		const batch = attempts(stored);
		const n8n = n8nAnswering(answers);
		const atEmit: Array<[string | undefined, number | undefined]> = [];
		const emit = n8n.context.emit.bind(n8n.context);
		n8n.context.emit = ((...args: Parameters<typeof emit>) => {
			atEmit.push([args[3], batch.marks.at(-1) ?? stored]);
			emit(...args);
		}) as typeof emit;
		const outcome = await runToCompletion(n8n.context, items, 'k', signal, batch);
		return { outcome, atEmit };
	}

	it('none for an execution that ran at its first emit', async () => {
		expect(await storedAtEachEmit([queueSuccess])).toEqual({ outcome: 'succeeded', atEmit: [['k', undefined]] });
	});

	// A restart goes on at the attempt after the stored one.
	it('after a run that never ran its nodes: that attempt, so a restart emits the re-run\'s key again and n8n knows it', async () => {
		expect(await storedAtEachEmit([workerDied, queueSuccess])).toEqual({
			outcome: 'succeeded',
			atEmit: [
				['k', undefined],
				['k:r1', 0],
			],
		});
	});

	it('after an emit n8n could not start: the next attempt, before its emit, since n8n may fail it too', async () => {
		expect(await storedAtEachEmit([new Error('Redis down'), queueSuccess])).toEqual({
			outcome: 'succeeded',
			atEmit: [
				['k', undefined],
				['k:r1', 1],
			],
		});
	});

	it('after a restart, the batch goes on at the attempt after the stored one, stored again only after trouble', async () => {
		expect(await storedAtEachEmit([queueSuccess], 3)).toEqual({ outcome: 'succeeded', atEmit: [['k:r4', 3]] });
		// The stored attempt was a re-run n8n started before the restart: it is recognised.
		expect(await storedAtEachEmit([undefined], 0)).toEqual({ outcome: 'duplicate', atEmit: [['k:r1', 0]] });
	});
});
