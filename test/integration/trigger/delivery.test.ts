import type { IDataObject } from 'n8n-workflow';

import type { RunningSimulator } from '../../../simulator';
import { until, type RunningTrigger } from '../../harness/runTrigger';
import {
	activationsClosedAfterEach,
	emittedKeys,
	fastSimulator,
	inject,
	triggerParameters,
	untilCommitted,
	untilEmitted,
	wait,
} from './helpers';

let sim: RunningSimulator;
const start = activationsClosedAfterEach(() => sim);
const offsetsOf = (trigger: RunningTrigger) => trigger.nodeState()?.offsets as IDataObject;

it('emits every event of every partition and commits per-partition offsets after the executions finish', async () => {
	sim = await fastSimulator({ partitions: 3 });
	const keys = inject(sim, 30, 3);
	const trigger = await start(sim, triggerParameters());
	await untilEmitted(trigger, keys);
	await untilCommitted(trigger, { '0': 9, '1': 9, '2': 9 });
	expect(emittedKeys(trigger).sort()).toEqual([...keys].sort());
	expect(trigger.items()[0]).toMatchObject({
		metadata: { eventType: 'EppDetectionSummaryEvent', offset: expect.any(Number) },
		event: expect.objectContaining({ ComputerName: expect.any(String) }),
		stream: { appId: expect.stringMatching(/^n8n[A-Za-z0-9]+$/), partition: expect.any(Number), lagSeconds: expect.any(Number) },
	});
	expect(trigger.errors).toEqual([]);
});

it('commits an offset only once its execution has finished, and holds reading while executions are slow', async () => {
	sim = await fastSimulator();
	inject(sim, 12);
	const trigger = await start(sim, triggerParameters({}, { maxInFlight: 2 }), { executionMs: 150 });
	await until(() => trigger.executions.length >= 2, 5_000, 'two executions');
	await wait(50);
	// Two executions running, none finished: nothing committed, and the reader waits instead of emitting more.
	expect(trigger.executions).toHaveLength(2);
	expect(offsetsOf(trigger)?.['0']).toBeUndefined();
	await untilCommitted(trigger, { '0': 11 }, 10_000);
	expect(trigger.maxInFlight()).toBe(2);
	// Every execution ran while at most two were in flight.
	expect(trigger.executions).toHaveLength(12);
});

it('never persists an offset whose execution had not finished when n8n saved the static data', async () => {
	sim = await fastSimulator();
	inject(sim, 20);
	const snapshots: Array<{ emitted: number; stored: number | undefined }> = [];
	const trigger = await start(sim, triggerParameters({}, { maxInFlight: 3 }), {
		executionMs: (execution) => 20 + ((execution.items[0].json.metadata as IDataObject).offset as number) % 3 * 30,
	});
	const originalPush = trigger.executions.push.bind(trigger.executions);
	trigger.executions.push = (...executions) => {
		for (const execution of executions) {
			const stored = ((trigger.persisted()['node:Falcon Trigger'] as IDataObject)?.offsets as IDataObject)?.['0'];
			snapshots.push({ emitted: (execution.items[0].json.stream as IDataObject).offset as number, stored: stored as number | undefined });
		}
		return originalPush(...executions);
	};
	await untilCommitted(trigger, { '0': 19 }, 10_000);
	for (const { emitted, stored } of snapshots) if (stored !== undefined) expect(stored).toBeLessThan(emitted);
});

it('resumes after a restart from the committed offset, replaying at most what was in flight where n8n has no execution keys (1.x)', async () => {
	sim = await fastSimulator({ partitions: 2 });
	inject(sim, 20, 2);
	const first = await start(sim, triggerParameters({}, { maxInFlight: 3 }), { executionMs: 5 });
	await untilCommitted(first, { '0': 9, '1': 9 });
	await first.close();
	const persisted = first.persisted();
	const stored = (persisted['node:Falcon Trigger'] as IDataObject).offsets as Record<string, number>;
	// n8n saved the static data at the last emit: the last few commits came after it and are replayed.
	const replayBound = 3;
	expect(stored['0'] + stored['1']).toBeGreaterThanOrEqual(18 - replayBound);

	const fresh = inject(sim, 10, 2);
	const second = await start(sim, triggerParameters({}, { maxInFlight: 3 }), { staticData: persisted });
	await untilEmitted(second, fresh);
	await untilCommitted(second, { '0': 14, '1': 14 });
	const replayed = emittedKeys(second).filter((key) => !fresh.includes(key));
	expect(replayed.length).toBeLessThanOrEqual(replayBound);
	for (const key of replayed) {
		const [partition, offset] = key.split(':').map(Number);
		expect(offset).toBeGreaterThan(stored[String(partition)]);
	}
	expect(new Set(emittedKeys(second)).size).toBe(emittedKeys(second).length);
});

