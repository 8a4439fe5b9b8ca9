import type { INodeProperties } from 'n8n-workflow';

import type { ParameterMapping, ParameterTarget } from '../../shared/engine/types';
import { eachMatches, notEmpty, optional, toList, type Rule } from '../../shared/engine/rules';
import { hostLocatorField, hostLocatorMapping } from '../../shared/hosts/locator';

const HEX32 = /^[0-9a-f]{32}$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Exactly one value matching `pattern` (a pasted list is a mistake for single-id fields). */
function one(pattern: RegExp, what: string): Rule {
	return (value) => {
		const text = typeof value === 'string' ? value.trim() : value;
		if (text === undefined || text === null || text === '') return 'must not be empty';
		return pattern.test(String(text)) ? undefined : `must be ${what} (got ${JSON.stringify(value)})`;
	};
}

export const hostIdRule = one(HEX32, 'a host ID (AID) of 32 hexadecimal characters');
export const hostIdsRule = eachMatches(HEX32, 'a host ID (AID) of 32 hexadecimal characters');
export const uuidRule = one(UUID, 'a UUID such as 1c5c4a4e-8f6b-4f2a-9a53-0d1f1f4e2b7a');
export const uuidsRule = eachMatches(UUID, 'a UUID');
export const sha256Rule = one(/^[0-9a-f]{64}$/i, 'one SHA256 of 64 hexadecimal characters');

const trimmed = (value: unknown) => (typeof value === 'string' ? value.trim() : value);
const lowerCase = (value: unknown) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

/** Host ids as Falcon stores them (lower case), each once, in the order given. */
export function hostIdList(value: unknown): string[] {
	return [...new Set(toList(value).map((id) => id.toLowerCase()))];
}

/** Single-host fields are the shared host picker (From List, By ID, By Hostname). */
export const hostIdField: INodeProperties = hostLocatorField();

export function hostIdMapping(to: Exclude<ParameterTarget, 'path'> = 'body', as = 'device_id'): ParameterMapping {
	return hostLocatorMapping(to, as);
}

export const hostIdsField: INodeProperties = {
	displayName: 'Host IDs',
	name: 'hostIds',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 4f1c6a2b9d3e4f5a8b7c6d5e4f3a2b1c, 0a1b2c3d4e5f60718293a4b5c6d7e8f9',
	description: 'Agent IDs (AIDs) of the hosts, separated by commas, or a list from an expression',
};

export function hostIdsMapping(as = 'host_ids'): ParameterMapping {
	return { to: 'body', as, rules: [notEmpty, hostIdsRule], transform: hostIdList };
}

export function uuidField(displayName: string, name: string, description: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 1c5c4a4e-8f6b-4f2a-9a53-0d1f1f4e2b7a',
		description,
	};
}

export function uuidMapping(to: ParameterTarget, as: string): ParameterMapping {
	return { to, as, rules: [uuidRule], transform: lowerCase };
}

/** An optional UUID option: sent as checked (trimmed, lower case), left out when empty. */
export function optionalUuidMapping(to: ParameterTarget, as: string): ParameterMapping {
	return { ...uuidMapping(to, as), rules: [optional(uuidRule)] };
}

export const sessionIdField = uuidField('Session ID', 'sessionId', 'ID of a Real Time Response session');
export const batchIdField = uuidField('Batch ID', 'batchId', 'ID of a batch session, from Batch > Start');
export const cloudRequestIdField = uuidField(
	'Cloud Request ID',
	'cloudRequestId',
	'ID Falcon gave the command when it was sent (cloud_request_id, or task_id in batch results)',
);

export const sessionIdsField: INodeProperties = {
	displayName: 'Session IDs',
	name: 'sessionIds',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 1c5c4a4e-8f6b-4f2a-9a53-0d1f1f4e2b7a',
	description: 'IDs of sessions, separated by commas, or a list from an expression',
};

export const sessionIdsMapping: ParameterMapping = {
	to: 'body',
	as: 'ids',
	rules: [notEmpty, uuidsRule],
	transform: (value) => toList(value).map((id) => id.toLowerCase()),
};

export const queueOfflineOption: INodeProperties = {
	displayName: 'Queue If Offline',
	name: 'queueOffline',
	type: 'boolean',
	default: false,
	description:
		'Whether to queue commands in the Falcon cloud when the host is offline. They run when it reconnects, without this workflow running; queued sessions expire after about 7 days.',
};

export const originOption: INodeProperties = {
	displayName: 'Origin',
	name: 'origin',
	type: 'string',
	default: '',
	placeholder: 'e.g. n8n-playbook',
	description: 'Free text recorded with the session, to tell your automation apart in the audit log',
};

export { trimmed };
