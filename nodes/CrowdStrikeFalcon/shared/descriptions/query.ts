import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { epochMs } from '../engine/dateTime';
import type { Rule } from '../engine/rules';
import type { ParameterMapping } from '../engine/types';

/** The FQL option of a Get Many "Filters" collection; combined with the other filters by AND. */
export function fqlFilterOption(example: string): INodeProperties {
	return {
		displayName: 'FQL Filter',
		name: 'query',
		type: 'string',
		default: '',
		placeholder: example,
		description: 'Falcon Query Language expression, combined with the other filters by AND (+)',
	};
}

/** Every filter option maps into the one FQL `filter` query parameter, joined by `+` (AND). */
export const fqlFilterMapping: ParameterMapping = { to: 'query', as: 'filter', joinWith: '+', narrows: true };

/**
 * The user's own FQL, in parentheses: FQL binds `+` (AND) tighter than `,` (OR), so an OR in it would otherwise
 * escape the other filters.
 */
export const fqlQueryMapping: ParameterMapping = {
	...fqlFilterMapping,
	transform: (value) => {
		const text = String(value).trim();
		return text === '' ? undefined : `(${text})`;
	},
};

/** Quotes a value for an FQL expression, escaping backslashes and single quotes. */
export function fqlString(value: unknown): string {
	return `'${String(value).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A timestamp as FQL compares it: RFC 3339 in UTC, without milliseconds; a value without a zone is UTC. */
export function fqlTimestamp(value: unknown): string {
	return new Date(epochMs(value))
		.toISOString()
		.replace(/\.\d{3}Z$/, 'Z');
}

/** A filter option that becomes the FQL term `field:'value'`, ANDed with the other filters. */
export function fqlEquals(field: string, rules?: Rule[]): ParameterMapping {
	return {
		...fqlFilterMapping,
		rules,
		transform: (value) => (value === '' ? undefined : `${field}:${fqlString(value)}`),
	};
}

/**
 * The FQL term matching a name or an address (a hostname, an IP, a tag) whole. On such fields `field:'value'` also
 * finds longer values (`hostname:'WKS-1'` finds WKS-10); a value in brackets, `field:['value']`, is matched whole.
 */
export function fqlWhole(field: string, value: unknown): string {
	return `${field}:[${fqlString(value)}]`;
}

/**
 * A filter option on a name or an address, ANDed with the others: matched whole (`fqlWhole`), or as a pattern when
 * the value has a `*`, which only the quoted form `field:'WKS-*'` takes.
 */
export function fqlWholeEquals(field: string): ParameterMapping {
	return {
		...fqlFilterMapping,
		transform: (value) => {
			if (value === '') return undefined;
			return String(value).includes('*') ? `${field}:${fqlString(value)}` : fqlWhole(field, value);
		},
	};
}

/** The "Options" collection of a Get Many with the sort orders the endpoint accepts. */
export function sortOptionsCollection(
	choices: INodePropertyOptions[],
	defaultSort: string,
): INodeProperties {
	return {
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
				options: choices,
				default: defaultSort,
			},
		],
	};
}

export const sortMapping: ParameterMapping = { to: 'query', as: 'sort' };

/** The same mappings for a query sent as POST, which takes its filter and sort in the JSON body. */
export function inBody(parameters: Record<string, ParameterMapping>): Record<string, ParameterMapping> {
	return Object.fromEntries(Object.entries(parameters).map(([name, mapping]) => [name, { ...mapping, to: 'body' }]));
}
