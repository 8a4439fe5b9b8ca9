import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { executeOperations } from '../shared/engine/executeOperations';
import { buildNodeProperties } from '../shared/engine/properties';
import { searchHosts } from '../shared/hosts/searchHosts';
import { realTimeResponseResources } from './resources';

export class CrowdStrikeFalconRealTimeResponse implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CrowdStrike Falcon Real Time Response',
		name: 'crowdStrikeFalconRealTimeResponse',
		icon: {
			light: 'file:../../../icons/crowdstrike-falcon.svg',
			dark: 'file:../../../icons/crowdstrike-falcon.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["resource"] + ": " + $parameter["operation"] }}',
		description: 'Run commands on hosts and pull files from them with Falcon Real Time Response',
		defaults: { name: 'CrowdStrike Falcon Real Time Response' },
		// Agents may investigate (read-only commands, listings); operations that change hosts need the opt-in
		// field below, which only the tool variant shows, and are refused in the router without it.
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'crowdStrikeFalconOAuth2Api', required: true }],
		properties: buildNodeProperties(realTimeResponseResources),
	};

	methods = { listSearch: { searchHosts } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeOperations.call(this, realTimeResponseResources);
	}
}
