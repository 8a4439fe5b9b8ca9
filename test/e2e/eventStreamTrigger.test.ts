/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code, never part of the package */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDataObject } from 'n8n-workflow';

import { useFalconN8n, type FalconN8nSuite } from './harness/falcon-n8n-suite';
import { N8nRestClient } from './harness/rest';
import { repeatedEvents, TriggerExecutionLog, type TriggerExecution } from './harness/triggerExecutions';
import { noOpStep, triggerChainWorkflow, type ChainStep } from './harness/triggerWorkflow';
import { waitFor } from './harness/wait-for';
import { falconStep, manualWorkflow, workflowId } from './harness/workflows';

// Published triggers inside a real `n8n start`, one per delivery mode, both following the two partitions of the
// simulator's stream. n8n is stopped (SIGTERM) and killed (SIGKILL) while events arrive and on a quiet stream;
// every event must reach an execution, and a clean restart must run none twice.

const MAX_IN_FLIGHT = 3;
const SETTINGS_PATH = '/installation-tokens/entities/customer-settings/v1';
const DUPLICATE_LOG_LINE = 'Scheduled execution skipped: duplicate deduplication key';

interface TriggerUnderTest {
	name: string;
	node: string;
	parameters: IDataObject;
}

const perEvent: TriggerUnderTest = { name: 'falcon event stream trigger', node: 'Falcon Events', parameters: { delivery: 'event' } };
const batches: TriggerUnderTest = {
	name: 'falcon event stream trigger batches',
	node: 'Falcon Batches',
	parameters: { delivery: 'batch', batchSize: 4, batchMaxWaitSeconds: 0.5 },
};

function triggerWorkflow(suite: FalconN8nSuite, trigger: TriggerUnderTest, withApiCall: boolean) {
	const tokenSettings: ChainStep = {
		name: 'Token Settings',
		type: `${suite.nodeTypePrefix}crowdStrikeFalconInstallationTokens`,
		parameters: { resource: 'settings', operation: 'get' },
		usesFalconCredential: true,
	};
	return triggerChainWorkflow(suite, {
		name: trigger.name,
		triggerName: trigger.node,
		trigger: {
			eventTypes: [],
			startFrom: 'stored',
			...trigger.parameters,
			options: {
				whenNothingStored: 'oldest',
				maxInFlight: MAX_IN_FLIGHT,
				reconnectDelaySeconds: 0.2,
				reconnectMaxDelaySeconds: 2,
				watchdogSeconds: 10,
			},
		},
		steps: [...(withApiCall ? [tokenSettings] : []), noOpStep],
	});
}

const LIST_STREAMS = 'falcon list streams';

const suite = useFalconN8n('event-stream-trigger', {
	simulator: { partitions: 2, keepAliveMs: 1_000 },
	workflows: (s) => [
		triggerWorkflow(s, perEvent, true),
		triggerWorkflow(s, batches, false),
		manualWorkflow(LIST_STREAMS, [
			falconStep(s, 'crowdStrikeFalconEventStreams', 'List Streams', { resource: 'stream', operation: 'listAvailable', appId: 'e2eListStreams01' }),
		]),
	],
	publish: [workflowId(perEvent.name), workflowId(batches.name)],
	server: true,
});

const logs = [perEvent, batches].map((trigger) => new TriggerExecutionLog(() => suite.rest, workflowId(trigger.name), trigger.node));
const injected: string[] = [];
const measurements: IDataObject = {};

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

function inject(count: number): string[] {
	return Array.from({ length: count }, () => {
		const { partition, offset } = suite.simulator.injectEvent({ eventType: 'EppDetectionSummaryEvent', partition: injected.length % 2 });
		injected.push(`${partition}:${offset}`);
		return `${partition}:${offset}`;
	});
}

/** Events arrive on both partitions, one every `everyMs`, until stopped. */
function traffic(everyMs = 150) {
	let running = true;
	const loop = (async () => {
		while (running) {
			inject(1);
			await sleep(everyMs);
		}
	})();
	return async () => {
		running = false;
		await loop;
	};
}

