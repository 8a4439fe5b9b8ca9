import type { FalconOperation } from '../../shared/engine/types';
import { paths } from '../paths';
import { hostIdField, hostIdMapping, originOption, queueOfflineOption } from '../shared/fields';
import { markKept } from '../shared/sessionUsers';
import { timeoutMappings, timeoutOptions, timeoutProblem } from '../shared/timeouts';

export const start: FalconOperation = {
	value: 'start',
	name: 'Start',
	action: 'Start a session on a host',
	description: 'Open a session on one host (or get the one this API client already has there)',
	operationId: 'RTR_InitSession',
	method: 'POST',
	scopes: ['Real time response: Read'],
	path: paths.sessions,
	properties: [
		hostIdField,
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [originOption, queueOfflineOption, ...timeoutOptions(false)],
		},
	],
	parameters: {
		hostId: hostIdMapping(),
		'options.queueOffline': { to: 'body', as: 'queue_offline' },
		'options.origin': { to: 'body', as: 'origin' },
		...timeoutMappings('options', false),
	},
	validate: (values) => timeoutProblem(values, 'options'),
	// Falcon hands back the caller's existing session on the host, so repeating the call is harmless.
	idempotent: true,
	// Started for later steps: a Run and Wait here that Falcon hands this session must not delete it.
	output: ({ resources }) => {
		for (const session of resources) if (session.session_id) markKept(String(session.session_id));
		return resources;
	},
};
