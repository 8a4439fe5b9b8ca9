import type { FalconOperation } from '../../shared/engine/types';
import { integerBetween } from '../../shared/engine/rules';
import { fqlString, isoTimestamp } from '../fql';
import { paths } from '../paths';
import { withDaysLeft } from './fields';

const DAY_MS = 24 * 60 * 60 * 1000;

export const getAll: FalconOperation = {
	value: 'getAll',
	name: 'Get Many',
	action: 'Get many installation tokens',
	description: 'Find tokens by status, expiry or FQL filter, with their details and days left',
	operationId: 'tokens_query',
	alsoUses: ['tokens_read'],
	method: 'GET',
	path: paths.query,
	properties: [
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			options: [
				{
					displayName: 'Expiring Within (Days)',
					name: 'expiringWithinDays',
					type: 'number',
					typeOptions: { minValue: 1, maxValue: 3650 },
					default: 30,
					description: 'Only tokens that expire between now and this many days from now',
				},
				{
					displayName: 'FQL Filter',
					name: 'query',
					type: 'string',
					default: '',
					placeholder: "label:*'*prod*'",
					description:
						'Falcon Query Language expression, combined with the other filters by AND (+)',
				},
				{
					displayName: 'Status',
					name: 'status',
					type: 'options',
					options: [
						{ name: 'Expired', value: 'expired' },
						{ name: 'Revoked', value: 'revoked' },
						{ name: 'Valid', value: 'valid' },
					],
					default: 'valid',
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
						{ name: 'Created (Newest First)', value: 'created_timestamp.desc' },
						{ name: 'Created (Oldest First)', value: 'created_timestamp.asc' },
						{ name: 'Expires (Latest First)', value: 'expires_timestamp.desc' },
						{ name: 'Expires (Soonest First)', value: 'expires_timestamp.asc' },
						{ name: 'Label (A-Z)', value: 'label.asc' },
						{ name: 'Label (Z-A)', value: 'label.desc' },
					],
					default: 'created_timestamp.desc',
				},
			],
		},
	],
	parameters: {
		'filters.status': { to: 'query', as: 'filter', joinWith: '+', transform: (v) => `status:${fqlString(v)}` },
		'filters.expiringWithinDays': {
			to: 'query',
			as: 'filter',
			joinWith: '+',
			rules: [integerBetween(1, 3650)],
			transform: (days) => {
				if (days === '') return undefined;
				const now = Date.now();
				return `expires_timestamp:>='${isoTimestamp(now)}'+expires_timestamp:<='${isoTimestamp(now + Number(days) * DAY_MS)}'`;
			},
		},
		'filters.query': { to: 'query', as: 'filter', joinWith: '+' },
		'options.sort': { to: 'query', as: 'sort' },
	},
	paginate: { maxPageSize: 1000 },
	details: { operationId: 'tokens_read', path: paths.entities },
	mapResource: withDaysLeft,
};
