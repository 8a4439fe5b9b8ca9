import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { executeOperations } from '../shared/engine/executeOperations';
import { buildNodeProperties } from '../shared/engine/properties';
import { installationTokenResources } from './resources';

export class CrowdStrikeFalconInstallationTokens implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CrowdStrike Falcon Installation Tokens',
		name: 'crowdStrikeFalconInstallationTokens',
		icon: {
			light: 'file:../../../icons/crowdstrike-falcon.svg',
			dark: 'file:../../../icons/crowdstrike-falcon.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["resource"] + ": " + $parameter["operation"] }}',
		description: 'Create, review, revoke and audit Falcon sensor installation tokens',
		defaults: { name: 'CrowdStrike Falcon Installation Tokens' },
		// Token housekeeping changes no host, so an AI agent may call it.
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'crowdStrikeFalconOAuth2Api', required: true }],
		properties: buildNodeProperties(installationTokenResources),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeOperations.call(this, installationTokenResources);
	}
}
