import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { executeOperations } from '../shared/engine/executeOperations';
import { buildNodeProperties } from '../shared/engine/properties';
import { alertResources } from './resources';

export class CrowdStrikeFalconAlerts implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CrowdStrike Falcon Alerts',
		name: 'crowdStrikeFalconAlerts',
		icon: {
			light: 'file:../../../icons/crowdstrike-falcon.svg',
			dark: 'file:../../../icons/crowdstrike-falcon.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["resource"] + ": " + $parameter["operation"] }}',
		description: 'Find Falcon alerts and triage them: status, assignee, comments and tags',
		defaults: { name: 'CrowdStrike Falcon Alerts' },
		// Triage changes alert records, never hosts, so an AI agent may call every operation.
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'crowdStrikeFalconOAuth2Api', required: true }],
		properties: buildNodeProperties(alertResources),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeOperations.call(this, alertResources);
	}
}