/** Every workflow's executions once each has started one for every injected event. */
async function untilAllRan(timeoutMs = 120_000): Promise<TriggerExecution[][]> {
	return await waitFor(
		`executions for all ${injected.length} events in both workflows`,
		async () => {
			const all = await Promise.all(logs.map(async (log) => await log.refresh()));
			const complete = all.every((executions) => {
				const ran = new Set(executions.flatMap((execution) => execution.events));
				return injected.every((key) => ran.has(key)) && executions.every((execution) => execution.status !== 'running' && execution.status !== 'new');
			});
			return complete ? all : undefined;
		},
		{ timeoutMs, intervalMs: 1_000 },
	);
}

function duplicateLogLines(): number {
	return readFileSync(join(suite.n8n.userFolder, 'n8n.log'), 'utf8').split(DUPLICATE_LOG_LINE).length - 1;
}

/**
 * Stops n8n while events keep arriving, then starts it again once they stopped. Slow Falcon answers keep the
 * per-event workflow's executions (one API call each) in flight when n8n goes down.
 */
async function restartDuringTraffic(how: 'SIGTERM' | 'SIGKILL'): Promise<void> {
	suite.simulator.setFaults({ latencyMs: 400 });
	const stopTraffic = traffic();
	await sleep(3_000);
	await stop(how);
	await stopTraffic();
	suite.simulator.setFaults({ latencyMs: 0 });
	await start();
	inject(8);
}

async function stop(how: 'SIGTERM' | 'SIGKILL'): Promise<void> {
	if (how === 'SIGKILL') {
		const server = suite.n8n.server!;
		process.kill(server.pid, 'SIGKILL');
		await server.exited;
	}
	await suite.n8n.stop();
}

async function start(): Promise<void> {
	const server = await suite.n8n.start();
	suite.rest = await N8nRestClient.login(server.url, suite.n8n.owner);
}

function record(name: string, all: TriggerExecution[][]): number[] {
	const repeats = all.map((executions) => repeatedEvents(executions).length);
	// Counted since the suite started, like the events.
	measurements[name] = { repeatedEvents: { perEvent: repeats[0], batches: repeats[1] }, events: injected.length, refusedByN8n: duplicateLogLines() };
	writeFileSync(join(suite.folder, 'restart-measurements.json'), JSON.stringify(measurements, null, 2));
	return repeats;
}

test('every event of both partitions starts one execution per event, and one per batch', async () => {
	inject(8);
	const [events, batched] = await untilAllRan();
	expect(events).toHaveLength(8);
	expect(batched.length).toBeLessThan(8);
	for (const execution of [...events, ...batched]) expect(execution).toMatchObject({ status: 'success', mode: 'trigger' });
});

test('Stream → List Available keeps the session token out of the execution data, and its expiry in', async () => {
	// `n8n execute` cannot run beside `n8n start` on one user folder (both take the task broker's port).
	await stop('SIGTERM');
	const result = await suite.execute(workflowId(LIST_STREAMS)).finally(start);
	expect(result.succeeded).toBe(true);
	expect(result.items('List Streams').map((item) => item.sessionToken)).toEqual([
		{ token: '[redacted]', expiration: expect.any(String) },
		{ token: '[redacted]', expiration: expect.any(String) },
	]);
	// The secret scan (secretScan.test.ts) then finds none of the tokens the simulator issued in n8n's database.
}, 300_000);

