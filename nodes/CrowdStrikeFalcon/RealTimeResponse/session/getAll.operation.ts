import {
	fqlFilterMapping,
	fqlQueryMapping,
	fqlString,
	fqlTimestamp,
	sortMapping,
} from '../../shared/descriptions/query';
import type { FalconOperation } from '../../shared/engine/types';
import { dateTime, optional } from '../../shared/engine/rules';
import { paths } from '../paths';
import { hostIdRule } from '../shared/fields';
import { getAllProperties } from './getAllProperties';

export const getAll: FalconOperation = {
	value: 'getAll',
	name: 'Get Many',
	action: 'Get many sessions',
	description: 'Find the sessions this API client opened, with their details',
	operationId: 'RTR_ListAllSessions',
	alsoUses: ['RTR_ListSessions'],
	method: 'GET',
	idempotent: true,
	scopes: ['Real time response: Read'],
	path: paths.sessionQuery,
	properties: getAllProperties,
	parameters: {
		'filters.activeOnly': {
			...fqlFilterMapping,
			// A switch: off is a choice (every session), not a filter that came out empty.
			narrows: false,
			transform: (value) => (value === true ? 'deleted_at:null' : undefined),
		},
		'filters.hostId': {
			...fqlFilterMapping,
			rules: [optional(hostIdRule)],
			// Sessions are filtered by `aid` (as CrowdStrike's PSFalcon does); their records name the host `device_id`.
			transform: (value) => (value ? `aid:${fqlString(String(value).trim().toLowerCase())}` : undefined),
		},
		'filters.createdAfter': {
			...fqlFilterMapping,
			rules: [dateTime],
			transform: (value) => (value ? `created_at:>${fqlString(fqlTimestamp(value))}` : undefined),
		},
		'filters.query': fqlQueryMapping,
		'options.sort': sortMapping,
	},
	paginate: { maxPageSize: 1000 },
	details: { operationId: 'RTR_ListSessions', path: paths.sessionsByIds, method: 'POST' },
};
