import { mock } from 'jest-mock-extended';
import { ExecuteContext, ExecutionLifecycleHooks, RoutingNode } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestRequest,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeType,
	INodeTypes,
	IRequestOptionsSimplified,
	ITaskDataConnections,
	Workflow as WorkflowType,
} from 'n8n-workflow';
import { createEmptyRunExecutionData, isExpression, NodeHelpers, Workflow } from 'n8n-workflow';

import { testAdditionalData } from './additionalData';
import { FALCON_CREDENTIAL, TestCredentialsHelper, type FalconCredentialData } from './credentials';

/** What n8n's credential tester answers (`CredentialsTester.runRequestTest`). */
export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

/**
 * TestCredentialsHelper with n8n's own `CredentialsHelper.preAuthentication` (n8n 2.41.1, credentials-helper.js): it
 * mints a token when the stored one is empty, after a refusal, or "while testing" (a node of type
 * `n8n-nodes-base.noOp` whose `temp` parameter is empty), and persists what it returns. The tester's temp node is
 * of type `noOp` (the loaded class's own description name, without the package), so that last check never holds.
 */
export class TesterCredentialsHelper extends TestCredentialsHelper {
	/** The request options n8n-core handed to `authenticate`. */
	readonly received: IHttpRequestOptions[] = [];

	/** The request options `authenticate` returned: what n8n-core hands to its HTTP client. */
	readonly sent: IHttpRequestOptions[] = [];

	/** Calls of preAuthentication, with whether n8n was retrying after a refusal, and whether it minted. */
	readonly preAuthenticationCalls: Array<{ expired: boolean; testing: boolean; minted: boolean }> = [];

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		_typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const expirable = this.credentialType.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		const testing = node?.parameters?.temp === '' && node?.type === 'n8n-nodes-base.noOp';
		const call = { expired: credentialsExpired, testing, minted: false };
		this.preAuthenticationCalls.push(call);
		if (expirable === undefined || typeof this.credentialType.preAuthentication !== 'function') return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired && !testing) return undefined;
		call.minted = true;
		this.preAuthentications.push({ expired: credentialsExpired });
		const output = await this.credentialType.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined) return undefined;
		if (!node.credentials) return undefined;
		const stored = this.stored as unknown as ICredentialDataDecryptedObject;
		const toPersist: ICredentialDataDecryptedObject = { ...stored };
		for (const [key, value] of Object.entries(output)) {
			if (key === expirable.name || !isExpression(stored[key])) toPersist[key] = value as ICredentialDataDecryptedObject[string];
		}
		await this.updateCredentials(node.credentials[FALCON_CREDENTIAL], FALCON_CREDENTIAL, toPersist);
		return Object.assign(credentials, output);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
	): Promise<IHttpRequestOptions> {
		this.received.push({ ...requestOptions, headers: { ...requestOptions.headers } } as IHttpRequestOptions);
		const options = await super.authenticate(credentials, typeName, requestOptions);
		this.sent.push({ ...options, headers: { ...options.headers } });
		return options;
	}
}

/**
 * n8n's No Operation node as the tester finds it (`nodeTypes.getByNameAndVersion('n8n-nodes-base.noOp')`): the
 * loaded class, whose description names it `noOp`.
 */
const noOp: INodeType = {
	description: {
		displayName: 'No Operation, do nothing',
		name: 'noOp',
		group: ['organization'],
		version: 1,
		description: 'No Operation',
		defaults: { name: 'No Operation, do nothing' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	},
};

/**
 * Runs the credential's `test` the way n8n 2.41.1's CredentialsTester.runRequestTest does: a temp node whose one
 * property routes the test request, run by n8n-core's RoutingNode with the decrypted credential, and the
 * `responseCode` rules applied to a refusal.
 */
export async function runCredentialTest(
	data: FalconCredentialData,
	credentialsHelper = new TesterCredentialsHelper(data),
): Promise<CredentialTestResult & { credentialsHelper: TesterCredentialsHelper }> {
	const testRequest = credentialsHelper.credentialType.test as ICredentialTestRequest;
	const credentialsDecrypted: ICredentialsDecrypted = {
		id: '1',
		name: 'Falcon API',
		type: FALCON_CREDENTIAL,
		data: (await credentialsHelper.getDecrypted()) as ICredentialDataDecryptedObject,
	};
	const node: INode = {
		id: 'temp',
		parameters: {},
		name: 'Temp-Node',
		type: noOp.description.name,
		typeVersion: 1,
		position: [0, 0],
		credentials: { [FALCON_CREDENTIAL]: { id: credentialsDecrypted.id, name: credentialsDecrypted.name } },
	};
	const nodeTypeCopy: INodeType = {
		description: {
			...noOp.description,
			credentials: [{ name: FALCON_CREDENTIAL, required: true }],
			properties: [
				{ displayName: 'Temp', name: 'temp', type: 'string', routing: { request: testRequest.request }, default: '' },
			],
		},
	};
	const nodeTypes: INodeTypes = {
		getKnownTypes: () => ({}),
		getByName: () => nodeTypeCopy,
		getByNameAndVersion: (_type, version) => NodeHelpers.getVersionedNodeType(nodeTypeCopy, version),
	};
	const workflow: WorkflowType = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const inputData: ITaskDataConnections = { main: [[{ json: {} }]] };
	const additionalData = testAdditionalData(credentialsHelper, new ExecutionLifecycleHooks('internal', 'credential-test', mock()));
	const executeData: IExecuteData = { node, data: {}, source: null };
	const executeFunctions = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		createEmptyRunExecutionData(),
		0,
		[],
		inputData,
		executeData,
		[],
	);
	const routingNode = new RoutingNode(executeFunctions, nodeTypeCopy, credentialsDecrypted);
	const result = (outcome: CredentialTestResult) => ({ ...outcome, credentialsHelper });
	try {
		await workflow.expression.acquireIsolate();
		await routingNode.runNode();
	} catch (caught) {
		const error = caught as Error & { cause?: { response?: { status: number; statusText?: string }; code?: string } };
		if (error.cause?.response) {
			const { status, statusText } = error.cause.response;
			for (const rule of testRequest.rules ?? []) {
				if (rule.type === 'responseCode' && rule.properties.value === status) {
					return result({ status: 'Error', message: rule.properties.message });
				}
			}
			if (status < 199 || status > 299) {
				return result({ status: 'Error', message: statusText || `Received HTTP status code: ${status}` });
			}
		} else if (error.cause?.code) {
			return result({ status: 'Error', message: error.cause.code });
		}
		return result({ status: 'Error', message: error.message.toString() });
	} finally {
		await workflow.expression.releaseIsolate();
	}
	return result({ status: 'OK', message: 'Connection successful!' });
}