test('a clean restart while events arrive runs no event twice, in both delivery modes, and loses none', async () => {
	const refused = duplicateLogLines();
	await restartDuringTraffic('SIGTERM');
	const all = await untilAllRan();
	expect(record('cleanRestartWithTraffic', all)).toEqual([0, 0]);
	for (const executions of all) for (const execution of executions) expect(execution.status).toBe('success');
	// The executions whose commit n8n had not saved were emitted again after the restart, and n8n refused them.
	expect(duplicateLogLines()).toBeGreaterThan(refused);

	// n8n saves static data when the trigger emits: further events leave every earlier event's offset stored.
	const lastOffset = (partition: number) =>
		Math.max(...injected.filter((key) => key.startsWith(`${partition}:`)).map((key) => Number(key.split(':')[1])));
	const expected = [lastOffset(0), lastOffset(1)];
	const offsets = await waitFor(
		`stored offsets to reach ${expected.join(', ')}`,
		async () => {
			const stored = await suite.rest.get<{ staticData?: IDataObject }>(`/workflows/${workflowId(perEvent.name)}`);
			const saved = ((stored.staticData?.[`node:${perEvent.node}`] as IDataObject | undefined)?.offsets ?? {}) as IDataObject;
			if (Number(saved['0']) >= expected[0] && Number(saved['1']) >= expected[1]) return saved;
			inject(2);
			return undefined;
		},
		{ timeoutMs: 60_000, intervalMs: 2_000 },
	);
	expect(Number(offsets['1'])).toBeGreaterThanOrEqual(expected[1]);
}, 400_000);

test('clean restarts on a quiet stream run nothing again, however many', async () => {
	const before = await untilAllRan();
	await sleep(2_000);
	for (let round = 0; round < 2; round++) {
		const refused = duplicateLogLines();
		await stop('SIGTERM');
		await start();
		// Each trigger emits again what it had not seen committed in n8n's database, and n8n refuses it.
		await waitFor('the unsaved executions to be emitted again', async () => (duplicateLogLines() >= refused + 2 ? true : undefined), {
			timeoutMs: 60_000,
			intervalMs: 500,
		});
		await sleep(3_000);
	}
	const after = await untilAllRan();
	expect(record('cleanRestartsQuiet', after)).toEqual([0, 0]);
	expect(after.map((executions) => executions.length)).toEqual(before.map((executions) => executions.length));
}, 400_000);

test('a failed execution can be retried from the execution list, and the trigger does not run it again', async () => {
	// Three 500s outlast the node's two retries: exactly this event's execution fails.
	suite.simulator.setFaults({ serverErrors: [{ pathPrefix: SETTINGS_PATH, count: 3, status: 500 }] });
	const [event] = inject(1);
	const failed = await waitFor(
		'the failed execution',
		async () => (await logs[0].refresh()).find((execution) => execution.events.includes(event) && execution.status === 'error'),
		{ timeoutMs: 60_000, intervalMs: 1_000 },
	);
	const retried = await suite.rest.post<{ id: string; status: string; mode: string; retryOf: string }>(`/executions/${failed.id}/retry`, {
		loadWorkflow: false,
	});
	expect(retried).toMatchObject({ status: 'success', mode: 'retry', retryOf: failed.id });
	inject(2);
	const all = await untilAllRan();
	expect(repeatedEvents(all[0])).toEqual([]);
	expect(all[0].filter((execution) => execution.events.includes(event)).map((execution) => execution.mode).sort()).toEqual(['retry', 'trigger']);
}, 300_000);

test('after SIGKILL while events arrive, nothing runs twice; executions n8n was running are crashed, and can be retried', async () => {
	await restartDuringTraffic('SIGKILL');
	const all = await untilAllRan();
	const repeats = record('killWithTraffic', all);
	for (const count of repeats) expect(count).toBeLessThanOrEqual(MAX_IN_FLIGHT);
	// n8n marks the executions it was running as crashed at its next start; their keys keep the trigger from
	// running those events again, so they wait in the execution list for a retry.
	const crashed = all.map((executions) => executions.filter((execution) => execution.status === 'crashed'));
	measurements.killCrashed = crashed.map((executions) => executions.length);
	writeFileSync(join(suite.folder, 'restart-measurements.json'), JSON.stringify(measurements, null, 2));
	for (const executions of crashed) expect(executions.length).toBeLessThanOrEqual(MAX_IN_FLIGHT);
	const [first] = crashed.flat();
	if (first) {
		const retried = await suite.rest.post<{ status: string; mode: string }>(`/executions/${first.id}/retry`, { loadWorkflow: false });
		expect(retried).toMatchObject({ status: 'success', mode: 'retry' });
	}
}, 400_000);
