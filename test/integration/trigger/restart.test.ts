import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { RunningSimulator } from '../../../simulator';
import { until, type RunningTrigger } from '../../harness/runTrigger';
import {
	activationsClosedAfterEach,
	allGenerated,
	executedKeys,
	fastSimulator,
	inject,
	repeated,
	stopLikeN8n,
	triggerParameters,
	untilCommitted,
	untilExecuted,
	wait,
} from './helpers';

// n8n saves a trigger's static data when it emits and after activation, never when it closes: the commits of the
// last executions before a stop never reach its database. These tests stop the trigger the way `n8n stop` does
// (close the trigger, let running executions finish), start it again from what n8n had saved, against one store
// of execution keys (n8n's execution table), and count executions that ran twice.

let sim: RunningSimulator;
const activateClosedAfterEach = activationsClosedAfterEach(() => sim);

/** Events keep arriving on every partition until stopped. */
function steadyTraffic(partitions: number, everyMs = 8) {
	let running = true;
	const done = (async () => {
		while (running) {
			inject(sim, 1 + Math.floor(Math.random() * partitions), partitions);
			await wait(everyMs + Math.random() * everyMs);
		}
	})();
	return async () => {
		running = false;
		await done;
	};
}

async function start(parameters: INodeParameters, executionKeys: Set<string>, staticData?: IDataObject) {
	return await activateClosedAfterEach(sim, parameters, {
		executionKeys,
		staticData,
		executionMs: () => 15 + Math.random() * 30,
	});
}

/**
 * Events arrive on two partitions while the trigger runs executions; it is stopped like `n8n stop` and started again
 * from what n8n saved, against one store of execution keys. Resolves with both activations once every event ran.
 */
async function restartWhileEventsArrive(parameters: INodeParameters): Promise<[RunningTrigger, RunningTrigger]> {
	sim = await fastSimulator({ partitions: 2 });
	const keys = new Set<string>();
	const stopTraffic = steadyTraffic(2);
	const first = await start(parameters, keys);
	await until(() => first.executions.length >= 12 && first.inFlight() > 0, 10_000, 'executions in flight');
	const saved = await stopLikeN8n(first);
	const second = await start(parameters, keys, saved);
	await wait(300);
	await stopTraffic();
	await untilExecuted([first, second], allGenerated(sim));
	return [first, second];
}

const perEvent = triggerParameters({}, { maxInFlight: 3 });
const batches = triggerParameters({ delivery: 'batch', batchSize: 4, batchMaxWaitSeconds: 0.03 }, { maxInFlight: 3 });

describe.each([
	['one execution per event', perEvent],
	['batches', batches],
])('%s', (_mode, parameters) => {
	it('a clean restart while events arrive runs no event twice and loses none', async () => {
		const [first, second] = await restartWhileEventsArrive(parameters);

		expect(repeated(executedKeys(first, second))).toEqual([]);
		// The restart did emit the executions whose commit n8n had not saved, and n8n refused them.
		expect(second.duplicates.length).toBeGreaterThan(0);
		expect(new Set(executedKeys(first, second))).toEqual(new Set(allGenerated(sim)));
	});

	it('clean restarts on a quiet stream run nothing again, however many', async () => {
		sim = await fastSimulator({ partitions: 2 });
		const keys = new Set<string>();
		inject(sim, 6, 2);
		let trigger = await start(parameters, keys);
		await untilCommitted(trigger, { '0': 2, '1': 2 });
		const runs = [trigger];
		for (let restart = 0; restart < 3; restart++) {
			const saved = await stopLikeN8n(trigger);
			trigger = await start(parameters, keys, saved);
			runs.push(trigger);
			await until(() => trigger.duplicates.length > 0, 5_000, 'the unsaved executions to be emitted again');
			await untilCommitted(trigger, { '0': 2, '1': 2 });
			await wait(100);
			expect(trigger.executions).toEqual([]);
		}
		expect(repeated(executedKeys(...runs))).toEqual([]);
		expect(new Set(executedKeys(...runs))).toEqual(new Set(allGenerated(sim)));
	});
});

