import { mock } from 'jest-mock-extended';
import type { ExecutionLifecycleHooks } from 'n8n-core';
import type { IWorkflowExecuteAdditionalData } from 'n8n-workflow';

import type { TestCredentialsHelper } from './credentials';

/** What n8n-core needs around an execution or an activation, with the test credentials helper. */
export function testAdditionalData(
	credentialsHelper: TestCredentialsHelper,
	hooks: ExecutionLifecycleHooks,
): IWorkflowExecuteAdditionalData {
	const additionalData = mock<IWorkflowExecuteAdditionalData>({
		hooks,
		currentNodeParameters: undefined,
		// jest-mock-extended answers unknown properties with truthy proxies that n8n-core would try to use.
		encryptedRunnerIdentity: undefined,
		executionContext: undefined,
		evalLlmMockHandler: undefined,
		ssrfBridge: undefined,
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		variables: {},
	} as never);
	// Assigned, not passed to mock(): jest-mock-extended would wrap the helper's own state in proxies.
	additionalData.credentialsHelper = credentialsHelper;
	return additionalData;
}
