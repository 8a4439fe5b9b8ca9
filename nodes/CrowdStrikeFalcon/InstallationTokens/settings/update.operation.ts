import type { FalconOperation } from '../../shared/engine/types';
import { TOKEN_CHANGES } from '../../shared/engine/aiAgent';
import { positiveInteger } from '../../shared/engine/rules';
import { paths } from '../paths';

export const update: FalconOperation = {
	value: 'update',
	name: 'Update',
	action: 'Update installation token settings',
	description: 'Require tokens for sensor installs, or change the cap on active tokens',
	operationId: 'customer_settings_update',
	method: 'PATCH',
	needsAgentPermission: TOKEN_CHANGES,
	idempotent: false,
	scopes: ['Installation token settings: Write'],
	path: paths.settings,
	properties: [
		{
			displayName: 'Update Fields',
			name: 'updateFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: [
				{
					displayName: 'Max Active Tokens',
					name: 'maxActiveTokens',
					type: 'number',
					typeOptions: { minValue: 1 },
					default: 10,
					description: 'Most tokens that may be valid at the same time',
				},
				{
					displayName: 'Tokens Required',
					name: 'tokensRequired',
					type: 'boolean',
					default: true,
					description: 'Whether sensors must present an installation token to install',
				},
			],
		},
	],
	parameters: {
		'updateFields.maxActiveTokens': {
			to: 'body',
			as: 'max_active_tokens',
			rules: [positiveInteger],
			// An expression giving '' (an empty cell) sets nothing; Number('') would send 0 active tokens.
			transform: (value) => (value === '' ? undefined : Number(value)),
		},
		'updateFields.tokensRequired': { to: 'body', as: 'tokens_required' },
	},
	validate: (values) =>
		Object.keys((values.updateFields ?? {}) as object).length === 0
			? 'add at least one field under "Update Fields"'
			: undefined,
};