it('a quiet stream stopped before any commit was saved resumes where it was, not at "new events": nothing that arrived while down is lost', async () => {
	sim = await fastSimulator();
	const keys = new Set<string>();
	const parameters = triggerParameters({}, { whenNothingStored: 'latest' });
	const first = await start(parameters, keys);
	await until(() => (first.nodeState()?.health as IDataObject | undefined)?.status === 'following', 5_000, 'the feed');
	inject(sim, 1);
	await untilCommitted(first, { '0': 0 });
	// n8n saved the emit of 0:0 (its open batch), never its commit: no later emit came.
	const saved = await stopLikeN8n(first);
	expect((saved['node:Falcon Trigger'] as IDataObject).offsets).toEqual({});
	inject(sim, 3);
	const second = await start(parameters, keys, saved);
	await untilCommitted(second, { '0': 3 });
	expect(second.duplicates).toHaveLength(1);
	expect(repeated(executedKeys(first, second))).toEqual([]);
	expect(new Set(executedKeys(first, second))).toEqual(new Set(allGenerated(sim)));
});

it.each([
	['the same time', 0],
	// Events' creation times are on Falcon's clock: n8n's being minutes off must not drop or admit events.
	["Falcon's clock 30 minutes behind n8n's", -30 * 60_000],
	["Falcon's clock 30 minutes ahead of n8n's", 30 * 60_000],
])('a partition that has had no event yet is not skipped past what arrived while n8n was down ("new events"), with %s', async (_clocks, clockAheadMs) => {
	sim = await fastSimulator({ partitions: 2 });
	sim.setFaults({ clockAheadMs });
	const keys = new Set<string>();
	const parameters = triggerParameters({}, { whenNothingStored: 'latest' });
	// Backlog from well before the first start (beyond the minute allowed for clock differences): never delivered.
	const longBefore = Date.now() + clockAheadMs - 10 * 60_000;
	for (const partition of [0, 1]) sim.injectEvent({ eventType: 'EppDetectionSummaryEvent', partition, createdAt: longBefore });
	const first = await start(parameters, keys);
	await until(() => (sim.state() as unknown as { streams: { openFeeds: unknown[] } }).streams.openFeeds.length === 2, 5_000, 'both feeds');
	// Partition 0 gets an event while the trigger runs; partition 1 none.
	inject(sim, 1);
	await untilCommitted(first, { '0': 1 });
	const saved = await stopLikeN8n(first);
	// While n8n is down, both get events: before, partition 1 started at the newest event again and skipped its one.
	const whileDown = [
		sim.injectEvent({ eventType: 'EppDetectionSummaryEvent', partition: 0 }),
		sim.injectEvent({ eventType: 'EppDetectionSummaryEvent', partition: 1 }),
	].map(({ partition, offset }) => `${partition}:${offset}`);
	expect(whileDown).toEqual(['0:2', '1:1']);
	const second = await start(parameters, keys, saved);
	await untilCommitted(second, { '0': 2, '1': 1 });
	expect(new Set(executedKeys(first, second))).toEqual(new Set(['0:1', ...whileDown]));
	expect(repeated(executedKeys(first, second))).toEqual([]);
	// Lag compares an event's creation (Falcon's clock) with its arrival: the clocks' difference is not lag.
	const lags = [...first.items(), ...second.items()].map((item) => (item.stream as IDataObject).lagSeconds as number);
	expect(Math.max(...lags)).toBeLessThan(30);
});

it("the clocks' difference is saved with the activation: a server clock corrected before a restart (before any event) does not move the new-events floor", async () => {
	sim = await fastSimulator();
	// n8n's clock 30 minutes ahead of Falcon's at the first activation.
	sim.setFaults({ clockAheadMs: -30 * 60_000 });
	const parameters = triggerParameters({}, { whenNothingStored: 'latest' });
	const first = await start(parameters, new Set<string>());
	// What n8n saved is what the activation left: a quiet stream emits nothing.
	const saved = first.persisted();
	await stopLikeN8n(first);
	const since = (saved['node:Falcon Trigger'] as IDataObject).newEventsSince as number;
	// n8n's clock put right while it was down: the clocks now agree. An event created 10 minutes after the activation.
	sim.setFaults({ clockAheadMs: 0 });
	const afterActivation = sim.injectEvent({ eventType: 'EppDetectionSummaryEvent', createdAt: since + 60_000 - 30 * 60_000 + 10 * 60_000 });
	const second = await start(parameters, new Set<string>(), saved);
	await untilExecuted([second], [`0:${afterActivation.offset}`]);
});

