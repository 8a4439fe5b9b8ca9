import { HOST_CHANGES } from '../../shared/engine/aiAgent';
import type { FalconOperation } from '../../shared/engine/types';
import { paths } from '../paths';
import { cloudRequestIdField, sessionIdField, uuidMapping } from '../shared/fields';

export const deleteQueued: FalconOperation = {
	value: 'delete',
	name: 'Delete',
	action: 'Delete a queued command',
	description: 'Cancel one command waiting for an offline host, before the host comes back and runs it',
	operationId: 'RTR_DeleteQueuedSession',
	method: 'DELETE',
	idempotent: true,
	// Cancels what the SOC queued for an offline host (a kill, a file removal): a change an agent must be allowed.
	needsAgentPermission: HOST_CHANGES,
	scopes: ['Real time response: Read'],
	path: paths.queuedCommand,
	properties: [sessionIdField, cloudRequestIdField],
	parameters: {
		sessionId: uuidMapping('query', 'session_id'),
		cloudRequestId: uuidMapping('query', 'cloud_request_id'),
	},
	output: ({ sent, response }) => [
		{
			session_id: sent.session_id,
			cloud_request_id: sent.cloud_request_id,
			deleted: true,
			trace_id: response.body.meta?.trace_id ?? null,
		},
	],
};
