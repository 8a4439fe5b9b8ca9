import type { FalconOperation } from '../../shared/engine/types';
import { hex32Ids, listsAtMost, notEmpty, toHexIdList } from '../../shared/engine/rules';
import { DEFAULT_IDS_PER_REQUEST } from '../../shared/transport/ids';
import { paths } from '../paths';

export const get: FalconOperation = {
	value: 'get',
	name: 'Get',
	action: 'Get installation token audit events by ID',
	description: 'Get one or more audit events by ID',
	operationId: 'audit_events_read',
	method: 'GET',
	entitiesById: { sentAs: 'ids', idField: 'id', what: 'audit event IDs' },
	idempotent: true,
	scopes: ['Installation tokens: Read'],
	path: paths.auditEntities,
	properties: [
		{
			displayName: 'Audit Event IDs',
			name: 'ids',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. 5e2d8c1a7b3f4e6d9a0c1b2e3f4d5a6b, 8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f',
			description: 'One or more audit event IDs (at most 100), separated by commas',
		},
	],
	parameters: {
		ids: {
			to: 'query',
			as: 'ids',
			rules: [notEmpty, hex32Ids, listsAtMost(DEFAULT_IDS_PER_REQUEST, 'audit event IDs', toHexIdList)],
			transform: toHexIdList,
		},
	},
};