it('a partition followed before without a commit saved is looked for after a restart: a first discovery that leaves it out does not leave it unread', async () => {
	sim = await fastSimulator({ partitions: 2 });
	const keys = new Set<string>();
	const parameters = triggerParameters({}, { whenNothingStored: 'latest' });
	const first = await start(parameters, keys);
	// Both connected before the emit that n8n saves (static data is saved as the trigger emits, never on its own).
	const connected = () => Object.values((first.nodeState()?.health as IDataObject | undefined)?.partitions ?? {}).filter((partition) => (partition as IDataObject).connectedAt);
	await until(() => connected().length === 2, 5_000, 'both feeds');
	inject(sim, 1);
	await untilCommitted(first, { '0': 0 });
	const saved = await stopLikeN8n(first);
	// Nothing stored says where partition 1 is: it never had an event.
	expect(JSON.stringify([(saved['node:Falcon Trigger'] as IDataObject).offsets, (saved['node:Falcon Trigger'] as IDataObject).openBatches])).not.toMatch(/"1|1:/);
	// Restarted within Falcon's hold on the App ID: the first discovery offers partition 0 only.
	sim.setFaults({ partialDiscovery: 1 });
	const second = await start(parameters, keys, saved);
	const quietOne = sim.injectEvent({ eventType: 'EppDetectionSummaryEvent', partition: 1 });
	await untilExecuted([second], [`1:${quietOne.offset}`]);
	expect(repeated(executedKeys(first, second))).toEqual([]);
});

it('events Falcon sends again below the stored offset at the first connect after a restart run nothing again', async () => {
	sim = await fastSimulator();
	const keys = new Set<string>();
	// Batches: events sent again would form batches of their own, with keys n8n has not seen.
	const parameters = triggerParameters({ delivery: 'batch', batchSize: 4, batchMaxWaitSeconds: 0.03 });
	const before = await start(parameters, keys);
	await untilExecuted([before], inject(sim, 10));
	await untilCommitted(before, { '0': 9 });
	const saved = await stopLikeN8n(before);
	// Falcon may repeat events around a reconnect: every feed opened at an offset starts three events before it.
	sim.setFaults({ feedRepeatsBefore: 3 });
	const whileDown = inject(sim, 2);
	const after = await start(parameters, keys, saved);
	await untilExecuted([after], whileDown);
	await untilCommitted(after, { '0': 11 });
	expect(repeated(executedKeys(before, after))).toEqual([]);
});

it('"new events" still delivers an event a sensor sends late (created long before), read at the newest events', async () => {
	sim = await fastSimulator();
	const trigger = await start(triggerParameters({}, { whenNothingStored: 'latest' }), new Set<string>());
	await until(() => (trigger.nodeState()?.health as IDataObject | undefined)?.status === 'following', 5_000, 'the feed');
	// A host offline for hours uploads its detection now: new in the stream, old by its creation time.
	const late = sim.injectEvent({ eventType: 'EppDetectionSummaryEvent', createdAt: Date.now() - 3 * 3_600_000 });
	await untilCommitted(trigger, { '0': late.offset });
	expect(executedKeys(trigger)).toEqual([`0:${late.offset}`]);
});

it('an event waiting for a slot when its round ends keeps its place: a filtered event read after the reconnect is not committed past it, and a restart runs it', async () => {
	sim = await fastSimulator({ partitions: 2, refreshIntervalSeconds: 2 });
	const keys = new Set<string>();
	const parameters = triggerParameters({ filters: { hostnamePattern: '^keep' } }, { maxInFlight: 1, whenNothingStored: 'oldest' });
	const first = await activateClosedAfterEach(sim, parameters, { executionKeys: keys, executionMs: 2_500 });
	const detection = (partition: number, host: string) =>
		sim.injectEvent({ eventType: 'EppDetectionSummaryEvent', partition, event: { ComputerName: host } });
	detection(0, 'keep-a');
	await untilExecuted([first], ['0:0']);
	// 0:0 holds the only slot: 0:1 waits for it, and 1:0 behind it; 1:1 is filtered out.
	detection(0, 'keep-b');
	detection(1, 'keep-c');
	detection(1, 'drop-d');
	// The next session refresh fails, retries included: the round ends, and partition 1 is read again from 1:1.
	sim.setFaults({ refresh5xx: 6 });
	const feedsFrom = (offset: string) =>
		sim.state().requests.filter((entry) => entry.path === '/sensors/entities/datafeed/v1/1' && entry.query.offset === offset);
	await until(() => feedsFrom('1').length > 0, 10_000, 'partition 1 read again from 1:1');
	await wait(300);
	expect(first.nodeState()?.offsets).not.toHaveProperty('1');
	const saved = await stopLikeN8n(first);
	const second = await start(parameters, keys, saved);
	await untilExecuted([first, second], ['1:0']);
	expect(repeated(executedKeys(first, second))).toEqual([]);
	expect(new Set(executedKeys(first, second))).toEqual(new Set(['0:0', '0:1', '1:0']));
});

it('runs an execution owed from before the restart that n8n never started, with the same batch and key', async () => {
	sim = await fastSimulator();
	inject(sim, 8);
	const keys = new Set<string>();
	// n8n saved the emit of batch 3-5 but went down before it created the execution.
	const saved = { 'node:Falcon Trigger': { offsets: { '0': 2 }, openBatches: ['0:3-5'], epoch: 'e2e0test' } };
	const trigger = await start(
		triggerParameters({ delivery: 'batch', batchSize: 4, batchMaxWaitSeconds: 0.03 }),
		keys,
		saved,
	);
	await untilCommitted(trigger, { '0': 7 });
	expect(trigger.executions[0].items.map(({ json }) => (json.stream as IDataObject).offset)).toEqual([3, 4, 5]);
	expect(trigger.executions[0].deduplicationKey).toMatch(/^falcon:n8n\w+:e2e0test:0:3-5$/);
	expect(repeated(executedKeys(trigger))).toEqual([]);
	expect(new Set(executedKeys(trigger))).toEqual(new Set(['0:3', '0:4', '0:5', '0:6', '0:7']));
});

/**
 * Detections of these severities on partition 0, then a trigger that keeps only High ones in batches of two, started
 * from what n8n saved: `stored` (committed offsets and open batches). Resolves to each execution's offsets.
 */
async function highOnlyAfterRestart(
	severities: string[],
	stored: { offsets: IDataObject; openBatches: string[] },
	committedUpTo: number,
): Promise<number[][]> {
	sim = await fastSimulator();
	for (const severity of severities) {
		sim.injectEvent({ eventType: 'EppDetectionSummaryEvent', event: { SeverityName: severity, Severity: severity === 'High' ? 70 : 30 } });
	}
	const trigger = await start(
		triggerParameters({ delivery: 'batch', batchSize: 2, batchMaxWaitSeconds: 0.03, filters: { minSeverity: 'high' } }, { deduplicate: false }),
		new Set<string>(),
		{ 'node:Falcon Trigger': { ...stored, epoch: 'e2e0test' } },
	);
	await untilCommitted(trigger, { '0': committedUpTo });
	return trigger.executions.map((execution) => execution.items.map(({ json }) => (json.stream as IDataObject).offset as number));
}

it('an owed batch run again holds only the events that passed the filters, as the first time; the filtered ones are committed with it', async () => {
	// The first activation emitted 0 and 3 (1 and 2 filtered out) as one batch; its commit was never saved.
	const offsets = await highOnlyAfterRestart(['High', 'Low', 'Low', 'High', 'High'], { offsets: {}, openBatches: ['0:0-3'] }, 4);
	expect(offsets).toEqual([[0, 3], [4]]);
});

it('an owed batch all of whose events the filters now drop runs nothing, and its events are committed', async () => {
	// Emitted before the filter was narrowed to High.
	const offsets = await highOnlyAfterRestart(['High', 'Low', 'Low', 'High'], { offsets: { '0': 0 }, openBatches: ['0:1-2'] }, 3);
	expect(offsets).toEqual([[3]]);
});

it('a restart that widens Event Types runs the events Falcon now sends ahead of an owed execution, and that execution', async () => {
	sim = await fastSimulator();
	const keys = new Set<string>();
	const earlier = sim.injectEvent({ eventType: 'EppDetectionSummaryEvent' });
	const audit = sim.injectEvent({ eventType: 'AuthActivityAuditEvent' });
	const detection = sim.injectEvent({ eventType: 'EppDetectionSummaryEvent' });
	const parameters = (eventTypes: string[]) => ({ ...triggerParameters({}, { maxInFlight: 1 }), eventTypes });
	const first = await start(parameters(['EppDetectionSummaryEvent']), keys);
	await untilCommitted(first, { '0': detection.offset });
	// n8n saved the last detection's execution as owed (its commit came after its emit). The audit event, never
	// sent before, now comes ahead of it, and used to wait for the one slot the owed execution kept for itself.
	const second = await start(parameters(['EppDetectionSummaryEvent', 'AuthActivityAuditEvent']), keys, await stopLikeN8n(first));
	await untilCommitted(second, { '0': detection.offset });
	expect(executedKeys(first, second)).toEqual([`0:${earlier.offset}`, `0:${detection.offset}`, `0:${audit.offset}`]);
	expect(second.duplicates).toHaveLength(1);
});

it('"Events Newer Than" applies once: after a restart, an event a sensor sends late (created before that time) is delivered', async () => {
	sim = await fastSimulator();
	const keys = new Set<string>();
	const parameters = triggerParameters({ startFrom: 'newerThan', newerThan: new Date(Date.now() - 3_600_000).toISOString() });
	const old = sim.injectEvent({ eventType: 'EppDetectionSummaryEvent', createdAt: Date.now() - 7_200_000 });
	const fresh = sim.injectEvent({ eventType: 'EppDetectionSummaryEvent' });
	const first = await start(parameters, keys);
	await untilCommitted(first, { '0': fresh.offset });
	const second = await start(parameters, keys, await stopLikeN8n(first));
	const late = sim.injectEvent({ eventType: 'EppDetectionSummaryEvent', createdAt: Date.now() - 7_200_000 });
	await untilCommitted(second, { '0': late.offset });
	expect(executedKeys(first, second)).toEqual([`0:${fresh.offset}`, `0:${late.offset}`]);
	expect(executedKeys(first, second)).not.toContain(`0:${old.offset}`);
});

it('a restart while n8n cannot start executions (Redis down) runs every event once it can, none taken for a repeat', async () => {
	sim = await fastSimulator();
	const events = inject(sim, 3);
	const keys = new Set<string>();
	let redisDown = true;
	const first = await activateClosedAfterEach(sim, perEvent, { executionKeys: keys, cannotStart: () => redisDown });
	// Each event's first emit failed, and its first emit again (at once) too: n8n holds both keys. The restart
	// comes before the next emit again, a second later.
	await until(() => first.unstarted.length >= 6, 10_000, 'emits again');
	const saved = await stopLikeN8n(first);
	expect(first.executions).toEqual([]);
	redisDown = false;
	const second = await start(perEvent, keys, saved);
	await untilCommitted(second, { '0': 2 });
	// Before, the restart emitted each event under its first key again: n8n refused it as a repeat of the failed
	// attempt, and the events were committed without ever running.
	expect(second.duplicates).toEqual([]);
	expect(executedKeys(second)).toEqual(events);
	expect(second.executions.map((execution) => execution.deduplicationKey)).toEqual(
		first.unstarted.slice(0, 3).map((key) => `${key}:r2`),
	);
});

it('a restart while the re-run of an execution whose worker died is running emits the re-run\'s key again: n8n knows it, nothing runs twice', async () => {
	sim = await fastSimulator();
	const events = inject(sim, 2);
	const keys = new Set<string>();
	const first = await activateClosedAfterEach(sim, perEvent, {
		executionKeys: keys,
		// The first execution of offset 0 loses its worker; its re-run takes a while.
		executionDies: (execution) => execution.deduplicationKey!.endsWith(':0:0-0'),
		executionMs: (execution) => (execution.deduplicationKey!.endsWith(':r1') ? 300 : 0),
	});
	await until(() => first.executions.some((execution) => execution.deduplicationKey!.endsWith(':r1')), 5_000, 'the re-run');
	// n8n saved the re-run's emit, never its commit: it finished after the last emit.
	const saved = await stopLikeN8n(first);
	expect((saved['node:Falcon Trigger'] as IDataObject).openBatches).toContain('0:0-0~0');
	const second = await start(perEvent, keys, saved);
	await untilCommitted(second, { '0': 1 });
	// Offset 1 ran before the restart too, its commit unsaved as well.
	expect(second.duplicates.map((key) => key.replace(/^.*:e0:/, '')).sort()).toEqual(['0:0-0:r1', '0:1-1']);
	expect(second.executions).toEqual([]);
	// The dead worker's execution ran nothing; its re-run ran offset 0 once.
	expect(executedKeys(first, second).sort()).toEqual([...events, events[0]].sort());
	expect(first.executions.filter((execution) => execution.deduplicationKey!.endsWith(':r1'))).toHaveLength(1);
});

it('an explicit start position runs its events again, although executions with their offsets exist', async () => {
	sim = await fastSimulator();
	inject(sim, 4);
	const keys = new Set<string>();
	const first = await start(perEvent, keys);
	await untilCommitted(first, { '0': 3 });
	const saved = await stopLikeN8n(first);
	const replay = await start(triggerParameters({ startFrom: 'offset', startOffsets: '1' }), keys, saved);
	await untilCommitted(replay, { '0': 3 });
	expect(executedKeys(replay)).toEqual(['0:1', '0:2', '0:3']);
	expect(replay.duplicates).toEqual([]);
});

it('offsets named for one partition replay that partition only: the others go on from their stored position, losing nothing that arrived while down', async () => {
	sim = await fastSimulator({ partitions: 2 });
	inject(sim, 8, 2);
	const keys = new Set<string>();
	const first = await start(perEvent, keys);
	await untilCommitted(first, { '0': 3, '1': 3 });
	const saved = await stopLikeN8n(first);
	// Partition 1 moves on while n8n is down.
	for (let index = 0; index < 3; index++) sim.injectEvent({ eventType: 'EppDetectionSummaryEvent', partition: 1 });
	const replay = await start(triggerParameters({ startFrom: 'offset', startOffsets: '0=2' }, { maxInFlight: 3 }), keys, saved);
	await untilCommitted(replay, { '0': 3, '1': 6 });
	const executed = executedKeys(replay);
	expect(executed.filter((key) => key.startsWith('0:')).sort()).toEqual(['0:2', '0:3']);
	expect(executed).toEqual(expect.arrayContaining(['1:4', '1:5', '1:6']));
	// Partition 1's last executions before the stop, whose commit n8n had not saved, may run again under the replay's
	// new execution keys: at most Max Executions in Flight of them, nothing older.
	const rerun = executed.filter((key) => key.startsWith('1:') && Number(key.slice(2)) < 4);
	expect(rerun.length).toBeLessThanOrEqual(3);
	expect(rerun).not.toContain('1:0');
});

it('"Events Newer Than" given by an expression ({{ $now.minus(…) }}) applies once: a restart does not run its window again', async () => {
	sim = await fastSimulator();
	inject(sim, 3);
	const keys = new Set<string>();
	const parameters = triggerParameters({ startFrom: 'newerThan', newerThan: '={{ $now.minus({ minutes: 10 }).toISO() }}' });
	const first = await start(parameters, keys);
	await untilCommitted(first, { '0': 2 });
	const second = await start(parameters, keys, await stopLikeN8n(first));
	const later = inject(sim, 1);
	await untilExecuted([second], later);
	expect(executedKeys(second)).toEqual(later);
});

it('a stored position erased by another node (queue mode) is recognised: nothing runs again, and it says why', async () => {
	sim = await fastSimulator();
	inject(sim, 4);
	const keys = new Set<string>();
	const first = await start(perEvent, keys);
	await untilCommitted(first, { '0': 3 });
	await stopLikeN8n(first);
	// What a worker saves after a Code node wrote $getWorkflowStaticData('global'): only its own keys.
	const erased = { global: { lastOffset: 3 } };
	const second = await start(perEvent, keys, erased);
	await until(() => second.duplicates.length === 4, 10_000, 'n8n to refuse the four events it already ran');
	expect(executedKeys(second)).toEqual([]);
	const warnings = (second.nodeState().health as IDataObject).warnings as string[];
	expect(warnings.join('\n')).toMatch(/No stored position was found, but other nodes .* keep workflow static data \(global: lastOffset\)/);
});

it('with "Skip Repeated Executions" off, a restart repeats at most Max Executions in Flight', async () => {
	const [first, second] = await restartWhileEventsArrive(triggerParameters({}, { maxInFlight: 3, deduplicate: false }));
	expect(first.executions.every((execution) => execution.deduplicationKey === undefined)).toBe(true);
	expect(repeated(executedKeys(first, second)).length).toBeLessThanOrEqual(3);
});
