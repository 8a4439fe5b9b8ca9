import type { INodeProperties } from 'n8n-workflow';

export const binaryPropertyOption: INodeProperties = {
	displayName: 'Put Output File in Field',
	name: 'binaryPropertyName',
	type: 'string',
	default: 'data',
	hint: 'The name of the output binary field to put the 7z archive in',
};

export function binaryPropertyName(options: { binaryPropertyName?: unknown }): string {
	const name = String(options.binaryPropertyName ?? '').trim();
	return name === '' ? 'data' : name;
}
