import type { FalconOperation } from '../../shared/engine/types';
import { paths } from '../paths';
import { sessionIdsField, sessionIdsMapping } from '../shared/fields';

export const get: FalconOperation = {
	value: 'get',
	name: 'Get',
	action: 'Get sessions by ID',
	description: 'Read sessions by ID: host, user, working directory and the commands run in them',
	operationId: 'RTR_ListSessions',
	method: 'POST',
	scopes: ['Real time response: Read'],
	path: paths.sessionsByIds,
	properties: [sessionIdsField],
	parameters: { sessionIds: sessionIdsMapping },
	entitiesById: { sentAs: 'ids', idField: 'id', what: 'session IDs' },
	idempotent: true,
};
