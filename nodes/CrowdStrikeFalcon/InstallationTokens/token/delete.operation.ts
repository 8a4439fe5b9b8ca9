import type { IDataObject } from 'n8n-workflow';

import { TOKEN_CHANGES } from '../../shared/engine/aiAgent';
import { errorsPerId } from '../../shared/transport/errorsPerId';
import { toList } from '../../shared/engine/rules';
import type { FalconOperation } from '../../shared/engine/types';
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
	actsOnKnownIdsApart: { sentAs: 'ids' },
	readsErrors: true,
	output: ({ sent, response }) => {
		const ids = toList(sent.ids);
		const errorsOf = errorsPerId(response.body as IDataObject, ids);
		return ids.map((id) => {
			const errors = errorsOf(id);
			return { id, deleted: errors.length === 0, trace_id: response.body.meta?.trace_id, ...(errors.length > 0 ? { errors } : {}) };
		});
	},
};
