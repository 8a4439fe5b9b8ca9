import { useFalconN8n } from './harness/falcon-n8n-suite';
import { waitFor } from './harness/wait-for';
import { falconStep, scheduledWorkflow, workflowId } from './harness/workflows';

// A published workflow runs inside the `n8n start` process (production mode), not the CLI: the package's node must
// work there too. The pattern for trigger tests: import, publish, start, then wait for executions over REST.

const WORKFLOW = 'settings every 5 seconds';

const suite = useFalconN8n('scheduled-workflow', {
	server: true,
	workflows: (s) => [
		scheduledWorkflow(WORKFLOW, 5, [
			falconStep(s, 'crowdStrikeFalconInstallationTokens', 'Settings', {
				resource: 'settings',
				operation: 'get',
			}),
		]),
	],
	publish: [workflowId(WORKFLOW)],
});

test('the published workflow runs on its schedule and reaches Falcon', async () => {
	const execution = await waitFor('a finished execution', async () =>
		(await suite.executions(workflowId(WORKFLOW))).find(
			(run) => run.status !== 'running' && run.status !== 'new',
		),
	);
	expect(execution).toMatchObject({ status: 'success', mode: 'trigger' });
	const settingsReads = suite.simulator
		.state()
		.requests.filter(
			(request) => request.path === '/installation-tokens/entities/customer-settings/v1',
		);
	expect(settingsReads.length).toBeGreaterThan(0);
});
