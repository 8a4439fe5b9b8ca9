import type { INodeProperties } from 'n8n-workflow';

import type { ParameterMapping } from '../../shared/engine/types';
import { hostIdList, hostIdsRule } from '../shared/fields';
import { timeoutOptions } from '../shared/timeouts';

const optionalHostsOption: INodeProperties = {
	displayName: 'Only Hosts',
	name: 'optionalHosts',
	type: 'string',
	default: '',
	placeholder: 'e.g. 4f1c6a2b9d3e4f5a8b7c6d5e4f3a2b1c, 0a1b2c3d4e5f60718293a4b5c6d7e8f9',
	description: "Run only on these host IDs of the batch (the API's optional_hosts); all hosts when empty",
};

/** Options of the batch command and batch get calls. */
export function batchCommandOptions(withPersistAll: boolean): INodeProperties {
	const persistAll: INodeProperties = {
		displayName: 'Persist All',
		name: 'persistAll',
		type: 'boolean',
		default: false,
		description: "Whether queued commands should run when offline hosts return (the API's persist_all)",
	};
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [optionalHostsOption, ...(withPersistAll ? [persistAll] : []), ...timeoutOptions(true)],
	};
}

export const optionalHostsMapping: ParameterMapping = {
	to: 'body',
	as: 'optional_hosts',
	rules: [hostIdsRule],
	transform: hostIdList,
};
