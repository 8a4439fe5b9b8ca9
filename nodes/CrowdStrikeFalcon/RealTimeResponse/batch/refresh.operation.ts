import type { IDataObject } from 'n8n-workflow';

import { HOST_CHANGES } from '../../shared/engine/aiAgent';
import type { FalconOperation } from '../../shared/engine/types';
import { paths } from '../paths';
import { batchIdField, hostIdList, hostIdsRule, uuidMapping } from '../shared/fields';
import { hostResultsOf } from '../shared/hostResults';
import { timeoutMappings, timeoutOptions, timeoutProblem } from '../shared/timeouts';

export const refresh: FalconOperation = {
	value: 'refresh',
	name: 'Refresh',
	action: 'Refresh a batch session',
	description: 'Keep every session of a batch alive, optionally letting some hosts go',
	operationId: 'BatchRefreshSessions',
	method: 'POST',
	scopes: ['Real time response: Read'],
	path: paths.batchRefresh,
	properties: [
		batchIdField,
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				{
					displayName: 'Hosts to Remove',
					name: 'hostsToRemove',
					type: 'string',
					default: '',
					placeholder: 'e.g. 4f1c6a2b9d3e4f5a8b7c6d5e4f3a2b1c',
					description: 'Host IDs to drop from the batch; their sessions are no longer kept alive and expire',
				},
				...timeoutOptions(false),
			],
		},
	],
	parameters: {
		batchId: uuidMapping('body', 'batch_id'),
		'options.hostsToRemove': { to: 'body', as: 'hosts_to_remove', rules: [hostIdsRule], transform: hostIdList },
		...timeoutMappings('options', false),
	},
	validate: (values) => timeoutProblem(values, 'options'),
	// Hosts let go lose their sessions in time, and with them what was queued for them while offline, as Session →
	// Delete does: an agent needs the opt-in for that, not for keeping the batch alive.
	needsAgentPermission: {
		permission: HOST_CHANGES,
		when(itemIndex) {
			const { hostsToRemove } = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
			return String(hostsToRemove ?? '').trim() !== '';
		},
	},
	idempotent: true,
	readsErrors: true,
	output: ({ response, sent }) =>
		hostResultsOf(response.body).map((result) => ({
			batch_id: sent.batch_id,
			...result,
			status: Array.isArray(result.errors) && result.errors.length > 0 ? 'api_error' : 'success',
		})),
};
