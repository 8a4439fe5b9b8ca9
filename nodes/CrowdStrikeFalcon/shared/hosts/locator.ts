import type { INodeProperties } from 'n8n-workflow';

import type { Rule } from '../engine/rules';
import type { ParameterMapping, ParameterTarget } from '../engine/types';
import { resolveHostReference, type HostnameReference } from './resolveHostname';

export const HOST_ID_PATTERN = /^[0-9a-f]{32}$/i;
const HOSTNAME_PATTERN = /^[^\s'"*,\\]+$/;

/** The n8n host picker: From List (searchable by hostname), By ID, By Hostname. */
export function hostLocatorField(overrides: Partial<INodeProperties> = {}): INodeProperties {
	return {
		displayName: 'Host',
		name: 'hostId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The host: pick it from the list, give its host ID (AID), or its exact hostname',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a host...',
				typeOptions: { searchListMethod: 'searchHosts', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 4f1c6a2b9d3e4f5a8b7c6d5e4f3a2b1c',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: '^\\s*[0-9a-fA-F]{32}\\s*$',
							errorMessage: 'A host ID (AID) is 32 hexadecimal characters',
						},
					},
				],
			},
			{
				displayName: 'By Hostname',
				name: 'hostname',
				type: 'string',
				placeholder: 'e.g. WKS-100',
			},
		],
		...overrides,
	};
}

interface LocatorValue {
	mode?: string;
	value?: unknown;
}

/** Plain strings (older workflows, expressions that return the id) count as By ID. */
function readLocator(value: unknown): { mode: string; text: string } {
	if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
		const { mode, value: inner } = value as LocatorValue;
		return { mode: mode ?? 'id', text: inner === undefined || inner === null ? '' : String(inner).trim() };
	}
	return { mode: 'id', text: value === undefined || value === null ? '' : String(value).trim() };
}

export const hostLocatorRule: Rule = (value) => {
	const { mode, text } = readLocator(value);
	if (text === '') return 'must not be empty';
	if (mode === 'hostname') {
		return HOSTNAME_PATTERN.test(text)
			? undefined
			: `must be one exact hostname, without spaces, quotes, commas or wildcards (got ${JSON.stringify(text)})`;
	}
	return HOST_ID_PATTERN.test(text)
		? undefined
		: `must be a host ID (AID) of 32 hexadecimal characters (got ${JSON.stringify(text)})`;
};

/** The host's ID as Falcon stores it (lower case), or a hostname to look up before the request. */
export function hostLocatorValue(value: unknown): string | HostnameReference {
	const { mode, text } = readLocator(value);
	return mode === 'hostname' ? { hostname: text } : text.toLowerCase();
}

export function hostLocatorMapping(to: Exclude<ParameterTarget, 'path'> = 'body', as = 'device_id'): ParameterMapping {
	return { to, as, rules: [hostLocatorRule], transform: hostLocatorValue, resolve: resolveHostReference };
}
