/* eslint-disable @n8n/community-nodes/no-restricted-globals -- lets pending promise callbacks run between steps */
import { Delivery, owedBatchPatience } from '../../../nodes/CrowdStrikeFalcon/shared/stream/delivery';
import type { ReceivedEvent, StreamEvent } from '../../../nodes/CrowdStrikeFalcon/shared/stream/events';
import { readOpenBatches } from '../../../nodes/CrowdStrikeFalcon/shared/stream/openBatches';

const event = (partition: number, offset: number): ReceivedEvent => ({
	partition,
	offset,
	data: { metadata: { offset } } as unknown as StreamEvent,
});

/** A delivery whose executions finish only when the test says so. */
function controlledDelivery(maxInFlight: number) {
	const started: string[] = [];
	const finishers = new Map<string, () => void>();
	const commits: string[] = [];
	const delivery = new Delivery({
		batchSize: 1,
		maxWaitMs: 0,
		maxInFlight,
		signal: new AbortController().signal,
		execute: async ([{ partition, offset }]) => {
			const key = `${partition}:${offset}`;
			started.push(key);
			await new Promise<void>((resolve) => finishers.set(key, resolve));
		},
		onCommitted: (partition, offset) => commits.push(`${partition}:${offset}`),
	});
	const finish = async (key: string) => {
		finishers.get(key)!();
		await new Promise((resolve) => setImmediate(resolve));
	};
	return { delivery, started, commits, finish };
}

it('keeps a finished event\'s slot until it is committed, so uncommitted events never exceed the window', async () => {
	const { delivery, started, commits, finish } = controlledDelivery(2);
	await delivery.add(event(0, 0));
	await delivery.add(event(0, 1));
	await finish('0:1');
	// 0:1 finished, but 0:0 has not: nothing is committed, so both slots stay taken and 0:2 must wait.
	const third = delivery.add(event(0, 2));
	await new Promise((resolve) => setImmediate(resolve));
	expect(started).toEqual(['0:0', '0:1']);
	expect(commits).toEqual([]);
	await finish('0:0');
	await third;
	expect(commits).toEqual(['0:1']);
	expect(started).toEqual(['0:0', '0:1', '0:2']);
});

it('frees slots in another partition independently', async () => {
	const { delivery, started, finish } = controlledDelivery(2);
	await delivery.add(event(0, 0));
	await delivery.add(event(1, 0));
	await finish('1:0');
	await delivery.add(event(1, 1));
	expect(started).toEqual(['0:0', '1:0', '1:1']);
});

it('an execution that never ran (the trigger closed before n8n could start it) leaves its events uncommitted and its batch open', async () => {
	const commits: string[] = [];
	const ran = new Map<number, boolean>([
		[0, true],
		[1, false],
		[2, true],
	]);
	const delivery = new Delivery({
		batchSize: 1,
		maxWaitMs: 0,
		maxInFlight: 3,
		signal: new AbortController().signal,
		execute: async ([{ offset }]) => await Promise.resolve(ran.get(offset)),
		onCommitted: (partition, offset) => commits.push(`${partition}:${offset}`),
	});
	for (const offset of [0, 1, 2]) await delivery.add(event(0, offset));
	await delivery.settled();
	// 0 committed; 1 never ran, so neither it nor 2 after it is committed, and a restart forms both again.
	expect(commits).toEqual(['0:0']);
	expect(delivery.committed(0)).toBe(0);
	expect(delivery.openEntries).toEqual(['0:1-1', '0:2-2']);
});

