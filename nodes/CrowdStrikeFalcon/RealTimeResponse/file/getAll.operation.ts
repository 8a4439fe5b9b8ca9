import type { FalconOperation } from '../../shared/engine/types';
import { paths } from '../paths';
import { sessionIdField, uuidMapping } from '../shared/fields';

export const getAll: FalconOperation = {
	value: 'getAll',
	name: 'Get Many',
	action: 'Get many files of a session',
	description: 'List the files a session pulled from its host, with upload progress (complete, stage) and sha256',
	operationId: 'RTR_ListFilesV2',
	method: 'GET',
	idempotent: true,
	scopes: ['Real time response: Write'],
	path: paths.filesV2,
	properties: [sessionIdField],
	parameters: { sessionId: uuidMapping('query', 'session_id') },
};
