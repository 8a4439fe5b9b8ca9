import type { INodeProperties } from 'n8n-workflow';

import { eachMatches, listsAtMost, notEmpty, toHexIdList } from '../../shared/engine/rules';
import type { ParameterMapping } from '../../shared/engine/types';
import { HOST_ID_PATTERN } from '../../shared/hosts/locator';

/** PostDeviceDetailsV2 reads up to 5,000 hosts per call. */
export const MAX_HOSTS_PER_DETAILS = 5000;

export const hostIdsField: INodeProperties = {
	displayName: 'Host IDs',
	name: 'hostIds',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 4f1c6a2b9d3e4f5a8b7c6d5e4f3a2b1c, 0a1b2c3d4e5f60718293a4b5c6d7e8f9',
	description:
		'Host IDs (AIDs; at most 5,000), separated by commas, or a list from an expression (e.g. the AgentId of a detection event)',
};

export const hostIdsMapping: ParameterMapping = {
	to: 'body',
	as: 'ids',
	rules: [
		notEmpty,
		eachMatches(HOST_ID_PATTERN, 'a host ID (AID) of 32 hexadecimal characters'),
		listsAtMost(MAX_HOSTS_PER_DETAILS, 'host IDs', toHexIdList),
	],
	transform: toHexIdList,
};

export const containmentStatuses = [
	{ name: 'Contained', value: 'contained' },
	{ name: 'Containment Pending', value: 'containment_pending' },
	{ name: 'Lift Containment Pending', value: 'lift_containment_pending' },
	{ name: 'Normal', value: 'normal' },
];
