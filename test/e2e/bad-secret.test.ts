import { useFalconN8n } from './harness/falcon-n8n-suite';
import { falconStep, manualWorkflow, workflowId } from './harness/workflows';

// A wrong client secret must fail the execution with Falcon's own explanation, and never print the secret.

const suite = useFalconN8n('bad-secret', {
	workflows: (s) => [
		manualWorkflow('bad secret', [
			falconStep(
				s,
				'crowdStrikeFalconInstallationTokens',
				'Settings',
				{ resource: 'settings', operation: 'get' },
				{
					credential: s.badSecretCredential,
				},
			),
		]),
	],
});

test("the execution fails with the token endpoint's message, and the secret appears nowhere", async () => {
	const falconMessage = await suite.falcon.tokenErrorMessage(suite.badSecret);

	const run = await suite.execute(workflowId('bad secret'));

	expect(run.succeeded).toBe(false);
	expect(run.error?.message).toContain(falconMessage);
	expect(run.output).toContain(falconMessage);
	expect(run.output).not.toContain(suite.badSecret);
});
