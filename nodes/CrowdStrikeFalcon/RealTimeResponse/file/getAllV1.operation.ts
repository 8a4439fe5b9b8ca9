import type { FalconOperation } from '../../shared/engine/types';
import { paths } from '../paths';
import { sessionIdField, uuidMapping } from '../shared/fields';

export const getAllV1: FalconOperation = {
	value: 'getAllV1',
	name: 'Get Many (V1)',
	action: 'Get many files of a session with the v1 API',
	description: 'The older listing: numeric file IDs and no upload progress; prefer Get Many',
	operationId: 'RTR_ListFiles',
	method: 'GET',
	idempotent: true,
	scopes: ['Real time response: Write'],
	path: paths.files,
	properties: [sessionIdField],
	parameters: { sessionId: uuidMapping('query', 'session_id') },
};
