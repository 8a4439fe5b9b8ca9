import type { FalconOperation } from '../../shared/engine/types';
import { paths } from '../paths';
import { hostIdField, hostIdMapping, originOption, queueOfflineOption } from '../shared/fields';

export const refresh: FalconOperation = {
	value: 'refresh',
	name: 'Refresh',
	action: 'Refresh a session',
	description: 'Keep the session on a host alive; idle sessions expire after about 10 minutes',
	operationId: 'RTR_PulseSession',
	method: 'POST',
	scopes: ['Real time response: Read'],
	path: paths.refreshSession,
	properties: [
		hostIdField,
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [originOption, queueOfflineOption],
		},
	],
	parameters: {
		hostId: hostIdMapping(),
		'options.queueOffline': { to: 'body', as: 'queue_offline' },
		'options.origin': { to: 'body', as: 'origin' },
	},
	idempotent: true,
};
