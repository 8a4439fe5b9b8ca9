import { fqlTimestamp } from '../../shared/descriptions/query';
import { TOKEN_CHANGES } from '../../shared/engine/aiAgent';
import type { FalconOperation } from '../../shared/engine/types';
import { dateTime, inTheFuture, maxLength, notEmpty, type Rule } from '../../shared/engine/rules';
import { paths } from '../paths';
import { TOKEN_VALUE_HIDDEN, withDaysLeft } from './fields';

export const create: FalconOperation = {
	value: 'create',
	name: 'Create',
	action: 'Create an installation token',
	description: 'Create a token that sensors must present when they install',
	operationId: 'tokens_create',
	method: 'POST',
	needsAgentPermission: TOKEN_CHANGES,
	idempotent: false,
	scopes: ['Installation tokens: Write'],
	path: paths.entities,
	properties: [
		{
			displayName: 'Label',
			name: 'label',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. Windows servers 2027',
			description: 'Name of the token in the Falcon console',
		},
		{
			displayName: 'Expires',
			name: 'expires',
			type: 'options',
			options: [
				{ name: 'Never', value: 'never' },
				{ name: 'At a Date', value: 'at' },
			],
			default: 'never',
		},
		{
			displayName: 'Expires At',
			name: 'expiresAt',
			type: 'dateTime',
			required: true,
			default: '',
			displayOptions: { show: { expires: ['at'] } },
			description: 'When the token stops working (in the workflow time zone unless the value names one)',
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				{
					displayName: 'Type',
					name: 'type',
					type: 'string',
					default: '',
					placeholder: 'e.g. customer_managed',
					description:
						"The token's type as Falcon names it (tokens_create's type field); empty leaves Falcon's default",
				},
			],
		},
	],
	parameters: {
		label: { to: 'body', rules: [notEmpty, maxLength(255)] },
		expiresAt: {
			to: 'body',
			as: 'expires_timestamp',
			// n8n keeps the date when Expires is an expression, whatever it gives: only "At a Date" checks and sends it.
			rules: [onlyAtADate(dateTime), onlyAtADate(inTheFuture)],
			transform: (value, { expires }) => (expires === 'at' && value ? fqlTimestamp(value) : undefined),
		},
		'options.type': { to: 'body', as: 'type', rules: [maxLength(64)], transform: (value) => String(value).trim() },
	},
	validate: ({ expires, expiresAt }) =>
		expires === 'at' && !expiresAt
			? '"Expires At" is required when "Expires" is "At a Date"'
			: undefined,
	mapResource: withDaysLeft,
	hiddenFromAgent: TOKEN_VALUE_HIDDEN,
};

function onlyAtADate(rule: Rule): Rule {
	return (value, values) => (values?.expires === 'at' ? rule(value, values) : undefined);
}
