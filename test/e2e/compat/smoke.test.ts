/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code, never part of the package */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { compatRuntimes } from '../../../scripts/runtime/n8n-instance';
import { binaryBytes, extractSevenZip } from '../harness/binaryData';
import { useFalconN8n } from '../harness/falcon-n8n-suite';
import { compatPackageDir } from '../harness/paths';
import {
	repeatedEvents,
	TriggerExecutionLog,
	type TriggerExecution,
} from '../harness/triggerExecutions';
import { waitFor } from '../harness/wait-for';
import { workflowId } from '../harness/workflows';
import {
	expectedNodeTypes,
	FILE_PATH,
	MAX_IN_FLIGHT,
	OPERATIONS,
	operationsWorkflow,
	STREAM_APP_ID,
	TRIGGER,
	TRIGGER_NODE,
	triggerWorkflow,
} from './smokeWorkflows';

// The smoke subset of the e2e suite on every n8n of the compatibility matrix (npm run test:compat; COMPAT_N8N
// narrows it): the credential test, one operation of every node, an RTR file as binary data, the host picker, the
// nodes offered as AI tools, and the trigger emitting, stopped and resumed from its stored position.

const DETECTION = 'EppDetectionSummaryEvent';

interface StoredCredential {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

describe.each(compatRuntimes().map((runtime) => [runtime.n8nVersion, runtime] as const))(
	'n8n %s',
	(version, runtime) => {
		const injected: string[] = [];
		const suite = useFalconN8n(`compat-${version}`, {
			runtime,
			packageDir: compatPackageDir,
			simulator: { commandCompleteAfterMs: 300, fileUploadAfterMs: 300, keepAliveMs: 1_000 },
			workflows: (s) => {
				// A detection before anything runs: the Alerts node has an alert to find, the trigger a backlog to start with.
				inject(s.simulator, 1);
				return [operationsWorkflow(s), triggerWorkflow(s)];
			},
			publish: [workflowId(TRIGGER)],
		});

		function inject(simulator = suite.simulator, count = 1): void {
			for (let index = 0; index < count; index++) {
				const { partition, offset } = simulator.injectEvent({ eventType: DETECTION });
				injected.push(`${partition}:${offset}`);
			}
		}

		test('one operation of every node runs, the RTR file arriving as binary data', async () => {
			const run = await suite.execute(workflowId(OPERATIONS));
			expect(run.error).toBeUndefined();
			const host = suite.simulator.fleet[0];

			const settings = (
				await suite.falcon.get('/installation-tokens/entities/customer-settings/v1')
			).resources;
			expect(run.items('Token Settings')).toEqual(settings);

			const [file] = run.outputItems('Get File');
			expect(file.json).toMatchObject({
				host_id: host.aid,
				status: 'success',
				archive_password: 'infected',
			});
			const binary = file.binary?.data;
			expect(binary).toMatchObject({
				fileName: `${host.aid}_invoice.docm.7z`,
				mimeType: 'application/x-7z-compressed',
			});
			const content = extractSevenZip(
				binaryBytes(binary!, suite.n8n.userFolder),
				'infected',
			).toString();
			expect(content).toContain(`# ${FILE_PATH} on ${host.hostname}`);

			expect(run.items('Processes')[0]).toMatchObject({ status: 'success', complete: true });
			expect(String(run.items('Processes')[0].stdout)).toContain('CSFalconService.exe');

			const streams = run.items('Streams');
			expect(streams.length).toBeGreaterThan(0);
			expect(streams[0]).toMatchObject({ dataFeedURL: expect.stringContaining(STREAM_APP_ID) });

			expect(run.items('Hosts').map((item) => item.device_id)).toEqual([host.aid]);

			const alertIds = (await suite.falcon.get<string>('/alerts/queries/alerts/v2')).resources;
			expect(alertIds.length).toBeGreaterThan(0);
			expect(
				run
					.items('Alerts')
					.map((item) => item.composite_id)
					.sort(),
			).toEqual([...alertIds].sort());

			const childIds = (await suite.falcon.get<string>('/mssp/queries/children/v1')).resources;
			expect(childIds.length).toBeGreaterThan(0);
			expect(
				run
					.items('Children')
					.map((item) => item.child_cid)
					.sort(),
			).toEqual([...childIds].sort());
		});

		test('n8n starts with every node, and every node but the trigger as an AI agent tool', async () => {
			await suite.startServer();
			const known = await suite.rest.getText('/types/nodes.json');
			for (const type of expectedNodeTypes(suite.nodeTypePrefix))
				expect(known).toContain(`"${type}"`);
		});

		test("the credential test passes, and a wrong secret fails with Falcon's message", async () => {
			const test = async (id: string) => {
				const { name, type, data } = await suite.rest.get<StoredCredential>(
					`/credentials/${id}?includeData=true`,
				);
				return await suite.rest.post<{ status: string; message: string }>('/credentials/test', {
					credentials: { id, name, type, data },
				});
			};
			expect(await test(suite.credential.id)).toMatchObject({ status: 'OK' });
			const failed = await test(suite.badSecretCredential.id);
			expect(failed.status).toBe('Error');
			expect(failed.message).toContain(await suite.falcon.tokenErrorMessage(suite.badSecret));
		});

		test('the host picker lists hosts by hostname', async () => {
			const host = suite.simulator.fleet[0];
			const { results } = await suite.rest.post<{
				results: Array<{ name: string; value: string }>;
			}>('/dynamic-node-parameters/resource-locator-results', {
				nodeTypeAndVersion: { name: `${suite.nodeTypePrefix}crowdStrikeFalconHosts`, version: 1 },
				path: 'parameters.hostId',
				methodName: 'searchHosts',
				filter: host.hostname,
				currentNodeParameters: { resource: 'host', operation: 'contain' },
				credentials: { crowdStrikeFalconOAuth2Api: suite.credential },
			});
			expect(results).toContainEqual(expect.objectContaining({ value: host.aid }));
		});

		test('the trigger starts one execution per event, and after a restart resumes from its stored position', async () => {
			const log = new TriggerExecutionLog(() => suite.rest, workflowId(TRIGGER), TRIGGER_NODE);
			const untilAllRan = async () =>
				await waitFor(
					`executions for all ${injected.length} events`,
					async () => {
						const executions = await log.refresh();
						const ran = new Set(executions.flatMap((execution) => execution.events));
						const done = executions.every(
							(execution) => !['new', 'running'].includes(execution.status),
						);
						return injected.every((key) => ran.has(key)) && done ? executions : undefined;
					},
					{ timeoutMs: 120_000, intervalMs: 1_000 },
				);
			inject(undefined, 3);
			await untilAllRan();

			// n8n stores static data when the trigger emits: the last event's execution started after the one before
			// it was committed (one execution in flight at a time).
			const secondToLast = Number(injected[injected.length - 2].split(':')[1]);
			const stored = await waitFor('the stored position', async () => {
				const workflow = await suite.rest.get<{ staticData?: IDataObject }>(
					`/workflows/${workflowId(TRIGGER)}`,
				);
				const offsets = (workflow.staticData?.[`node:${TRIGGER_NODE}`] as IDataObject | undefined)
					?.offsets as IDataObject | undefined;
				const offset = Number(offsets?.['0']);
				return offset >= secondToLast ? offset : undefined;
			});

			await suite.n8n.stop();
			inject(undefined, 3);
			await suite.startServer();
			const executions: TriggerExecution[] = await untilAllRan();

			for (const execution of executions)
				expect(execution).toMatchObject({ status: 'success', mode: 'trigger' });
			// 2.x refuses a repeat by its deduplication key; 1.x has none, so what finished after the last save runs again.
			const repeated = repeatedEvents(executions);
			const measured = {
				events: injected.length,
				executions: executions.length,
				repeated,
				storedOffsetAtStop: stored,
			};
			writeFileSync(join(suite.folder, 'trigger-restart.json'), JSON.stringify(measured, null, 2));
			expect(repeated.length).toBeLessThanOrEqual(runtime.features.major >= 2 ? 0 : MAX_IN_FLIGHT);
			for (const key of repeated) expect(Number(key.split(':')[1])).toBeGreaterThan(stored);
		}, 300_000);

		// n8n-workflow before 2.34 ignores the signal given to its sleep: the Silence Watchdog's wait was never cut short
		// by the feed's keep-alives, and ended every healthy feed at the watchdog (10 s here; 120 s by default).
		test('the trigger keeps a feed that sends keep-alives open past its Silence Watchdog', async () => {
			const feeds = () =>
				suite.simulator.state().requests.filter((request) => request.path.startsWith('/sensors/entities/datafeed/v1/')).length;
			const before = feeds();
			await sleep(25_000);
			expect(feeds()).toBe(before);
		}, 60_000);
	},
);
