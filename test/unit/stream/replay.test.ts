/* eslint-disable @n8n/community-nodes/no-restricted-globals -- lets pending promise callbacks run between steps */
import { sleep } from 'n8n-workflow';

import { formatRanges, parseRanges, rangesOf } from '../../../nodes/CrowdStrikeFalcon/shared/stream/batchRanges';
import { Delivery, owedBatchPatience } from '../../../nodes/CrowdStrikeFalcon/shared/stream/delivery';
import type { ReceivedEvent, StreamEvent } from '../../../nodes/CrowdStrikeFalcon/shared/stream/events';
import { readOpenBatches, type BatchAttempts } from '../../../nodes/CrowdStrikeFalcon/shared/stream/openBatches';
import { deduplicationKeys } from '../../../nodes/CrowdStrikeFalcon/Trigger/deduplicationKey';

const event = (partition: number, offset: number): ReceivedEvent => ({
	partition,
	offset,
	data: { metadata: { offset } } as unknown as StreamEvent,
});

const tick = async () => await new Promise((resolve) => setImmediate(resolve));

/**
 * A delivery whose executions finish only when the test says so; executions are named by their ranges. `start` is
 * what an earlier activation stored.
 */
function controlledDelivery(maxInFlight: number, start: { committed?: Map<number, number>; openBatches?: unknown }, batchSize = 1) {
	const started: string[] = [];
	const attempts = new Map<string, BatchAttempts>();
	const finishers = new Map<string, () => void>();
	const commits: string[] = [];
	let told = 0;
	const delivery = new Delivery(
		{
			batchSize,
			maxWaitMs: 0,
			maxInFlight,
			signal: new AbortController().signal,
			execute: async (_batch, ranges, batch) => {
				started.push(ranges);
				attempts.set(ranges, batch);
				await new Promise<void>((resolve) => finishers.set(ranges, resolve));
			},
			onCommitted: (partition, offset) => commits.push(`${partition}:${offset}`),
			onOpenBatchChanged: () => told++,
		},
		{ committed: start.committed, openBatches: readOpenBatches(start.openBatches) },
	);
	const finish = async (ranges: string) => {
		finishers.get(ranges)!();
		await tick();
	};
	/** The open batches now, as they would be stored. */
	const open = () => [...delivery.openEntries];
	return { delivery, started, attempts, commits, open, finish, told: () => told };
}

describe('batch ranges', () => {
	it('names a batch by its first and last offset per partition, in partition order', () => {
		expect(formatRanges(rangesOf([event(1, 4), event(0, 5), event(1, 3), event(0, 9)]))).toBe('0:5-9,1:3-4');
		expect(formatRanges(parseRanges('0:5-9,1:3-4')!)).toBe('0:5-9,1:3-4');
	});

	it('refuses stored ranges it did not write', () => {
		for (const bad of ['', '0:5', '0:9-5', '0:1-2,0:3-4', 'x:1-2', 7, null, '0:1-2;1:1-1']) {
			expect(parseRanges(bad)).toBeUndefined();
		}
	});
});

describe('deduplication keys', () => {
	const keyFor = deduplicationKeys('wf1', 'node-1', 'Ab12Cd34');

	it('are made of the workflow and node, the epoch and the ranges, and fit n8n\'s 255 characters', () => {
		const key = keyFor('0:5-9,1:3-4');
		expect(key).toMatch(/^falcon:n8nwf1[a-z0-9]{10}:Ab12Cd34:0:5-9,1:3-4$/);
		expect(deduplicationKeys('wf1', 'node-2', 'Ab12Cd34')('0:5-9,1:3-4')).not.toBe(key);
		const wide = Array.from({ length: 40 }, (_, partition) => `${partition}:1000000-1000099`).join(',');
		const long = keyFor(wide);
		expect(long.length).toBeLessThanOrEqual(255);
		expect(long).not.toBe(keyFor(wide.replace('0:1000000', '0:1000001')));
		// With room for a later attempt's suffix (`:e123456`), and to spare.
		const justFits = keyFor('0:1-2,'.repeat(40).slice(0, 235 - key.length + '0:5-9,1:3-4'.length));
		expect(justFits.length).toBeLessThanOrEqual(235);
		expect(`${justFits}:r2:e123456`.length).toBeLessThanOrEqual(255);
	});

	it('are the same for the same ranges in a later activation, short or hashed, and differ per child', () => {
		const wide = Array.from({ length: 40 }, (_, partition) => `${partition}:1000000-1000099`).join(',');
		const child = 'abcdefabcdefabcdefabcdefabcdef12';
		for (const ranges of ['0:5-9,1:3-4', wide]) {
			expect(deduplicationKeys('wf1', 'node-1', 'Ab12Cd34')(ranges)).toBe(keyFor(ranges));
			const childKey = deduplicationKeys('wf1', 'node-1', 'Ab12Cd34', child)(ranges);
			expect(deduplicationKeys('wf1', 'node-1', 'Ab12Cd34', child)(ranges)).toBe(childKey);
			expect(childKey).not.toBe(keyFor(ranges));
		}
	});
});

