import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { executeOperations } from '../shared/engine/executeOperations';
import { buildNodeProperties } from '../shared/engine/properties';
import { searchHosts } from '../shared/hosts/searchHosts';
import { hostResources } from './resources';

export class CrowdStrikeFalconHosts implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CrowdStrike Falcon Hosts',
		name: 'crowdStrikeFalconHosts',
		icon: {
			light: 'file:../../../icons/crowdstrike-falcon.svg',
			dark: 'file:../../../icons/crowdstrike-falcon.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["resource"] + ": " + $parameter["operation"] }}',
		description: 'Find hosts, read their details, contain them or lift containment, and tag them in Falcon',
		defaults: { name: 'CrowdStrike Falcon Hosts' },
		// Agents may look hosts up; containment and tags need the opt-in field below (tool variant only).
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'crowdStrikeFalconOAuth2Api', required: true }],
		properties: buildNodeProperties(hostResources),
	};

	methods = { listSearch: { searchHosts } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeOperations.call(this, hostResources);
	}
}
