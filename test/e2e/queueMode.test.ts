/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code, never part of the package */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDataObject } from 'n8n-workflow';

import { residentMb } from './harness/processTree';
import { useQueueModeFalconN8n } from './harness/queueModeSuite';
import { receiveQueue } from './harness/socketQueues';
import { repeatedEvents, triggerEvents, unflatten, type TriggerExecution } from './harness/triggerExecutions';
import { eventKey, TriggerScenario } from './harness/triggerScenario';
import { codeStep, noOpStep, triggerChainWorkflow, waitStep, type TriggerChain } from './harness/triggerWorkflow';
import { waitFor } from './harness/wait-for';
import { readQueueLog } from './harness/workerLogs';
import { workflowId } from './harness/workflows';

// n8n 2.41 in queue mode: a main (where published triggers run), two `n8n worker`s (where their executions run), Redis
// and Postgres. Published trigger workflows follow the simulator's two partitions, each on its own event type.
// Every finding is written to test-output/e2e/queue-mode/measurements.json.

const MAX_IN_FLIGHT = 3;
const DETECTION = 'EppDetectionSummaryEvent';
const SLOW_EVENT = 'QueueModeSlowEvent';
const STATIC_OLDEST_EVENT = 'QueueModeStaticOldestEvent';
const STATIC_LATEST_EVENT = 'QueueModeStaticLatestEvent';
const FINAL = new Set(['success', 'error', 'crashed', 'canceled']);
const DUPLICATE_LOG_LINE = 'Scheduled execution skipped: duplicate deduplication key';

function chain(name: string, triggerName: string, eventType: string, trigger: IDataObject, steps = [noOpStep]): TriggerChain {
	return {
		name,
		triggerName,
		steps,
		trigger: {
			eventTypes: [],
			customEventTypes: eventType,
			startFrom: 'stored',
			...trigger,
			options: {
				whenNothingStored: 'oldest',
				maxInFlight: MAX_IN_FLIGHT,
				reconnectDelaySeconds: 0.2,
				reconnectMaxDelaySeconds: 2,
				watchdogSeconds: 10,
				...(trigger.options as IDataObject | undefined),
			},
		},
	};
}

const REMEMBER = "$getWorkflowStaticData('global').lastOffset = $input.first().json.stream.offset;\nreturn $input.all();";
const perEvent = chain('queue mode events', 'Falcon Events', DETECTION, { delivery: 'event' });
const batches = chain('queue mode batches', 'Falcon Batches', DETECTION, { delivery: 'batch', batchSize: 4, batchMaxWaitSeconds: 0.5 });
const slow = chain('queue mode slow', 'Falcon Slow', SLOW_EVENT, { delivery: 'event' }, [waitStep(8), noOpStep]);
const staticOldest = chain('queue mode static data oldest', 'Falcon Static', STATIC_OLDEST_EVENT, { delivery: 'event' }, [
	codeStep('Remember', REMEMBER),
	noOpStep,
]);
const staticLatest = chain(
	'queue mode static data latest',
	'Falcon Static',
	STATIC_LATEST_EVENT,
	{ delivery: 'event', options: { whenNothingStored: 'latest' } },
	[codeStep('Remember', REMEMBER), noOpStep],
);
const chains = [perEvent, batches, slow, staticOldest, staticLatest];

const suite = useQueueModeFalconN8n('queue-mode', {
	simulator: { partitions: 2, keepAliveMs: 1_000 },
	workers: 2,
	env: {
		// A dead worker's job is found stalled within seconds instead of n8n's default 60 s lock + 30 s check.
		QUEUE_WORKER_LOCK_DURATION: '6000',
		QUEUE_WORKER_LOCK_RENEW_TIME: '1500',
		QUEUE_WORKER_STALLED_INTERVAL: '3000',
		// The setup README "Scaling" asks for: n8n 2.41 removes finished jobs from Redis at once by default, and can
		// then miss a job's completion and never settle the trigger's execution (the trigger stops at Max in Flight).
		N8N_EXECUTIONS_QUEUE_KEEP_LAST_COMPLETED: '1000',
		N8N_EXECUTIONS_QUEUE_KEEP_LAST_FAILED: '1000',
	},
	workflows: (s) => chains.map((c) => triggerChainWorkflow(s, c)),
	publish: chains.map((c) => workflowId(c.name)),
});
const scenario = new TriggerScenario(suite);
const measurements: IDataObject = {};
const suiteStarted = Date.now();

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

function note(name: string, value: unknown): void {
	measurements[name] = value as IDataObject;
	measurements.suiteSecondsSoFar = Math.round((Date.now() - suiteStarted) / 1000);
	writeFileSync(join(suite.folder, 'measurements.json'), JSON.stringify(measurements, null, 2));
}

