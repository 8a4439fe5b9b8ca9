import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { executeOperations } from '../shared/engine/executeOperations';
import { buildNodeProperties } from '../shared/engine/properties';
import { flightControlResources } from './resources';

export class CrowdStrikeFalconFlightControl implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CrowdStrike Falcon Flight Control',
		name: 'crowdStrikeFalconFlightControl',
		icon: {
			light: 'file:../../../icons/crowdstrike-falcon.svg',
			dark: 'file:../../../icons/crowdstrike-falcon.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["resource"] + ": " + $parameter["operation"] }}',
		description:
			'List the child tenants (member CIDs) an MSSP parent API client manages in Falcon Flight Control',
		defaults: { name: 'CrowdStrike Falcon Flight Control' },
		// Reads only.
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'crowdStrikeFalconOAuth2Api', required: true }],
		// The children are the parent's: a Member CID here would ask a child for its own children.
		properties: buildNodeProperties(flightControlResources, { memberCid: false }),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeOperations.call(this, flightControlResources);
	}
}
