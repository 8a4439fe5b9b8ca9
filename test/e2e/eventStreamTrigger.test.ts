import type { IDataObject } from 'n8n-workflow';

import { useFalconN8n, type FalconN8nSuite } from './harness/falcon-n8n-suite';
import { N8nRestClient } from './harness/rest';
import { CREDENTIAL_TYPE } from './harness/simulator';
import { waitFor } from './harness/wait-for';
import { workflowId } from './harness/workflows';

// The published trigger inside a real `n8n start`: it follows both partitions of the simulator's stream, is
// stopped with n8n, misses events while down, and after the restart resumes from the offsets n8n stored for it,
// so every event reaches an execution at least once.

const WORKFLOW = 'falcon event stream trigger';
const MAX_IN_FLIGHT = 3;

function triggerWorkflow(suite: FalconN8nSuite) {
	const id = workflowId(WORKFLOW);
	return {
		id,
		name: WORKFLOW,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: `${id}-trigger`,
				name: 'Falcon Events',
				type: `${suite.nodeTypePrefix}crowdStrikeFalconTrigger`,
				typeVersion: 1,
				position: [0, 0],
				parameters: {
					eventTypes: [],
					startFrom: 'stored',
					delivery: 'event',
					options: {
						whenNothingStored: 'oldest',
						maxInFlight: MAX_IN_FLIGHT,
						reconnectDelaySeconds: 0.2,
						reconnectMaxDelaySeconds: 2,
						watchdogSeconds: 10,
					},
				},
				credentials: { [CREDENTIAL_TYPE]: suite.credential },
			},
			{ id: `${id}-done`, name: 'Done', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [240, 0], parameters: {} },
		],
		connections: { 'Falcon Events': { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
	};
}

const suite = useFalconN8n('event-stream-trigger', {
	simulator: { partitions: 2, keepAliveMs: 1_000 },
	workflows: (s) => [triggerWorkflow(s)],
	publish: [workflowId(WORKFLOW)],
	server: true,
});

/** n8n keeps execution data in the "flatted" format: strings and objects are entries referenced by index. */
function unflatten(text: string): unknown {
	const entries = JSON.parse(text) as unknown[];
	const seen = new Set<object>();
	const revive = (node: Record<string, unknown>) => {
		for (const key of Object.keys(node)) {
			const reference = node[key];
			if (typeof reference !== 'string') continue;
			const target = entries[Number(reference)];
			node[key] = target;
			if (target && typeof target === 'object' && !seen.has(target)) {
				seen.add(target);
				revive(target as Record<string, unknown>);
			}
		}
	};
	const root = entries[0] as Record<string, unknown>;
	seen.add(root);
	revive(root);
	return root;
}

const details = new Map<string, string[]>();

/** `partition:offset` of the event each finished execution received, in execution order. */
async function emittedKeys(): Promise<string[]> {
	const executions = await suite.executions(workflowId(WORKFLOW));
	for (const execution of executions) {
		if (details.has(execution.id) || execution.status === 'running' || execution.status === 'new') continue;
		const full = await suite.rest.get<{ data: string; status: string }>(`/executions/${execution.id}`);
		const data = unflatten(full.data) as { resultData: { runData: Record<string, Array<{ data: { main: Array<Array<{ json: IDataObject }>> } }>> } };
		const items = data.resultData.runData['Falcon Events']?.[0]?.data?.main?.[0] ?? [];
		details.set(
			execution.id,
			items.map(({ json }) => `${(json.stream as IDataObject).partition}:${(json.stream as IDataObject).offset}`),
		);
	}
	return [...details.entries()].sort(([a], [b]) => Number(a) - Number(b)).flatMap(([, keys]) => keys);
}

function inject(count: number): string[] {
	return Array.from({ length: count }, (_, index) => {
		const { partition, offset } = suite.simulator.injectEvent({ eventType: 'EppDetectionSummaryEvent', partition: index % 2 });
		return `${partition}:${offset}`;
	});
}

async function untilEmitted(keys: string[]): Promise<string[]> {
	return await waitFor(
		`executions for ${keys.length} events`,
		async () => {
			const emitted = await emittedKeys();
			return keys.every((key) => emitted.includes(key)) ? emitted : undefined;
		},
		{ timeoutMs: 90_000, intervalMs: 1_000 },
	);
}

test('the published trigger emits every event, and after a restart resumes from its stored offsets without losing any', async () => {
	const before = inject(8);
	const firstRun = await untilEmitted(before);
	expect(new Set(firstRun)).toEqual(new Set(before));

	await suite.n8n.stop();
	const whileDown = inject(6);
	const server = await suite.n8n.start();
	suite.rest = await N8nRestClient.login(server.url, suite.n8n.owner);
	const after = inject(4);

	const all = await untilEmitted([...before, ...whileDown, ...after]);
	const replayed = all.length - new Set(all).size;
	// At least once: nothing lost; a restart repeats at most what was in flight when n8n last saved the offsets.
	expect(replayed).toBeLessThanOrEqual(MAX_IN_FLIGHT);
	for (const execution of await suite.executions(workflowId(WORKFLOW))) expect(execution).toMatchObject({ status: 'success', mode: 'trigger' });

	// n8n saves static data when the trigger emits, so commits made after the last emit reach the database with a
	// later one: further events per partition must leave every earlier event's offset stored.
	const lastOffset = (partition: number) =>
		Math.max(...all.filter((key) => key.startsWith(`${partition}:`)).map((key) => Number(key.split(':')[1])));
	const expected = { '0': lastOffset(0), '1': lastOffset(1) };
	const offsets = await waitFor(
		`stored offsets to reach ${JSON.stringify(expected)}`,
		async () => {
			const stored = await suite.rest.get<{ staticData?: IDataObject }>(`/workflows/${workflowId(WORKFLOW)}`);
			const saved = ((stored.staticData?.['node:Falcon Events'] as IDataObject | undefined)?.offsets ?? {}) as IDataObject;
			if (Number(saved['0']) >= expected['0'] && Number(saved['1']) >= expected['1']) return saved;
			inject(2);
			return undefined;
		},
		{ timeoutMs: 60_000, intervalMs: 2_000 },
	);
	expect(Number(offsets['0'])).toBeGreaterThanOrEqual(expected['0']);
	expect(Number(offsets['1'])).toBeGreaterThanOrEqual(expected['1']);
});