function workerNames(): string[] {
	return [...suite.cluster.workers.keys()];
}

async function workersUpTo(count: number): Promise<void> {
	while (suite.cluster.workers.size < count) await suite.cluster.startWorker();
}

/** Every trigger has its feeds open again (the simulator lists them): events injected from now on reach it. */
async function allTriggersConnected(): Promise<void> {
	await waitFor(
		'every trigger to open its feeds',
		async () => (suite.simulator.state().streams.openFeeds.length >= chains.length * 2 ? true : undefined),
		{ timeoutMs: 60_000, intervalMs: 250 },
	);
}

/** Events of executions started after `known` whose offset was already stored as committed before the restart. */
function rerunCommitted(executions: TriggerExecution[], known: Set<string>, stored: IDataObject | undefined): string[] {
	return executions
		.filter((execution) => !known.has(execution.id))
		.flatMap((execution) => execution.events)
		.filter((key) => eventKey(key).offset <= Number(stored?.[eventKey(key).partition] ?? -1));
}

/** Stops the main (cleanly or with kill -9 of it and its task runner) while detections arrive, then starts it again. */
async function restartDuringTraffic(how: 'SIGTERM' | 'SIGKILL') {
	const stopTraffic = scenario.traffic(DETECTION);
	await sleep(4_000);
	const stopping = Date.now();
	await (how === 'SIGKILL' ? suite.cluster.killMain() : suite.n8n.stop());
	await stopTraffic();
	const stopSeconds = (Date.now() - stopping) / 1000;
	// With the main down nobody creates executions: the stored offsets and the executions of before the restart.
	const stored = [await scenario.storedOffsets(perEvent), await scenario.storedOffsets(batches)];
	const known = [await scenario.executionIds(perEvent), await scenario.executionIds(batches)];
	const starting = Date.now();
	await suite.startMain();
	const startSeconds = (Date.now() - starting) / 1000;
	scenario.inject(8, DETECTION);
	const all = [await scenario.untilAllRan(perEvent), await scenario.untilAllRan(batches)];
	return {
		all,
		result: {
			stopSeconds,
			startSeconds,
			catchUpSeconds: (Date.now() - starting) / 1000 - startSeconds,
			events: scenario.injected.get(DETECTION)!.length,
			storedAtStop: stored,
			repeats: all.map((executions) => repeatedEvents(executions).length),
			committedRunAgain: all.map((executions, index) => rerunCommitted(executions, known[index], stored[index]).length),
			statuses: [await scenario.statusCounts(perEvent), await scenario.statusCounts(batches)],
			duplicatesRefusedSoFar: suite.cluster.log('main').split(DUPLICATE_LOG_LINE).length - 1,
		},
	};
}

test('executions of published triggers run on the workers, none on the main', async () => {
	scenario.inject(8, DETECTION);
	const [events, batched] = [await scenario.untilAllRan(perEvent), await scenario.untilAllRan(batches)];
	expect(events).toHaveLength(8);
	expect(batched.length).toBeLessThan(8);
	const main = readQueueLog(suite.cluster.log('main'));
	const byWorker = Object.fromEntries(workerNames().map((name) => [name, readQueueLog(suite.cluster.log(name))]));
	for (const execution of [...events, ...batched]) {
		expect(execution).toMatchObject({ status: 'success', mode: 'trigger' });
		expect(main.enqueued).toContain(execution.id);
		const ranOn = Object.values(byWorker).filter((log) => log.started.includes(execution.id) && log.finished.includes(execution.id));
		expect(ranOn).toHaveLength(1);
	}
	expect(main.started).toEqual([]);
	note('executionsPerWorker', Object.fromEntries(Object.entries(byWorker).map(([name, log]) => [name, log.finished.length])));
});

test('a clean restart of the main while events arrive resumes after the stored offsets: nothing lost, nothing run twice', async () => {
	const { all, result } = await restartDuringTraffic('SIGTERM');
	note('cleanRestart', result);
	expect(result.repeats).toEqual([0, 0]);
	expect(result.committedRunAgain).toEqual([0, 0]);
	for (const executions of all) for (const execution of executions) expect(execution.status).toBe('success');
}, 300_000);

test('kill -9 of the main while events arrive: nothing lost, repeats bounded by Max Executions in Flight', async () => {
	const { all, result } = await restartDuringTraffic('SIGKILL');
	note('killMain', result);
	for (const repeats of result.repeats) expect(repeats).toBeLessThanOrEqual(MAX_IN_FLIGHT);
	expect(result.committedRunAgain).toEqual([0, 0]);
	// The workers finished what the dead main had enqueued: nothing is left crashed or queued.
	for (const executions of all) for (const execution of executions) expect(execution.status).toBe('success');
}, 300_000);

