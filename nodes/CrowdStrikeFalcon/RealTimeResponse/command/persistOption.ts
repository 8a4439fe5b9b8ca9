import type { INodeProperties } from 'n8n-workflow';

export const persistOption: INodeProperties = {
	displayName: 'Persist',
	name: 'persist',
	type: 'boolean',
	default: false,
	description:
		"Whether to send the API's persist flag. Falcon's API description calls it unused for single-host commands: a command is queued for an offline host when its session was started with Queue If Offline.",
};
