import type { INodeType, INodeTypeDescription, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { triggerProperties } from './properties';
import { startStreamTrigger } from './streamTrigger';

export class CrowdStrikeFalconTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CrowdStrike Falcon Trigger',
		name: 'crowdStrikeFalconTrigger',
		icon: {
			light: 'file:../../../icons/crowdstrike-falcon.svg',
			dark: 'file:../../../icons/crowdstrike-falcon.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["eventTypes"] || []).join(", ") || "All event types" }}',
		description: 'Starts the workflow on CrowdStrike Falcon events (detections, incidents, audit events) as they stream in',
		eventTriggerDescription: 'Waiting for a Falcon event',
		activationMessage: 'The workflow now follows the Falcon event stream; each event starts an execution.',
		defaults: { name: 'CrowdStrike Falcon Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'crowdStrikeFalconOAuth2Api', required: true }],
		properties: triggerProperties,
	};

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		return await startStreamTrigger.call(this);
	}
}
