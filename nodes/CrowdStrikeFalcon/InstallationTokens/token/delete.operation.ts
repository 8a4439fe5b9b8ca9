import type { FalconOperation } from '../../shared/engine/types';
import { TOKEN_CHANGES } from '../../shared/engine/aiAgent';
import { toList } from '../../shared/engine/rules';
import { paths } from '../paths';
import { tokenIdsField, tokenIdsMapping } from './fields';

export const deleteToken: FalconOperation = {
	value: 'delete',
	name: 'Delete',
	action: 'Delete installation tokens',
	description: 'Delete tokens at once; to stop a token but keep its record, revoke it with Update',
	operationId: 'tokens_delete',
	method: 'DELETE',
	needsAgentPermission: TOKEN_CHANGES,
	idempotent: true,
	scopes: ['Installation tokens: Write'],
	path: paths.entities,
	properties: [tokenIdsField],
	parameters: { ids: tokenIdsMapping('csv') },
	output: ({ sent, response }) =>
		toList(sent.ids).map((id) => ({ id, deleted: true, trace_id: response.body.meta?.trace_id })),
};
