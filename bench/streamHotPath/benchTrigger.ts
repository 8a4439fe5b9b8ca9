import { ExecutionLifecycleHooks, TriggerContext } from 'n8n-core';
import type {
	IDataObject,
	INode,
	INodeExecutionData,
	IRun,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

// Not test/harness/falcon: it loads nock, whose interceptor would sit in every socket read.
import { activateTriggerNode } from '../../test/harness/activateTrigger';
import { TestCredentialsHelper } from '../../test/harness/credentials';
import { PACKAGE, TestNodeTypes } from '../../test/harness/nodeTypes';

export type DeliveryMode = 'batch' | 'event';

export interface BenchTrigger {
	/** Events handed to executions so far. */
	readonly delivered: number;
	/** Resolves once `events` events were handed to executions (never rejects: a stuck run hits the jest timeout). */
	reached(events: number): Promise<void>;
	/** The node's static data as n8n would keep it for the next activation. */
	staticData(): IDataObject;
	close(): Promise<void>;
}

const NODE_NAME = 'Falcon Trigger';
const SUCCEEDED = { status: 'success', mode: 'trigger', data: { resultData: { runData: {} } } } as unknown as IRun;

/**
 * Activates the real trigger node in n8n-core's TriggerContext, as n8n does for a published workflow, with an
 * emit that keeps nothing and reports each execution finished at once: what is left is the trigger's own cost.
 * Settings are the node's defaults (batches of 100, 5 executions in flight, Skip Repeated Executions on), reading
 * from the oldest offset.
 */
export async function startBenchTrigger(apiUrl: string, mode: DeliveryMode, staticData: IDataObject = {}): Promise<BenchTrigger> {
	const { workflow, node, additionalData } = benchActivation(apiUrl, mode, staticData);
	let delivered = 0;
	let goal = Infinity;
	let reachedGoal: () => void = () => undefined;
	const emit = (data: INodeExecutionData[][], _response: unknown, done?: { resolve(run: IRun): void }) => {
		// n8n saves the static data at every emit and clears its change flag.
		(workflow.staticData as { __dataChanged?: boolean }).__dataChanged = false;
		delivered += data[0].length;
		if (delivered >= goal) reachedGoal();
		done?.resolve(SUCCEEDED);
	};
	const failures: Error[] = [];
	const response = await activateTriggerNode(workflow, node, additionalData, {
		emit,
		emitError: (error) => failures.push(error),
		saveFailedExecution: (error) => failures.push(error),
	});
	return {
		get delivered() {
			return delivered;
		},
		reached: async (events) => {
			if (failures.length > 0) throw failures[0];
			if (delivered >= events) return;
			goal = events;
			await new Promise<void>((resolve) => (reachedGoal = resolve));
		},
		staticData: () => JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject,
		close: async () => await response.closeFunction?.(),
	};
}

/** The request helpers n8n-core gives the trigger node: what it reads its feeds with. */
export function n8nRequestHelpers(apiUrl: string): TriggerContext['helpers'] {
	const { workflow, node, additionalData } = benchActivation(apiUrl, 'event', {});
	return new TriggerContext(workflow, node, additionalData, 'trigger', 'activate').helpers;
}

/** The published workflow with the trigger node, and what n8n-core reads around its activation. */
function benchActivation(apiUrl: string, mode: DeliveryMode, staticData: IDataObject) {
	const node: INode = {
		id: 'b7c1e0f2-5b7d-4e9a-8c6b-1f2e3d4c5b6a',
		name: NODE_NAME,
		type: `${PACKAGE}.crowdStrikeFalconTrigger`,
		typeVersion: 1,
		position: [0, 0],
		parameters: { startFrom: 'stored', delivery: mode, options: { whenNothingStored: 'oldest' } },
		credentials: { crowdStrikeFalconOAuth2Api: { id: '1', name: 'Falcon API' } },
	};
	const workflow = new Workflow({
		id: 'wfHotPathBench1',
		nodes: [node],
		connections: {},
		nodeTypes: new TestNodeTypes(),
		active: true,
		staticData: structuredClone(staticData),
	});
	// What n8n-core reads around an activation, as plain data: the bench runs outside jest, so without its mocks.
	const additionalData = {
		hooks: new ExecutionLifecycleHooks('trigger', 'hot-path-bench', {
			id: workflow.id,
			name: 'bench',
			nodes: [node],
			connections: {},
		} as unknown as IWorkflowBase),
		credentialsHelper: new TestCredentialsHelper({
			cloud: 'custom',
			baseUrl: apiUrl,
			clientId: 'bench',
			clientSecret: 'bench',
		}),
		variables: {},
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
	} as unknown as IWorkflowExecuteAdditionalData;
	return { workflow, node, additionalData };
}
