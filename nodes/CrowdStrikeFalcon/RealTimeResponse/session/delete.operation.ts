import { HOST_CHANGES } from '../../shared/engine/aiAgent';
import type { FalconOperation } from '../../shared/engine/types';
import { paths } from '../paths';
import { sessionIdField, uuidMapping } from '../shared/fields';
import { forgetKept } from '../shared/sessionUsers';

export const deleteSession: FalconOperation = {
	value: 'delete',
	name: 'Delete',
	action: 'Delete a session',
	description: 'End a session; commands queued in it for an offline host are dropped',
	operationId: 'RTR_DeleteSession',
	method: 'DELETE',
	idempotent: true,
	// Cancels what the SOC queued for an offline host (a kill, a file removal): a change an agent must be allowed.
	needsAgentPermission: HOST_CHANGES,
	scopes: ['Real time response: Read'],
	path: paths.sessions,
	properties: [sessionIdField],
	parameters: { sessionId: uuidMapping('query', 'session_id') },
	output: ({ sent, response }) => {
		forgetKept(String(sent.session_id));
		return [{ session_id: sent.session_id, deleted: true, trace_id: response.body.meta?.trace_id ?? null }];
	},
};
