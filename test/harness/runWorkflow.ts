import { mock } from 'jest-mock-extended';
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	IConnections,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	IRun,
} from 'n8n-workflow';
import { createRunExecutionData, Workflow } from 'n8n-workflow';

import { testAdditionalData } from './additionalData';
import { FALCON_CREDENTIAL, type TestCredentialsHelper } from './credentials';
import { TestNodeTypes } from './nodeTypes';

export interface WorkflowJson {
	nodes: INode[];
	connections: IConnections;
}

export interface WorkflowResult {
	run: IRun;
	/** Output items of a node (first output, first run), by node name. */
	output(nodeName: string): INodeExecutionData[];
	/** The error that stopped the execution, if any. */
	error?: Error & { description?: string; context?: IDataObject; httpCode?: string };
}

/** Runs workflow JSON in-process through n8n-core's real WorkflowExecute, starting at `startNode`. */
export async function runWorkflow(
	json: WorkflowJson,
	credentialsHelper: TestCredentialsHelper,
	{
		startNode = json.nodes[0].name,
		input = [{ json: {} }],
		timezone,
		cancelWhen,
	}: {
		startNode?: string;
		input?: INodeExecutionData[];
		timezone?: string;
		/** Cancels the execution (as the editor's Stop button does) when this settles. */
		cancelWhen?: Promise<unknown>;
	} = {},
): Promise<WorkflowResult> {
	const workflow = new Workflow({
		id: 'test-workflow',
		nodes: json.nodes,
		connections: json.connections,
		nodeTypes: new TestNodeTypes(),
		active: false,
		// The workflow's Timezone setting; without one, n8n's default (America/New_York unless GENERIC_TIMEZONE says).
		settings: timezone ? { timezone } : undefined,
	});
	const hooks = new ExecutionLifecycleHooks('manual', 'test-execution', mock());
	const finished = new Promise<IRun>((resolve) => hooks.addHandler('workflowExecuteAfter', resolve));
	const additionalData = testAdditionalData(credentialsHelper, hooks);
	const start = workflow.getNode(startNode)!;
	const data = createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node: start, data: { main: [input] }, source: null }] },
	});
	const running = new WorkflowExecute(additionalData, 'manual', data).processRunExecutionData(workflow);
	const cancel = () => running.cancel();
	void cancelWhen?.then(cancel, cancel);
	// Settles when the nodes stopped, also after a cancel (n8n reports the cancelled run at once).
	await running;
	const run = await finished;
	return {
		run,
		output: (nodeName) => run.data.resultData.runData[nodeName]?.[0]?.data?.main?.[0] ?? [],
		error: run.data.resultData.error as WorkflowResult['error'],
	};
}

/** A one-node workflow: the Falcon node `type` with `parameters`, fed `input`. */
export async function runNode(
	type: string,
	parameters: INodeParameters,
	credentialsHelper: TestCredentialsHelper,
	{
		input,
		continueOnFail = false,
		timezone,
		cancelWhen,
	}: {
		input?: INodeExecutionData[];
		/** true: Settings → On Error → Continue; 'errorOutput': Continue (using error output). */
		continueOnFail?: boolean | 'errorOutput';
		timezone?: string;
		cancelWhen?: Promise<unknown>;
	} = {},
): Promise<WorkflowResult & { items: INodeExecutionData[]; errorItems: INodeExecutionData[] }> {
	const node: INode = {
		id: 'falcon-node',
		name: 'Falcon',
		type,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { [FALCON_CREDENTIAL]: { id: '1', name: 'Falcon API' } },
		...(continueOnFail ? { onError: continueOnFail === 'errorOutput' ? ('continueErrorOutput' as const) : ('continueRegularOutput' as const) } : {}),
	};
	const result = await runWorkflow({ nodes: [node], connections: {} }, credentialsHelper, { input, timezone, cancelWhen });
	const errorItems = result.run.data.resultData.runData.Falcon?.[0]?.data?.main?.[1] ?? [];
	return { ...result, items: result.output('Falcon'), errorItems };
}
