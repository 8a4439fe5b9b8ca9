import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { TOKEN_VALUES } from '../../shared/engine/aiAgent';
import type { ParameterMapping } from '../../shared/engine/types';
import { hex32Ids, listsAtMost, notEmpty, toHexIdList } from '../../shared/engine/rules';
import { DEFAULT_IDS_PER_REQUEST } from '../../shared/transport/ids';

export const tokenIdsField: INodeProperties = {
	displayName: 'Token IDs',
	name: 'ids',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 0b1f6a6c3c2e4e0f9d4a8b7c6d5e4f3a',
	description: 'One or more installation token IDs (at most 100), separated by commas',
};

export function tokenIdsMapping(listFormat: ParameterMapping['listFormat']): ParameterMapping {
	return {
		to: 'query',
		as: 'ids',
		listFormat,
		rules: [notEmpty, hex32Ids, listsAtMost(DEFAULT_IDS_PER_REQUEST, 'token IDs', toHexIdList)],
		transform: toHexIdList,
	};
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole days until the token expires (negative once expired; null when it never expires). */
export function withDaysLeft(token: IDataObject, now = Date.now()): IDataObject {
	const expires = token.expires_timestamp ? Date.parse(String(token.expires_timestamp)) : NaN;
	return {
		...token,
		days_left: Number.isNaN(expires) ? null : Math.floor((expires - now) / DAY_MS),
	};
}

/** A token's value installs sensors into the tenant: an AI agent sees it only once the user allowed it. */
export const TOKEN_VALUE_HIDDEN = { fields: ['value'], unless: TOKEN_VALUES };

/** The value stays out of the items, and so out of n8n's execution data, unless the operation's option keeps it. */
export const TOKEN_VALUE_LEFT_OUT = { fields: ['value'], unless: 'includeTokenValues' };

/** The option that keeps `value` in the items: off for the lists and updates, on for Get (a value asked for by ID). */
export const includeTokenValuesField: INodeProperties = {
	displayName: 'Include Token Values',
	name: 'includeTokenValues',
	type: 'boolean',
	default: false,
	description:
		"Whether the output carries each token's value, which installs sensors into the tenant. Off, it stays out of the items and so out of n8n's execution history.",
};
export const includeTokenValuesOnField: INodeProperties = { ...includeTokenValuesField, default: true };
