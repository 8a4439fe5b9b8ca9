import type { INodeProperties } from 'n8n-workflow';

export const filePathField: INodeProperties = {
	displayName: 'File Path',
	name: 'filePath',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. C:\\Windows\\Temp\\dropper.exe',
	description: 'Full path of the file on the hosts',
};
