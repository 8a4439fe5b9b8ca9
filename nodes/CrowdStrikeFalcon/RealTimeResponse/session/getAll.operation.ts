import type { FalconOperation } from '../../shared/engine/types';
import { dateTime } from '../../shared/engine/rules';
import { paths } from '../paths';
import { hostIdRule, optional } from '../shared/fields';
import { fqlString, isoTimestamp } from '../shared/fql';
import { getAllProperties } from './getAllProperties';

export const getAll: FalconOperation = {
	value: 'getAll',
	name: 'Get Many',
	action: 'Get many sessions',
	description: 'Find the sessions this API client opened, with their details',
	operationId: 'RTR_ListAllSessions',
	alsoUses: ['RTR_ListSessions'],
	method: 'GET',
	path: paths.sessionQuery,
	properties: getAllProperties,
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
