import { createHash } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';

import { CREDENTIAL_TYPE, type CredentialRef } from './simulator';

export interface WorkflowStep {
	name: string;
	type: string;
	typeVersion?: number;
	parameters: IDataObject;
	credentials?: Record<string, CredentialRef>;
	/** The node whose output feeds this one; default the Manual Trigger "Start" (independent steps fan out). */
	after?: string;
}

/** n8n workflow ids are short strings; derive a stable one from the name so tests can refer to it. */
export function workflowId(name: string): string {
	return `e2e${createHash('sha1').update(name).digest('hex').slice(0, 13)}`;
}

interface TriggerNode {
	type: string;
	typeVersion: number;
	parameters: IDataObject;
}

/** The trigger is named "Start"; steps without `after` hang off it. */
function buildWorkflow(name: string, trigger: TriggerNode, steps: WorkflowStep[]) {
	const id = workflowId(name);
	const nodes = [{ name: 'Start', ...trigger }, ...steps].map((step, index) => ({
		id: `${id}-${index}`,
		name: step.name,
		type: step.type,
		typeVersion: step.typeVersion ?? 1,
		position: [index * 240, 0],
		parameters: step.parameters,
		...('credentials' in step ? { credentials: step.credentials } : {}),
	}));
	const connections: Record<
		string,
		{ main: Array<Array<{ node: string; type: string; index: number }>> }
	> = {};
	for (const step of steps) {
		const from = step.after ?? 'Start';
		connections[from] ??= { main: [[]] };
		connections[from].main[0].push({ node: step.name, type: 'main', index: 0 });
	}
	return { id, name, active: false, settings: { executionOrder: 'v1' }, nodes, connections };
}

/** A workflow `n8n execute --id` can run: a Manual Trigger "Start" feeding the steps. */
export function manualWorkflow(name: string, steps: WorkflowStep[]) {
	return buildWorkflow(
		name,
		{ type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} },
		steps,
	);
}

/** A workflow that runs by itself once published and n8n is started: a Schedule Trigger every few seconds. */
export function scheduledWorkflow(name: string, everySeconds: number, steps: WorkflowStep[]) {
	const rule = { interval: [{ field: 'seconds', secondsInterval: everySeconds }] };
	return buildWorkflow(
		name,
		{ type: 'n8n-nodes-base.scheduleTrigger', typeVersion: 1.2, parameters: { rule } },
		steps,
	);
}

/** A step using one of this package's nodes, e.g. falconStep(suite, 'crowdStrikeFalconInstallationTokens', ...). */
export function falconStep(
	suite: { nodeTypePrefix: string; credential: CredentialRef },
	nodeName: string,
	stepName: string,
	parameters: IDataObject,
	extra: { credential?: CredentialRef; after?: string } = {},
): WorkflowStep {
	return {
		name: stepName,
		type: `${suite.nodeTypePrefix}${nodeName}`,
		parameters,
		credentials: { [CREDENTIAL_TYPE]: extra.credential ?? suite.credential },
		after: extra.after,
	};
}