test('kill -9 of a worker mid-execution: n8n fails the execution without its input and never re-runs it; the trigger runs its events again under a derived key', async () => {
	const [event] = scenario.inject(1, SLOW_EVENT);
	const { execution, worker } = await waitFor(
		'a worker to start the slow execution',
		async () => {
			const running = (await scenario.executions(slow)).find((candidate) => candidate.events.includes(event));
			const name = running && workerNames().find((w) => readQueueLog(suite.cluster.log(w)).started.includes(running.id));
			return running && name ? { execution: running, worker: name } : undefined;
		},
		{ timeoutMs: 60_000, intervalMs: 250 },
	);
	const killedAt = Date.now();
	await suite.cluster.workers.get(worker)!.kill();
	// A replacement starts meanwhile; the surviving worker's stalled check is what fails the job.
	const replacement = workersUpTo(2);
	const [failed] = await waitFor(
		'n8n to record the killed execution as finished',
		async () => {
			const covering = await scenario.executionsCovering(slow, event);
			return covering.length > 0 && FINAL.has(covering[0].status) ? covering : undefined;
		},
		{ timeoutMs: 180_000, intervalMs: 1_000 },
	);
	const recordedAfterSeconds = Math.round((Date.now() - killedAt) / 1000);
	const document = unflatten((await suite.rest.get<{ data: string }>(`/executions/${failed.id}`)).data) as Parameters<typeof triggerEvents>[0] & {
		resultData: { error?: IDataObject };
	};
	await replacement;
	// The trigger saw an execution that ended before any node ran, and emitted the same event again.
	await scenario.untilRan(slow, [event]);
	// The next slow event makes the trigger emit again, and n8n saves the static data holding the re-run's commit.
	const [next] = scenario.inject(1, SLOW_EVENT);
	await scenario.untilRan(slow, [next]);
	const stored = await scenario.storedOffsets(slow);
	const covering = await scenario.executionsCovering(slow, event);
	const retry = await suite.rest.post<IDataObject & { data?: { resultData?: { runData?: IDataObject } } }>(`/executions/${failed.id}/retry`, {
		loadWorkflow: false,
	});
	note('workerKill', {
		event,
		killedWorker: worker,
		execution: failed,
		recordedAfterSeconds,
		error: document.resultData.error?.message,
		eventsInStoredExecution: triggerEvents(document, slow.triggerName),
		executionsCoveringEvent: covering,
		storedOffsetsAfterNextEmit: stored,
		retryFromList: retry,
	});
	expect(execution.id).toBe(failed.id);
	expect(failed.status).toBe('error');
	expect(String(document.resultData.error?.message)).toContain('failed to be processed too many times');
	// n8n replaced the execution's data with the error: the event's payload is no longer in n8n's records.
	expect(triggerEvents(document, slow.triggerName)).toEqual([]);
	// n8n never runs the job again; the trigger's re-run under `<key>:r1` did, and only then was the offset committed.
	const [, rerun, ...more] = covering.filter((candidate) => candidate.mode === 'trigger');
	expect(more).toEqual([]);
	expect(rerun).toMatchObject({ status: 'success', deduplicationKey: `${failed.deduplicationKey}:r1` });
	expect(Number(stored?.[eventKey(event).partition])).toBeGreaterThanOrEqual(eventKey(event).offset);
	// Retry from the execution list has nothing to run: it fails at once with the same error, no node run.
	expect(retry).toMatchObject({ mode: 'retry', status: 'error', retryOf: failed.id });
	expect(Object.keys(retry.data?.resultData?.runData ?? {})).toEqual([]);
}, 300_000);