describe('batches owed from before a restart', () => {
	it('are formed again from the same offsets and emitted with the same ranges, before the window lets others in', async () => {
		const { delivery, started, commits, finish } = controlledDelivery(1, {
			openBatches: ['0:0-1,1:0-0'],
		});
		await delivery.add(event(0, 0));
		await delivery.add(event(0, 1));
		// The owed batch holds the only slot: a later event of partition 0 waits, but partition 1 still gets through.
		const later = delivery.add(event(0, 2));
		await tick();
		expect(started).toEqual([]);
		await delivery.add(event(1, 0));
		expect(started).toEqual(['0:0-1,1:0-0']);
		await finish('0:0-1,1:0-0');
		await later;
		expect(started).toEqual(['0:0-1,1:0-0', '0:2-2']);
		expect(commits).toEqual(['0:1', '1:0']);
	});

	it('let an event Falcon now sends ahead of them run first, even when they fill every slot of the window', async () => {
		// Event Types widened before the restart: offset 4, never sent the first time, now comes before the owed 5.
		const { delivery, started, commits, finish } = controlledDelivery(1, { committed: new Map([[0, 3]]), openBatches: ['0:5-5'] });
		const ahead = delivery.add(event(0, 4));
		await tick();
		expect(started).toEqual(['0:4-4']);
		await ahead;
		await delivery.add(event(0, 5));
		expect(started).toEqual(['0:4-4', '0:5-5']);
		// Past the owed batch the window is back to its one slot: 6 waits for both to be committed.
		const after = delivery.add(event(0, 6));
		await finish('0:5-5');
		expect(started).toEqual(['0:4-4', '0:5-5']);
		await finish('0:4-4');
		await after;
		expect(started).toEqual(['0:4-4', '0:5-5', '0:6-6']);
		expect(commits).toEqual(['0:5']);
	});

	it('keep no slot before they run: another partition goes on, and an event ahead of them is not stuck behind it', async () => {
		const { delivery, started, finish } = controlledDelivery(1, { committed: new Map([[0, 3], [1, 9]]), openBatches: ['0:5-5'] });
		// Partition 1 owes nothing: its event takes the one slot instead of waiting for the owed batch.
		await delivery.add(event(1, 10));
		expect(started).toEqual(['1:10-10']);
		// Partition 0's new event 4 waits for that slot like any event, and the owed batch after it still runs.
		const ahead = delivery.add(event(0, 4));
		await tick();
		expect(started).toEqual(['1:10-10']);
		await finish('1:10-10');
		await ahead;
		await delivery.add(event(0, 5));
		expect(started).toEqual(['1:10-10', '0:4-4', '0:5-5']);
	});

	it('still start before the later events of their partitions, which wait for them without holding up others', async () => {
		const { delivery, started, finish } = controlledDelivery(2, { committed: new Map([[0, 3], [1, 9]]), openBatches: ['0:4-5,1:10-10'] });
		await delivery.add(event(0, 4));
		await delivery.add(event(0, 5));
		// 6 comes after the owed batch's range of partition 0: it starts only once the batch has.
		const behind = delivery.add(event(0, 6));
		await tick();
		expect(started).toEqual([]);
		await delivery.add(event(1, 10));
		await behind;
		expect(started).toEqual(['0:4-5,1:10-10', '0:6-6']);
		await finish('0:4-5,1:10-10');
		await finish('0:6-6');
		await delivery.add(event(1, 11));
		expect(started).toEqual(['0:4-5,1:10-10', '0:6-6', '1:11-11']);
	});

	it("are sent with what came back when a partition's part never comes again (Event Types narrowed): the others do not stall", async () => {
		const patience = owedBatchPatience.ms;
		owedBatchPatience.ms = 20;
		try {
			// One execution slot: the batch sent without partition 1's part must free it once what it ran is committed.
			const { delivery, started, commits, open, finish } = controlledDelivery(1, {
				committed: new Map([[0, 3], [1, 9]]),
				openBatches: ['0:4-5,1:10-10'],
			});
			await delivery.add(event(0, 4));
			await delivery.add(event(0, 5));
			// Partition 1 never gets back to offset 10: partition 0's reader waits a while, not for good.
			const behind = delivery.add(event(0, 6));
			await sleep(60);
			// The same ranges: n8n knows the execution if it ran before the restart.
			expect(started).toEqual(['0:4-5,1:10-10']);
			await finish('0:4-5,1:10-10');
			await behind;
			expect(started).toEqual(['0:4-5,1:10-10', '0:6-6']);
			await finish('0:6-6');
			expect(commits).toEqual(['0:5', '0:6']);
			// Its event that comes after all is delivered as a new one (at worst a repeat), and the batch is closed.
			await delivery.add(event(1, 10));
			expect(started).toEqual(['0:4-5,1:10-10', '0:6-6', '1:10-10']);
			await finish('1:10-10');
			expect(open()).toEqual([]);
		} finally {
			owedBatchPatience.ms = patience;
		}
	});

	it('are known to have finished when one of their ranges is committed: the rest is committed without running', async () => {
		const { delivery, started, commits, open } = controlledDelivery(1, {
			committed: new Map([
				[0, 9],
				[1, 2],
			]),
			openBatches: ['0:5-9,1:3-4', 'garbage'],
		});
		await delivery.add(event(1, 3));
		await delivery.add(event(1, 4));
		expect(started).toEqual([]);
		expect(commits).toEqual(['1:3', '1:4']);
		expect(open()).toEqual([]);
		// No slot was held for it.
		await delivery.add(event(1, 5));
		expect(started).toEqual(['1:5-5']);
	});

	it('keep an event a filter now drops: the batch is formed again as emitted, and nothing of it is committed before it ran', async () => {
		const { delivery, started, commits, finish } = controlledDelivery(1, { committed: new Map([[0, 4]]), openBatches: ['0:5-7'] });
		// A stricter filter now drops 5; 6 and 7 still pass.
		expect(delivery.skip(event(0, 5))).toBe(false);
		expect(commits).toEqual([]);
		await delivery.add(event(0, 6));
		await delivery.add(event(0, 7));
		expect(started).toEqual(['0:5-7']);
		expect(commits).toEqual([]);
		await finish('0:5-7');
		expect(commits).toEqual(['0:7']);
		// Past the owed batch, a filtered event is committed in its turn.
		expect(delivery.skip(event(0, 8))).toBe(true);
		expect(commits).toEqual(['0:7', '0:8']);
	});

	it('free their slot when none of their events comes back, and count as reached when a later offset arrives', async () => {
		const { delivery, started } = controlledDelivery(1, { committed: new Map([[0, 2]]), openBatches: ['0:3-4'] });
		// Falcon no longer retains 3 and 4: the feed starts at 7.
		await delivery.add(event(0, 7));
		expect(started).toEqual(['0:7-7']);
	});

	it('are stored as open from just before their emit until their events are committed', async () => {
		const { delivery, open, finish } = controlledDelivery(2, {});
		const stored = delivery.openEntries;
		await delivery.add(event(0, 0));
		expect(open()).toEqual(['0:0-0']);
		await delivery.add(event(0, 1));
		expect(open()).toEqual(['0:0-0', '0:1-1']);
		await finish('0:1-1');
		expect(open()).toEqual(['0:0-0', '0:1-1']);
		await finish('0:0-0');
		expect(open()).toEqual([]);
		// Kept up to date in place: the array stored once is always current.
		expect(delivery.openEntries).toBe(stored);
	});

	it('store the attempt an execution in trouble is at, in place, and say so', async () => {
		const { delivery, attempts, open, finish, told } = controlledDelivery(2, {});
		await delivery.add(event(0, 0));
		await delivery.add(event(0, 1));
		const stored = delivery.openEntries;
		attempts.get('0:1-1')!.markAttempt(0);
		attempts.get('0:1-1')!.markAttempt(1);
		expect(open()).toEqual(['0:0-0', '0:1-1~1']);
		expect(told()).toBe(2);
		await finish('0:0-0');
		expect(open()).toEqual(['0:1-1~1']);
		expect(delivery.openEntries).toBe(stored);
		await finish('0:1-1');
		expect(open()).toEqual([]);
	});

	it('hand a restart the attempt stored with them, and keep it stored', async () => {
		const { delivery, started, attempts, open } = controlledDelivery(1, { committed: new Map([[0, 2]]), openBatches: ['0:3-4~2'] });
		await delivery.add(event(0, 3));
		await delivery.add(event(0, 4));
		expect(started).toEqual(['0:3-4']);
		expect(attempts.get('0:3-4')!.attempt).toBe(2);
		expect(open()).toEqual(['0:3-4~2']);
		attempts.get('0:3-4')!.markAttempt(3);
		expect(open()).toEqual(['0:3-4~3']);
	});
});

describe('stored open batches', () => {
	it('are read with their attempt, and anything damaged is left out', () => {
		expect(readOpenBatches(['0:5-9,1:3-4', '0:10-12~0', '1:5-5~17', '0:1-2~', '0:1-2~x', '0:1-2~1~2', 7, 'garbage'])).toEqual([
			{ ranges: '0:5-9,1:3-4', parsed: parseRanges('0:5-9,1:3-4'), attempt: undefined },
			{ ranges: '0:10-12', parsed: parseRanges('0:10-12'), attempt: 0 },
			{ ranges: '1:5-5', parsed: parseRanges('1:5-5'), attempt: 17 },
		]);
		expect(readOpenBatches('0:1-2')).toEqual([]);
	});
});
