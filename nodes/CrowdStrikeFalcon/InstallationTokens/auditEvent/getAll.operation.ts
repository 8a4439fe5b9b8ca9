import {
	fqlEquals,
	fqlFilterMapping,
	fqlFilterOption,
	fqlQueryMapping,
	fqlString,
	sortMapping,
	sortOptionsCollection,
} from '../../shared/descriptions/query';
import type { FalconOperation } from '../../shared/engine/types';
import { hex32Ids, listsAtMost, toHexIdList } from '../../shared/engine/rules';
import { DEFAULT_IDS_PER_REQUEST } from '../../shared/transport/ids';
import { paths } from '../paths';

export const getAll: FalconOperation = {
	value: 'getAll',
	name: 'Get Many',
	action: 'Get many installation token audit events',
	description: 'Find audit events of token actions by action, token or FQL filter',
	operationId: 'audit_events_query',
	alsoUses: ['audit_events_read'],
	method: 'GET',
	idempotent: true,
	scopes: ['Installation tokens: Read'],
	path: paths.auditQuery,
	properties: [
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			options: [
				{
					displayName: 'Action',
					name: 'action',
					type: 'string',
					default: '',
					placeholder: 'e.g. token_create',
					description: 'Only events of this action, e.g. token_create',
				},
				fqlFilterOption("timestamp:>='2026-01-01T00:00:00Z'"),
				{
					displayName: 'Token ID',
					name: 'auditedId',
					type: 'string',
					default: '',
					description: 'Only events about these installation tokens (IDs separated by commas)',
				},
			],
		},
		sortOptionsCollection(
			[
				{ name: 'Newest First', value: 'timestamp.desc' },
				{ name: 'Oldest First', value: 'timestamp.asc' },
			],
			'timestamp.desc',
		),
	],
	parameters: {
		'filters.action': fqlEquals('action'),
		'filters.auditedId': {
			...fqlFilterMapping,
			// In the query string, as the IDs of a Get are: past 100 the URL nears what Falcon and proxies accept.
			rules: [hex32Ids, listsAtMost(DEFAULT_IDS_PER_REQUEST, 'token IDs', toHexIdList)],
			// Checked as a list, sent as one: `token_id:'a'`, or `token_id:['a','b']` for several.
			transform: (value) => {
				const ids = toHexIdList(value).map(fqlString);
				return ids.length === 0 ? undefined : `token_id:${ids.length === 1 ? ids[0] : `[${ids.join(',')}]`}`;
			},
		},
		'filters.query': fqlQueryMapping,
		'options.sort': sortMapping,
	},
	paginate: { maxPageSize: 1000 },
	details: { operationId: 'audit_events_read', path: paths.auditEntities },
};
