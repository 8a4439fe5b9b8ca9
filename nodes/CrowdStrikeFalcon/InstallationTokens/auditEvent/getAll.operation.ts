import type { FalconOperation } from '../../shared/engine/types';
import { hex32Ids } from '../../shared/engine/rules';
import { fqlString } from '../fql';
import { paths } from '../paths';

export const getAll: FalconOperation = {
	value: 'getAll',
	name: 'Get Many',
	action: 'Get many installation token audit events',
	description: 'Find audit events of token actions by action, token or FQL filter',
	operationId: 'audit_events_query',
	alsoUses: ['audit_events_read'],
	method: 'GET',
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
					placeholder: 'token_create',
					description: 'Only events of this action, e.g. token_create',
				},
				{
					displayName: 'FQL Filter',
					name: 'query',
					type: 'string',
					default: '',
					placeholder: "timestamp:>='2026-01-01T00:00:00Z'",
					description:
						'Falcon Query Language expression, combined with the other filters by AND (+)',
				},
				{
					displayName: 'Token ID',
					name: 'auditedId',
					type: 'string',
					default: '',
					description: 'Only events about this installation token',
				},
			],
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				{
					displayName: 'Sort',
					name: 'sort',
					type: 'options',
					options: [
						{ name: 'Newest First', value: 'timestamp.desc' },
						{ name: 'Oldest First', value: 'timestamp.asc' },
					],
					default: 'timestamp.desc',
				},
			],
		},
	],
	parameters: {
		'filters.action': { to: 'query', as: 'filter', joinWith: '+', transform: (v) => (v ? `action:${fqlString(v)}` : undefined) },
		'filters.auditedId': {
			to: 'query',
			as: 'filter',
			joinWith: '+',
			rules: [hex32Ids],
			transform: (v) => (v ? `token_id:${fqlString(v)}` : undefined),
		},
		'filters.query': { to: 'query', as: 'filter', joinWith: '+' },
		'options.sort': { to: 'query', as: 'sort' },
	},
	paginate: { maxPageSize: 1000 },
	details: { operationId: 'audit_events_read', path: paths.auditEntities },
};
