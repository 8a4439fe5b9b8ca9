import type { FalconOperation } from '../../shared/engine/types';
import { paths } from '../paths';
import { includeTokenValuesOnField, TOKEN_VALUE_HIDDEN, TOKEN_VALUE_LEFT_OUT, tokenIdsField, tokenIdsMapping, withDaysLeft } from './fields';

export const get: FalconOperation = {
	value: 'get',
	name: 'Get',
	action: 'Get installation tokens by ID',
	description: 'Get one or more tokens by ID, with their value, status and days left',
	operationId: 'tokens_read',
	method: 'GET',
	entitiesById: { sentAs: 'ids', idField: 'id', what: 'token IDs' },
	idempotent: true,
	scopes: ['Installation tokens: Read'],
	path: paths.entities,
	properties: [tokenIdsField, includeTokenValuesOnField],
	parameters: { ids: tokenIdsMapping('repeat') },
	mapResource: withDaysLeft,
	hiddenFromAgent: TOKEN_VALUE_HIDDEN,
	leavesOut: TOKEN_VALUE_LEFT_OUT,
};
