/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code, never part of the package */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDataObject } from 'n8n-workflow';

import { exampleWorkflows } from '../../scripts/runtime/n8n-instance';
import { unflattenExecution } from './harness/executionData';
import { useFalconN8n } from './harness/falcon-n8n-suite';
import { N8nRestClient } from './harness/rest';
import { repeatedEvents, TriggerExecutionLog, type TriggerExecution } from './harness/triggerExecutions';
import { waitFor } from './harness/wait-for';

// examples/mssp-stream-triage.json published in a real `n8n start` with a parent (MSSP) credential: one trigger
// follows the streams of the simulator's two child tenants, and each detection's host lookup, RTR `ps` and alert
// comment run in the child the detection came from (Tenant = the event's `stream.cid`). The simulator's per-tenant
// state is the oracle. Then n8n is stopped while detections arrive in both children and started again: every
// detection of either child must run exactly once.

const PLAYBOOK = 'MSSP detection triage';
const TRIGGER = 'Child Detections';
const playbookId = exampleWorkflows({ id: '', name: '' }).find((workflow) => workflow.name === PLAYBOOK)!.id!;

const suite = useFalconN8n('mssp-trigger', {
	simulator: { children: 2, partitions: 2, keepAliveMs: 1_000, commandCompleteAfterMs: 200 },
	server: true,
	workflows: (s) => {
		const playbook = exampleWorkflows(s.credential).find((workflow) => workflow.id === playbookId)!;
		// Shorter waits than the example ships with; everything else is as shipped.
		for (const node of playbook.nodes) {
			const options = node.parameters.options as IDataObject;
			if (node.name === TRIGGER) {
				Object.assign(options, { whenNothingStored: 'oldest', reconnectDelaySeconds: 0.2, reconnectMaxDelaySeconds: 2, watchdogSeconds: 10 });
			}
			if (node.name === 'Processes') Object.assign(options, { pollIntervalSeconds: 0.2 });
		}
		return [playbook];
	},
	publish: [playbookId],
});

const log = new TriggerExecutionLog(() => suite.rest, playbookId, TRIGGER);
/** `cid/partition:offset` of every detection injected, with the host and alert it names. */
const injected = new Map<string, { cid: string; hostId: string; compositeId: string }>();
const measurements: IDataObject = {};

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

function detection(childIndex: number): string {
	const child = suite.simulator.children[childIndex];
	const online = child.fleet.filter((host) => host.online);
	const host = online[injected.size % online.length];
	const placed = suite.simulator.injectEvent({
		cid: child.cid,
		eventType: 'EppDetectionSummaryEvent',
		partition: injected.size % 2,
		event: { AgentId: host.aid, SensorId: host.aid, Severity: 90, SeverityName: 'Critical' },
	});
	const key = `${child.cid}/${placed.partition}:${placed.offset}`;
	injected.set(key, { cid: child.cid, hostId: host.aid, compositeId: placed.compositeId! });
	return key;
}

/** The executions once every injected detection has started one and none is still running. */
async function untilAllRan(timeoutMs = 150_000): Promise<TriggerExecution[]> {
	return await waitFor(
		`executions for all ${injected.size} detections`,
		async () => {
			const executions = await log.refresh();
			const ran = new Set(executions.flatMap((execution) => execution.events));
			const done = [...injected.keys()].every((key) => ran.has(key)) && executions.every((execution) => !['new', 'running'].includes(execution.status));
			return done ? executions : undefined;
		},
		{ timeoutMs, intervalMs: 1_000 },
	);
}

async function summaryOf(executionId: string): Promise<IDataObject> {
	const full = await suite.rest.get<{ data: string }>(`/executions/${executionId}`);
	return unflattenExecution(full.data).resultData.runData['Triage Summary'][0].data!.main![0][0].json;
}

const rtrCommands = (cid: string) => suite.simulator.state().tenants[cid].rtr.commands;

test("each child's detection is triaged in that child: host, RTR and alert comment in the detection's tenant", async () => {
	const startedAt = Date.now();
	const children = suite.simulator.children;
	const parent = suite.simulator.cid.toLowerCase();
	const keys = [detection(0), detection(1), detection(0), detection(1)];
	const executions = await untilAllRan();
	measurements.firstFourDetectionsMs = Date.now() - startedAt;

	expect(executions).toHaveLength(4);
	for (const execution of executions) {
		expect(execution).toMatchObject({ status: 'success', mode: 'trigger' });
		const [key] = execution.events;
		const expected = injected.get(key)!;
		expect(await summaryOf(execution.id)).toMatchObject({
			child_cid: expected.cid,
			child_name: children.find((child) => child.cid === expected.cid)!.name,
			host_id: expected.hostId,
			alert_id: expected.compositeId,
			processes: 'success',
		});
	}
	const state = suite.simulator.state();
	for (const child of children) {
		expect(rtrCommands(child.cid)).toBe(2);
		const commented = state.tenants[child.cid].alerts.filter((alert) => alert.tags.includes('triaged_by_n8n'));
		expect(commented.map((alert) => alert.composite_id).sort()).toEqual(
			keys.filter((key) => injected.get(key)!.cid === child.cid).map((key) => injected.get(key)!.compositeId).sort(),
		);
		for (const alert of commented) expect(JSON.stringify(alert.comments)).toContain(`Triaged by n8n for ${child.name}`);
	}
	// Nothing ran in the parent's own tenant, and each child got its own token.
	expect(rtrCommands(parent)).toBe(0);
	for (const child of children) expect(state.tokensIssued.some((token) => token.memberCid === child.cid)).toBe(true);
});

test('a restart of n8n while detections arrive in both children loses none and runs none twice', async () => {
	const stopTraffic = traffic();
	await sleep(3_000);
	await suite.n8n.stop();
	await stopTraffic();
	const restartedAt = Date.now();
	const server = await suite.n8n.start();
	suite.rest = await N8nRestClient.login(server.url, suite.n8n.owner);
	detection(0);
	detection(1);
	const executions = await untilAllRan();
	measurements.restart = { detections: injected.size, executions: executions.length, allRanAfterRestartMs: Date.now() - restartedAt };
	writeFileSync(join(suite.folder, 'mssp-measurements.json'), JSON.stringify(measurements, null, 2));

	expect(repeatedEvents(executions)).toEqual([]);
	expect(new Set(executions.flatMap((execution) => execution.events))).toEqual(new Set(injected.keys()));
	for (const execution of executions) expect(execution.status).toBe('success');
	for (const child of suite.simulator.children) {
		expect(rtrCommands(child.cid)).toBe([...injected.values()].filter((event) => event.cid === child.cid).length);
	}

	// n8n keeps each child's position apart in the trigger's static data.
	const stored = await waitFor(
		"each child's stored position",
		async () => {
			const workflow = await suite.rest.get<{ staticData?: IDataObject }>(`/workflows/${playbookId}`);
			const tenants = (workflow.staticData?.[`node:${TRIGGER}`] as IDataObject | undefined)?.tenants as IDataObject | undefined;
			return tenants && suite.simulator.children.every((child) => tenants[child.cid]) ? tenants : undefined;
		},
		{ timeoutMs: 30_000, intervalMs: 1_000 },
	);
	for (const child of suite.simulator.children) expect((stored[child.cid] as IDataObject).offsets).toEqual(expect.any(Object));
}, 400_000);

/** Detections arrive in both children, alternately, until stopped. */
function traffic(everyMs = 300) {
	let running = true;
	const loop = (async () => {
		while (running) {
			detection(injected.size % 2);
			await sleep(everyMs);
		}
	})();
	return async () => {
		running = false;
		await loop;
	};
}
