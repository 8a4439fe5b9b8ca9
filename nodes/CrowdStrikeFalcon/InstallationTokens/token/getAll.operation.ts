import {
	fqlEquals,
	fqlTimestamp,
	fqlFilterMapping,
	fqlFilterOption,
	fqlQueryMapping,
	sortMapping,
	sortOptionsCollection,
} from '../../shared/descriptions/query';
import type { FalconOperation } from '../../shared/engine/types';
import { integerBetween } from '../../shared/engine/rules';
import { paths } from '../paths';
import { includeTokenValuesField, TOKEN_VALUE_HIDDEN, TOKEN_VALUE_LEFT_OUT, withDaysLeft } from './fields';

const DAY_MS = 24 * 60 * 60 * 1000;

export const getAll: FalconOperation = {
	value: 'getAll',
	name: 'Get Many',
	action: 'Get many installation tokens',
	description: 'Find tokens by status, expiry or FQL filter, with their details and days left',
	operationId: 'tokens_query',
	alsoUses: ['tokens_read'],
	method: 'GET',
	idempotent: true,
	scopes: ['Installation tokens: Read'],
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
				fqlFilterOption("label:*'*prod*'"),
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
		sortOptionsCollection(
			[
				{ name: 'Created (Newest First)', value: 'created_timestamp.desc' },
				{ name: 'Created (Oldest First)', value: 'created_timestamp.asc' },
				{ name: 'Expires (Latest First)', value: 'expires_timestamp.desc' },
				{ name: 'Expires (Soonest First)', value: 'expires_timestamp.asc' },
				{ name: 'Label (A-Z)', value: 'label.asc' },
				{ name: 'Label (Z-A)', value: 'label.desc' },
			],
			'created_timestamp.desc',
		),
		includeTokenValuesField,
	],
	parameters: {
		'filters.status': fqlEquals('status'),
		'filters.expiringWithinDays': {
			...fqlFilterMapping,
			rules: [integerBetween(1, 3650)],
			transform: (days) => {
				if (days === '') return undefined;
				const now = Date.now();
				return `expires_timestamp:>='${fqlTimestamp(now)}'+expires_timestamp:<='${fqlTimestamp(now + Number(days) * DAY_MS)}'`;
			},
		},
		'filters.query': fqlQueryMapping,
		'options.sort': sortMapping,
	},
	paginate: { maxPageSize: 1000 },
	details: { operationId: 'tokens_read', path: paths.entities },
	mapResource: withDaysLeft,
	hiddenFromAgent: TOKEN_VALUE_HIDDEN,
	leavesOut: TOKEN_VALUE_LEFT_OUT,
};
