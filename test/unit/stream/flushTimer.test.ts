/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code, never part of the package */
import { getEventListeners } from 'node:events';

import { Delivery } from '../../../nodes/CrowdStrikeFalcon/shared/stream/delivery';
import type { ReceivedEvent, StreamEvent } from '../../../nodes/CrowdStrikeFalcon/shared/stream/events';

const event = (partition: number, offset: number): ReceivedEvent => ({
	partition,
	offset,
	data: { metadata: { offset } } as unknown as StreamEvent,
});

const liveTimers = () => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
const wait = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

async function until(probe: () => boolean, timeoutMs = 5_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!probe()) {
		if (Date.now() > deadline) throw new Error('timed out');
		await wait(5);
	}
}

/** Batches of 10 with a long max wait; executions finish at once. */
function batchingDelivery(maxWaitMs = 60_000) {
	const abort = new AbortController();
	const sent: string[] = [];
	const sentAt: number[] = [];
	const delivery = new Delivery({
		batchSize: 10,
		maxWaitMs,
		maxInFlight: 5,
		signal: abort.signal,
		execute: async (_batch, ranges) => {
			sent.push(ranges);
			sentAt.push(Date.now());
		},
		onCommitted: () => undefined,
	});
	return { delivery, sent, sentAt, abort };
}

describe('the max-wait timer of batches', () => {
	it('stays one timer and one abort listener however many full batches pass', async () => {
		const { delivery, sent, abort } = batchingDelivery();
		const timersBefore = liveTimers();
		for (let offset = 0; offset < 10_000; offset++) {
			const wait = delivery.add(event(0, offset));
			if (wait) await wait;
		}
		// Let the finished executions commit.
		await new Promise((resolve) => setImmediate(resolve));
		expect(sent).toHaveLength(1_000);
		expect(delivery.pendingTimers).toBeLessThanOrEqual(1);
		// One per batch would be a thousand; jest may hold a timer of its own meanwhile.
		expect(liveTimers() - timersBefore).toBeLessThanOrEqual(2);
		// The delivery's own listener, and at most the one of the pending sleep.
		expect(getEventListeners(abort.signal, 'abort').length).toBeLessThanOrEqual(2);
		abort.abort();
		await new Promise((resolve) => setImmediate(resolve));
		expect(delivery.pendingTimers).toBe(0);
		expect(getEventListeners(abort.signal, 'abort')).toHaveLength(0);
	});

	it('sends a partial batch once its first event has waited the max wait', async () => {
		const { delivery, sent, abort, sentAt } = batchingDelivery(200);
		const firstAt = Date.now();
		await delivery.add(event(0, 0));
		await delivery.add(event(0, 1));
		await until(() => sent.length === 1);
		expect(sent).toEqual(['0:0-1']);
		expect(sentAt[0] - firstAt).toBeGreaterThanOrEqual(195);
		expect(delivery.pendingTimers).toBe(0);
		abort.abort();
	});

	it('gives a batch begun after a full one its own deadline, not the full one\'s', async () => {
		const { delivery, sent, abort, sentAt } = batchingDelivery(300);
		for (let offset = 0; offset < 10; offset++) await delivery.add(event(0, offset));
		expect(sent).toEqual(['0:0-9']);
		await wait(150);
		// The timer armed for the first batch is due in about 150 ms; this batch must wait its own 300 ms.
		const tenthAt = Date.now();
		await delivery.add(event(0, 10));
		await until(() => sent.length === 2);
		expect(sent).toEqual(['0:0-9', '0:10-10']);
		expect(sentAt[1] - tenthAt).toBeGreaterThanOrEqual(295);
		abort.abort();
	});

	it('sends nothing after the signal aborted, and leaves no timer behind', async () => {
		const { delivery, sent, abort } = batchingDelivery(30);
		await delivery.add(event(0, 0));
		expect(delivery.pendingTimers).toBe(1);
		abort.abort();
		await wait(80);
		expect(sent).toEqual([]);
		expect(delivery.pendingTimers).toBe(0);
	});
});

describe('adding events', () => {
	it('returns no promise unless the reader has to wait for an execution slot', async () => {
		const finishers: Array<() => void> = [];
		const abort = new AbortController();
		const delivery = new Delivery({
			batchSize: 1,
			maxWaitMs: 0,
			maxInFlight: 2,
			signal: abort.signal,
			execute: async () => await new Promise<void>((resolve) => finishers.push(resolve)),
			onCommitted: () => undefined,
		});
		expect(delivery.add(event(0, 0))).toBeUndefined();
		expect(delivery.add(event(0, 1))).toBeUndefined();
		const third = delivery.add(event(0, 2));
		expect(third).toBeInstanceOf(Promise);
		// While it waits, the window's wait holds no listener of its own on the signal.
		expect(getEventListeners(abort.signal, 'abort')).toHaveLength(1);
		finishers[0]();
		await third;
		expect(finishers).toHaveLength(3);
		abort.abort();
	});

	it('ends a wait for a slot when the signal aborts', async () => {
		const abort = new AbortController();
		const started: number[] = [];
		const delivery = new Delivery({
			batchSize: 1,
			maxWaitMs: 0,
			maxInFlight: 1,
			signal: abort.signal,
			execute: async ([{ offset }]) => {
				started.push(offset);
				await new Promise(() => undefined);
			},
			onCommitted: () => undefined,
		});
		delivery.add(event(0, 0));
		const waiting = delivery.add(event(0, 1));
		abort.abort();
		await waiting;
		expect(started).toEqual([0]);
	});
});
