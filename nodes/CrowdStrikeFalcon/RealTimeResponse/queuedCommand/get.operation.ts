import type { FalconOperation } from '../../shared/engine/types';
import { paths } from '../paths';
import { sessionIdsField, sessionIdsMapping } from '../shared/fields';

export const get: FalconOperation = {
	value: 'get',
	name: 'Get',
	action: 'Get queued commands by session ID',
	description:
		'Read the commands queued for offline hosts in these sessions, with each command status (pending, completed, canceled)',
	operationId: 'RTR_ListQueuedSessions',
	method: 'POST',
	scopes: ['Real time response: Read'],
	path: paths.queuedSessionsByIds,
	properties: [sessionIdsField],
	parameters: { sessionIds: sessionIdsMapping },
	// One session of the list with nothing queued (or unknown) must not take the others' queued commands with it.
	entitiesById: { sentAs: 'ids', idField: 'id', what: 'queued session IDs' },
	idempotent: true,
};
