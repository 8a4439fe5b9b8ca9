import type { IDataObject } from 'n8n-workflow';

import { CREDENTIAL_TYPE, type CredentialRef } from './simulator';
import { workflowId } from './workflows';

export interface ChainStep {
	name: string;
	type: string;
	typeVersion?: number;
	parameters: IDataObject;
	/** Whether the step uses the suite's Falcon credential (a Falcon node). */
	usesFalconCredential?: boolean;
}

export interface TriggerChain {
	/** Workflow name; its id is workflowId(name). */
	name: string;
	/** The CrowdStrike Falcon Trigger node's name (its static data is staticData["node:<name>"]). */
	triggerName: string;
	/** Trigger parameters (delivery, eventTypes, options, ...). */
	trigger: IDataObject;
	/** Nodes after the trigger, one after the other. */
	steps?: ChainStep[];
}

/** A workflow the CrowdStrike Falcon Trigger starts, its steps in a line: trigger → steps... */
export function triggerChainWorkflow(suite: { nodeTypePrefix: string; credential: CredentialRef }, chain: TriggerChain) {
	const id = workflowId(chain.name);
	const trigger: ChainStep = {
		name: chain.triggerName,
		type: `${suite.nodeTypePrefix}crowdStrikeFalconTrigger`,
		parameters: chain.trigger,
		usesFalconCredential: true,
	};
	const nodes = [trigger, ...(chain.steps ?? [])].map((step, index) => ({
		id: `${id}-${index}`,
		name: step.name,
		type: step.type,
		typeVersion: step.typeVersion ?? 1,
		position: [index * 240, 0],
		parameters: step.parameters,
		...(step.usesFalconCredential ? { credentials: { [CREDENTIAL_TYPE]: suite.credential } } : {}),
	}));
	const connections: IDataObject = {};
	for (let index = 0; index < nodes.length - 1; index++) {
		connections[nodes[index].name] = { main: [[{ node: nodes[index + 1].name, type: 'main', index: 0 }]] };
	}
	return { id, name: chain.name, active: false, settings: { executionOrder: 'v1' }, nodes, connections };
}

/** n8n's No Operation node: ends a chain without doing anything. */
export const noOpStep: ChainStep = { name: 'Done', type: 'n8n-nodes-base.noOp', parameters: {} };

/** n8n's Wait node, waiting in the process that runs the execution (n8n does so for waits under 65 s). */
export function waitStep(seconds: number): ChainStep {
	return {
		name: 'Slow Step',
		type: 'n8n-nodes-base.wait',
		typeVersion: 1.1,
		parameters: { resume: 'timeInterval', amount: seconds, unit: 'seconds' },
	};
}

/** n8n's Code node running JavaScript once for all items. */
export function codeStep(name: string, jsCode: string): ChainStep {
	return { name, type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { mode: 'runOnceForAllItems', jsCode } };
}
