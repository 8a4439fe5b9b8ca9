import type { INodeProperties } from 'n8n-workflow';

export const persistOption: INodeProperties = {
	displayName: 'Persist',
	name: 'persist',
	type: 'boolean',
	default: false,
	description:
		"Whether to keep the command to run when an offline host returns (the API's persist flag; for sessions started with Queue If Offline)",
};
