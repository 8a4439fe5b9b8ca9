import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { executeOperations } from '../shared/engine/executeOperations';
import { buildNodeProperties } from '../shared/engine/properties';
import { eventStreamResources } from './resources';

export class CrowdStrikeFalconEventStreams implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CrowdStrike Falcon Event Streams',
		name: 'crowdStrikeFalconEventStreams',
		icon: {
			light: 'file:../../../icons/crowdstrike-falcon.svg',
			dark: 'file:../../../icons/crowdstrike-falcon.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["resource"] + ": " + $parameter["operation"] }}',
		description: 'Discover Falcon event streams, refresh sessions, and read bounded slices of events',
		defaults: { name: 'CrowdStrike Falcon Event Streams' },
		// Reading events changes nothing, so an agent may look up recent detections. Its reads use a temporary
		// App ID and so never take the stream from a published trigger.
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'crowdStrikeFalconOAuth2Api', required: true }],
		properties: buildNodeProperties(eventStreamResources),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeOperations.call(this, eventStreamResources);
	}
}