it('delivers batches of up to Batch Size, a partial batch after Max Wait, and commits each batch as a whole', async () => {
	sim = await fastSimulator();
	const trigger = await start(
		sim,
		triggerParameters({ delivery: 'batch', batchSize: 5, batchMaxWaitSeconds: 0.2 }, { whenNothingStored: 'oldest' }),
	);
	inject(sim, 12);
	await untilCommitted(trigger, { '0': 11 });
	expect(trigger.executions.map((execution) => execution.items.length)).toEqual([5, 5, 2]);
	expect(trigger.executions[2].emittedAt - trigger.executions[1].emittedAt).toBeGreaterThanOrEqual(150);
	expect(trigger.executions[0].items.map((item) => (item.json.stream as IDataObject).offset)).toEqual([0, 1, 2, 3, 4]);
});

it('drops filtered events before any execution and still commits past them', async () => {
	sim = await fastSimulator();
	for (const [severity, name, host] of [
		[90, 'Critical', 'FIN-1'],
		[30, 'Low', 'FIN-2'],
		[70, 'High', 'HR-1'],
		[70, 'High', 'FIN-3'],
		[50, 'Medium', 'FIN-4'],
	] as const) {
		sim.injectEvent({ eventType: 'EppDetectionSummaryEvent', event: { Severity: severity, SeverityName: name, ComputerName: host } });
	}
	sim.injectEvent({ eventType: 'UserActivityAuditEvent' });
	const trigger = await start(sim, triggerParameters({ filters: { minSeverity: 'high', hostnamePattern: '^fin-' } }));
	await untilCommitted(trigger, { '0': 5 });
	expect(trigger.items().map((item) => (item.event as IDataObject).ComputerName)).toEqual(['FIN-1', 'FIN-3']);
	expect(((trigger.nodeState().health as IDataObject).dropped as IDataObject).filtered).toBe(4);
});

it('asks Falcon for the chosen event types, reading a retired type as its replacement with a warning', async () => {
	sim = await fastSimulator();
	sim.injectEvent({ eventType: 'UserActivityAuditEvent' });
	sim.injectEvent({ eventType: 'EppDetectionSummaryEvent' });
	const trigger = await start(sim, triggerParameters({ eventTypes: ['DetectionSummaryEvent'], customEventTypes: 'IncidentSummaryEvent' }));
	await untilEmitted(trigger, ['0:1']);
	const feed = sim.state().requests.find((request) => request.path.startsWith('/sensors/entities/datafeed/v1/'));
	expect(feed?.query.eventType).toBe('EppDetectionSummaryEvent,IncidentSummaryEvent');
	expect(emittedKeys(trigger)).toEqual(['0:1']);
	expect((trigger.nodeState().health as IDataObject).warnings).toEqual([
		expect.stringMatching(/DetectionSummaryEvent was retired .* EppDetectionSummaryEvent/),
	]);
});

it('applies an explicit start position once, then follows the stored position across restarts', async () => {
	sim = await fastSimulator();
	inject(sim, 10);
	const parameters = triggerParameters({ startFrom: 'offset', startOffsets: '6' });
	const first = await start(sim, parameters, { executionMs: 0 });
	await untilCommitted(first, { '0': 9 });
	expect(emittedKeys(first)).toEqual(['0:6', '0:7', '0:8', '0:9']);
	await first.close();
	inject(sim, 2);
	// Same parameters, stored position present: the offset is not applied a second time.
	const persisted = { ...first.persisted() };
	(persisted['node:Falcon Trigger'] as IDataObject).offsets = { '0': 9 };
	const second = await start(sim, parameters, { staticData: persisted });
	await untilCommitted(second, { '0': 11 });
	expect(emittedKeys(second)).toEqual(['0:10', '0:11']);
});

