import type { FalconOperation } from '../../shared/engine/types';
import { dateTime } from '../../shared/engine/rules';
import { paths } from '../paths';
import { hostIdRule, optional } from '../shared/fields';
import { fqlString, isoTimestamp } from '../shared/fql';

export const getAll: FalconOperation = {
	value: 'getAll',
	name: 'Get Many',
	action: 'Get many sessions',
	description: 'Find the sessions this API client opened, with their details',
	operationId: 'RTR_ListAllSessions',
	alsoUses: ['RTR_ListSessions'],
	method: 'GET',
	path: paths.sessionQuery,
	properties: [
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			options: [
				{
					displayName: 'Active Only',
					name: 'activeOnly',
					type: 'boolean',
					default: true,
					description: 'Whether to leave out sessions that were deleted or expired',
				},
				{
					displayName: 'Created After',
					name: 'createdAfter',
					type: 'dateTime',
					default: '',
				},
				{
					displayName: 'FQL Filter',
					name: 'query',
					type: 'string',
					default: '',
					placeholder: "platform_name:'Windows'",
					description: 'Falcon Query Language expression, combined with the other filters by AND (+)',
				},
				{
					displayName: 'Host ID',
					name: 'hostId',
					type: 'string',
					default: '',
					description: 'Only sessions on this host (32 hexadecimal characters)',
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
						{ name: 'Created (Newest First)', value: 'date_created|desc' },
						{ name: 'Created (Oldest First)', value: 'date_created|asc' },
					],
					default: 'date_created|desc',
				},
			],
		},
	],
	parameters: {
		'filters.activeOnly': {
			to: 'query',
			as: 'filter',
			joinWith: '+',
			transform: (value) => (value === true ? 'deleted_at:null' : undefined),
		},
		'filters.hostId': {
			to: 'query',
			as: 'filter',
			joinWith: '+',
			rules: [optional(hostIdRule)],
			transform: (value) => (value ? `device_id:${fqlString(String(value).trim().toLowerCase())}` : undefined),
		},
		'filters.createdAfter': {
			to: 'query',
			as: 'filter',
			joinWith: '+',
			rules: [dateTime],
			transform: (value) => (value ? `created_at:>${fqlString(isoTimestamp(value))}` : undefined),
		},
		'filters.query': { to: 'query', as: 'filter', joinWith: '+' },
		'options.sort': { to: 'query', as: 'sort' },
	},
	paginate: { maxPageSize: 1000 },
	details: { operationId: 'RTR_ListSessions', path: paths.sessionsByIds, method: 'POST' },
};