test('no worker alive: the trigger stops reading at Max Executions in Flight with flat memory, and catches up when a worker starts', async () => {
	await Promise.all([...suite.cluster.workers.values()].map(async (worker) => await worker.stop()));
	const before = [await scenario.statusCounts(perEvent), await scenario.statusCounts(batches)];
	const mainPid = suite.n8n.server!.pid;
	const simulatorPort = Number(new URL(suite.simulator.url).port);
	const padding = 'x'.repeat(200 * 1024);
	const samples: Array<IDataObject & { rssMb?: number; unreadBytes: number }> = [];
	const sample = async (label: string) => {
		samples.push({
			label,
			rssMb: residentMb(mainPid),
			...receiveQueue(mainPid, simulatorPort),
			perEvent: await scenario.statusCounts(perEvent),
			batches: await scenario.statusCounts(batches),
		});
	};
	await sample('workers stopped');
	// Two waves of 40 detections of ~200 KB: 16 MB per workflow that the main must not take in.
	for (const wave of [1, 2]) {
		scenario.inject(40, DETECTION, { Padding: padding });
		for (let second = 1; second <= 6; second++) {
			await sleep(1_000);
			await sample(`wave ${wave}, ${second} s`);
		}
	}
	const waiting = [await scenario.statusCounts(perEvent), await scenario.statusCounts(batches)];
	const started = Date.now();
	await workersUpTo(1);
	const caughtUp = [await scenario.untilAllRan(perEvent, 300_000), await scenario.untilAllRan(batches, 300_000)];
	const blocked = samples.slice(3);
	note('noWorker', {
		before,
		waiting,
		samples: samples.map(({ label, rssMb, unreadBytes, connections }) => ({ label, rssMb, unreadBytes, connections })),
		rssGrowthDuringOutageMb: Math.round((samples[samples.length - 1].rssMb! - samples[1].rssMb!) * 10) / 10,
		catchUpSeconds: Math.round((Date.now() - started) / 1000),
		repeats: caughtUp.map((executions) => repeatedEvents(executions).length),
	});
	// Exactly Max Executions in Flight queued per workflow, and no more while 80 more events wait.
	expect((waiting[0].new ?? 0) - (before[0].new ?? 0)).toBe(MAX_IN_FLIGHT);
	expect((waiting[1].new ?? 0) - (before[1].new ?? 0)).toBe(MAX_IN_FLIGHT);
	// The kernel holds megabytes the main never reads: had the trigger read on, they would drain, as they do on the
	// feeds of the idle workflows.
	const unread = blocked.map((s) => s.unreadBytes);
	expect(Math.min(...unread)).toBeGreaterThan(1_000_000);
	for (let index = 1; index < unread.length; index++) expect(unread[index]).toBeGreaterThanOrEqual(unread[index - 1] - 1_024);
	// 32 MB waiting at Falcon's side; the main grows by a small fraction of that.
	expect(samples[samples.length - 1].rssMb! - samples[1].rssMb!).toBeLessThan(10);
	for (const executions of caughtUp) for (const execution of executions) expect(execution.status).toBe('success');
	expect(caughtUp.map((executions) => repeatedEvents(executions).length)).toEqual([0, 0]);
}, 600_000);

test('n8n 2.41: a Code node writing workflow static data on a worker erases the trigger position n8n stored; after a restart "oldest" runs nothing twice, "latest" skips what arrived meanwhile, and the trigger says why', async () => {
	const firstRun = [scenario.inject(3, STATIC_OLDEST_EVENT), scenario.inject(3, STATIC_LATEST_EVENT)];
	await scenario.untilAllRan(staticOldest);
	await scenario.untilAllRan(staticLatest);
	// The workers saved { global } over the whole column after the trigger's last save (at its last emit).
	const afterBurst = [await scenario.storedStaticData(staticOldest), await scenario.storedStaticData(staticLatest)];
	await suite.n8n.stop();
	const whileDown = [scenario.inject(2, STATIC_OLDEST_EVENT), scenario.inject(2, STATIC_LATEST_EVENT)];
	await suite.startMain();
	await allTriggersConnected();
	const afterRestart = [scenario.inject(1, STATIC_OLDEST_EVENT), scenario.inject(1, STATIC_LATEST_EVENT)];
	const oldest = await scenario.untilAllRan(staticOldest);
	const latest = await scenario.untilRan(staticLatest, afterRestart[1]);
	await sleep(3_000);
	const latestRan = new Set((await scenario.executions(staticLatest)).flatMap((execution) => execution.events));
	note('staticData', {
		afterBurst,
		whileDown,
		oldestRepeats: repeatedEvents(oldest),
		latestNeverRun: whileDown[1].filter((key) => !latestRan.has(key)),
		latestExecutions: latest.map((execution) => execution.events),
		storedNow: [await scenario.storedStaticData(staticOldest), await scenario.storedStaticData(staticLatest)],
	});
	// Only the Code node's key is left: the trigger's offsets, epoch and open batches are gone from n8n's database.
	for (const stored of afterBurst) expect(Object.keys(stored)).toEqual(['global']);
	// "If No Stored Position: oldest" reads the whole retained stream again, but the execution keys do not depend on the
	// lost state: n8n refuses every event it already ran.
	expect(firstRun[0].length).toBeGreaterThan(0);
	expect(repeatedEvents(oldest)).toEqual([]);
	expect(suite.cluster.log('main')).toContain('No stored position was found, but other nodes of this workflow keep workflow static data (global: lastOffset)');
	// "latest" (the default) starts at the newest event: what arrived while the main was down never runs.
	expect(whileDown[1].filter((key) => !latestRan.has(key))).toEqual(whileDown[1]);
}, 300_000);