it('applies an explicit start position again when it is chosen again after a period on Stored Position', async () => {
	sim = await fastSimulator();
	inject(sim, 4);
	// What n8n saved, with the last commit (n8n saves at the next emit; these activations end before one).
	const savedAt = (trigger: RunningTrigger, offset: number) => {
		const persisted = trigger.persisted();
		Object.assign(persisted['node:Falcon Trigger'] as IDataObject, { offsets: { '0': offset }, openBatches: [] });
		return persisted;
	};
	const replay = triggerParameters({ startFrom: 'offset', startOffsets: '2' });
	const first = await start(sim, replay, { executionMs: 0 });
	await untilCommitted(first, { '0': 3 });
	await first.close();
	const stored = await start(sim, triggerParameters({ startFrom: 'stored' }), { staticData: savedAt(first, 3), executionMs: 0 });
	inject(sim, 1);
	await untilCommitted(stored, { '0': 4 });
	await stored.close();
	expect(emittedKeys(stored)).toEqual(['0:4']);
	// The same offset chosen again: a deliberate replay, not the setting of an earlier activation.
	const again = await start(sim, replay, { staticData: savedAt(stored, 4), executionMs: 0 });
	await untilEmitted(again, ['0:2', '0:3', '0:4']);
	expect(emittedKeys(again)).toEqual(['0:2', '0:3', '0:4']);
});

it('"Latest" skips the backlog; "Events Newer Than" (in the workflow time zone) drops older events without executions', async () => {
	sim = await fastSimulator({ partitions: 2 });
	inject(sim, 6, 2);
	const latest = await start(sim, triggerParameters({ startFrom: 'latest' }));
	await until(() => (sim.state() as unknown as { streams: { openFeeds: unknown[] } }).streams.openFeeds.length === 2, 5_000, 'feeds open');
	const fresh = inject(sim, 4, 2);
	await untilEmitted(latest, fresh);
	expect(emittedKeys(latest).sort()).toEqual([...fresh].sort());
	await latest.close();

	// As n8n's date picker stores it: Tokyo wall-clock time (UTC+9, no summer time) without a zone, read in the
	// workflow's time zone. Read as UTC it would lie 9 hours ahead, and every event would be dropped.
	const cutoff = new Date(Date.now() + 50 + 9 * 3_600_000).toISOString().replace('Z', '');
	await wait(100);
	const newer = inject(sim, 2, 2);
	const since = await start(sim, triggerParameters({ startFrom: 'newerThan', newerThan: cutoff }), {
		workflowId: 'wfNewer',
		timezone: 'Asia/Tokyo',
	});
	await untilCommitted(since, { '0': 5, '1': 5 });
	expect(emittedKeys(since).sort()).toEqual([...newer].sort());
});

it('commits past an execution that failed (it stays in n8n\'s execution list) and counts it', async () => {
	sim = await fastSimulator();
	inject(sim, 3);
	const trigger = await start(sim, triggerParameters(), {
		executionFails: (execution) => (execution.items[0].json.stream as IDataObject).offset === 1,
	});
	await untilCommitted(trigger, { '0': 2 });
	expect((trigger.nodeState().health as IDataObject).executions).toMatchObject({ started: 3, finished: 3, failed: 1 });
});

it('gives each execution a deduplication key made of its offsets, unless "Skip Repeated Executions" is off', async () => {
	sim = await fastSimulator();
	inject(sim, 2);
	const trigger = await start(sim, triggerParameters());
	await untilCommitted(trigger, { '0': 1 });
	// Fixed until an explicit start position is applied: a position lost by accident gives the same keys again.
	const epoch = trigger.nodeState().epoch as string;
	expect(epoch).toBe('e0');
	expect(trigger.executions.map((execution) => execution.deduplicationKey)).toEqual([
		`falcon:n8nwfStreamTest01vyemvyikih:${epoch}:0:0-0`,
		`falcon:n8nwfStreamTest01vyemvyikih:${epoch}:0:1-1`,
	]);

	const off = await start(sim, triggerParameters({}, { deduplicate: false }), { workflowId: 'wfNoKeys' });
	await untilCommitted(off, { '0': 1 });
	expect(off.executions.map((execution) => execution.deduplicationKey)).toEqual([undefined, undefined]);
});
