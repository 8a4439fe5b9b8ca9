import { fqlTimestamp } from '../../shared/descriptions/query';
import { TOKEN_CHANGES } from '../../shared/engine/aiAgent';
import type { FalconOperation } from '../../shared/engine/types';
import { dateTime, inTheFuture, maxLength, notEmpty } from '../../shared/engine/rules';
import { paths } from '../paths';
import { includeTokenValuesField, TOKEN_VALUE_HIDDEN, TOKEN_VALUE_LEFT_OUT, tokenIdsField, tokenIdsMapping, withDaysLeft } from './fields';

export const update: FalconOperation = {
	value: 'update',
	name: 'Update',
	action: 'Update installation tokens',
	description: 'Change the label or expiry of tokens, or revoke and restore them',
	operationId: 'tokens_update',
	method: 'PATCH',
	// Falcon answers with the tokens it updated: an ID missing from them was not updated.
	entitiesById: { sentAs: 'ids', idField: 'id', what: 'token IDs' },
	needsAgentPermission: TOKEN_CHANGES,
	idempotent: false,
	scopes: ['Installation tokens: Write'],
	path: paths.entities,
	properties: [
		tokenIdsField,
		{
			displayName: 'Update Fields',
			name: 'updateFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: [
				{
					displayName: 'Expires At',
					name: 'expiresAt',
					type: 'dateTime',
					default: '',
					description: 'New expiry (in the workflow time zone unless the value names one)',
				},
				{
					displayName: 'Label',
					name: 'label',
					type: 'string',
					default: '',
					placeholder: 'e.g. Windows servers 2027',
					description: 'New name of the token in the Falcon console',
				},
				{
					displayName: 'Never Expires',
					name: 'neverExpires',
					type: 'boolean',
					default: true,
					description: 'Whether to remove the expiry so the token stays valid until revoked',
				},
				{
					displayName: 'Revocation',
					name: 'revoked',
					type: 'options',
					options: [
						{ name: 'Revoke', value: 'revoke', description: 'Stop the token from being accepted' },
						{ name: 'Restore', value: 'restore', description: 'Accept a revoked token again' },
					],
					default: 'revoke',
				},
			],
		},
		includeTokenValuesField,
	],
	parameters: {
		ids: tokenIdsMapping('csv'),
		'updateFields.label': { to: 'body', as: 'label', rules: [notEmptyWhenSet, maxLength(255)] },
		'updateFields.expiresAt': {
			to: 'body',
			as: 'expires_timestamp',
			rules: [dateTime, inTheFuture],
			transform: (value) => (value ? fqlTimestamp(value) : undefined),
		},
		// Falcon clears an expiry only when it receives an explicit null.
		'updateFields.neverExpires': {
			to: 'body',
			as: 'expires_timestamp',
			transform: (value) => (value === true ? null : undefined),
		},
		// Restoring must send `revoked: false`, not drop the field (the FalconPy falsy-value bug).
		'updateFields.revoked': {
			to: 'body',
			as: 'revoked',
			rules: [
				(value) =>
					value === undefined || value === 'revoke' || value === 'restore'
						? undefined
						: `must be "revoke" or "restore" (got ${JSON.stringify(value)})`,
			],
			transform: (value) => (value === 'revoke' ? true : value === 'restore' ? false : undefined),
		},
	},
	validate: (values) => {
		const fields = (values.updateFields ?? {}) as Record<string, unknown>;
		if (Object.keys(fields).length === 0) return 'add at least one field under "Update Fields"';
		if (fields.neverExpires === true && fields.expiresAt) {
			return '"Expires At" and "Never Expires" cannot be used together';
		}
		return undefined;
	},
	mapResource: withDaysLeft,
	hiddenFromAgent: TOKEN_VALUE_HIDDEN,
	leavesOut: TOKEN_VALUE_LEFT_OUT,
};

function notEmptyWhenSet(value: unknown): string | undefined {
	return value === undefined ? undefined : notEmpty(value);
}