it('an event waiting for a slot holds its place: a filtered event after it in its partition is not committed past it', async () => {
	const { delivery, started, commits, finish } = controlledDelivery(1);
	await delivery.add(event(0, 0));
	// 0:1 is the full batch waiting for the only slot; 1:0 waits behind it, taken but not yet in a batch.
	const second = delivery.add(event(0, 1));
	const third = delivery.add(event(1, 0));
	// Its reader gave up waiting (the round ended); the next round reads on and 1:1 is filtered out.
	delivery.skip(event(1, 1));
	expect(commits).toEqual([]);
	expect(delivery.committed(1)).toBeUndefined();
	await finish('0:0');
	await second;
	await finish('0:1');
	await third;
	expect(started).toEqual(['0:0', '0:1', '1:0']);
	await finish('1:0');
	expect(commits).toEqual(['0:0', '0:1', '1:1']);
});

/** A delivery restarted with batches owed from before; executions, named by their ranges, finish when told. */
function restartedDelivery(maxInFlight: number, openBatches: string[]) {
	const started: string[] = [];
	const running = new Set<string>();
	const finishers = new Map<string, () => void>();
	const delivery = new Delivery(
		{
			batchSize: 1,
			maxWaitMs: 0,
			maxInFlight,
			signal: new AbortController().signal,
			execute: async (_batch, ranges) => {
				started.push(ranges);
				running.add(ranges);
				await new Promise<void>((resolve) => finishers.set(ranges, resolve));
				running.delete(ranges);
			},
			onCommitted: () => undefined,
		},
		{ committed: new Map([[0, 3], [1, 3]]), openBatches: readOpenBatches(openBatches) },
	);
	const settle = async () => {
		for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
	};
	const finish = async (ranges: string) => {
		finishers.get(ranges)!();
		await settle();
	};
	return { delivery, started, running, settle, finish };
}

it('an owed batch gives its slot back when it finishes: events before it in its partition still get one with Max Executions in Flight 1', async () => {
	// Owed from before the restart: one batch across both partitions, one later in partition 0. Event Types were
	// widened since: 0:5 and 0:6, never sent the first time, now come between them.
	const { delivery, started, settle, finish } = restartedDelivery(1, ['0:4-4,1:4-4', '0:7-7']);
	void delivery.add(event(0, 4));
	// These wait for the owed batch that spans partition 1; the round ends and the reader reads on to 0:7.
	void delivery.add(event(0, 5));
	void delivery.add(event(0, 6));
	void delivery.add(event(0, 7));
	void delivery.add(event(1, 4));
	await settle();
	expect(started).toEqual(['0:7-7', '0:4-4,1:4-4']);
	await finish('0:4-4,1:4-4');
	await finish('0:7-7');
	expect(started).toEqual(['0:7-7', '0:4-4,1:4-4', '0:5-5']);
	await finish('0:5-5');
	await finish('0:6-6');
	expect(started).toEqual(['0:7-7', '0:4-4,1:4-4', '0:5-5', '0:6-6']);
	expect(delivery.committed(0)).toBe(7);
	expect(delivery.window.inFlight).toBe(0);
});

it('an owed batch closed by a later commit while it still runs gives its slot back once: Max Executions in Flight holds', async () => {
	const patience = owedBatchPatience.ms;
	owedBatchPatience.ms = 20;
	try {
		// Owed: 0:4-6 and 1:4. Event Types narrowed since: 0:5, 0:6 and 1:4 are no longer sent.
		const { delivery, running, settle, finish } = restartedDelivery(2, ['0:4-6,1:4-4']);
		void delivery.add(event(0, 4));
		// Partition 1 is past its range: 1:10 waits for the owed batch, sent with what came back once patience ends.
		void delivery.add(event(1, 10));
		await new Promise((resolve) => setTimeout(resolve, 100));
		await settle();
		// 1:10's commit closes the owed batch (its range in partition 0 was given up on) while it still runs.
		await finish('1:10-10');
		void delivery.add(event(1, 11));
		void delivery.add(event(1, 12));
		await settle();
		await finish('0:4-6,1:4-4');
		void delivery.add(event(1, 13));
		await settle();
		expect([...running]).toEqual(['1:11-11', '1:12-12']);
		expect(delivery.window.inFlight).toBe(2);
	} finally {
		owedBatchPatience.ms = patience;
	}
});
