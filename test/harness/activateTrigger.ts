import { TriggerContext } from 'n8n-core';
import type { INode, ITriggerResponse, IWorkflowExecuteAdditionalData, Workflow } from 'n8n-workflow';

import { TestNodeTypes } from './nodeTypes';

/** What n8n hands a trigger context: `emit` for executions, `emitError` to deactivate, `saveFailedExecution`. */
export interface TriggerCallbacks {
	emit: (...args: never[]) => void;
	emitError: (error: Error) => void;
	saveFailedExecution: (error: Error) => void;
}

/**
 * Calls the node's `trigger()` in a real n8n-core TriggerContext, as n8n's ActiveWorkflowManager does for a published
 * workflow. Free of jest and nock, so the hot-path bench can use it in a plain node process.
 */
export async function activateTriggerNode(
	workflow: Workflow,
	node: INode,
	additionalData: IWorkflowExecuteAdditionalData,
	callbacks: TriggerCallbacks,
): Promise<ITriggerResponse> {
	const context = new TriggerContext(
		workflow,
		node,
		additionalData,
		'trigger',
		'activate',
		callbacks.emit as never,
		callbacks.emitError,
		callbacks.saveFailedExecution,
	);
	const nodeType = new TestNodeTypes().getByNameAndVersion(node.type, node.typeVersion);
	return (await nodeType.trigger!.call(context)) ?? {};
}
