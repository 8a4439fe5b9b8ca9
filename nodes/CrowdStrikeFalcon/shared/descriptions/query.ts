import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { epochMs } from '../engine/dateTime';
import type { Rule } from '../engine/rules';
import { optional, toCommaList } from '../engine/rules';
import type { ParameterMapping } from '../engine/types';

/** The FQL option of a Get Many "Filters" collection; combined with the other filters by AND. */
export function fqlFilterOption(example: string): INodeProperties {
	return {
		displayName: 'FQL Filter',
		name: 'query',
		type: 'string',
		default: '',
		placeholder: `e.g. ${example}`,
		description:
			"Falcon Query Language expression, combined with the other filters by AND (+). Quote values with single quotes (escape ' as \\'); its parentheses and quotes must balance.",
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
	rules: [staysInItsParentheses],
	transform: (value) => {
		const text = String(value).trim();
		return text === '' ? undefined : `(${text})`;
	},
};

/**
 * A `)` the text did not open would close the parentheses it is sent in, and what follows it would be ORed with
 * the node's other filters instead of ANDed: `platform_name:'Linux'),(hostname:*'*'` lists every host. Checked with
 * only `'` as a quote and with `"` as well, so it holds however Falcon reads double quotes.
 */
function staysInItsParentheses(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	const text = String(value);
	const why = unbalanced(text, "'") ?? unbalanced(text, `'"`);
	return why && `must keep its parentheses and quotes balanced, as it is ANDed with the other filters in parentheses: ${why}`;
}

function unbalanced(text: string, quotes: string): string | undefined {
	let depth = 0;
	let quote: string | undefined;
	for (let index = 0; index < text.length; index++) {
		const char = text[index];
		if (quote !== undefined) {
			if (char === '\\') index++;
			else if (char === quote) quote = undefined;
		} else if (quotes.includes(char)) {
			quote = char;
		} else if (char === '\\') {
			// Were it read as escaping a parenthesis, the count above would not be Falcon's.
			return `the \\ at position ${index + 1} is outside a quoted value`;
		} else if (char === '(') {
			depth++;
		} else if (char === ')' && --depth < 0) {
			return `the ")" at position ${index + 1} closes a parenthesis it did not open`;
		}
	}
	if (quote !== undefined) return `a ${quote} is not closed`;
	return depth > 0 ? 'a "(" is not closed' : undefined;
}

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
 * A filter option on names or addresses (hostnames, IPs, tags), ANDed with the others: one value or several (a list,
 * or text separated by commas), each matched whole (`fqlWhole`); several match any of them. Where Falcon takes
 * patterns on the field, `pattern` makes the term for a value with one `*` at its start or end. Elsewhere a `*` is
 * refused, as is one in the middle or alone: sent, each would widen a listing a playbook may go on to act on.
 */
export function fqlNamesFilter(
	field: string,
	{ pattern, normalise = (value) => value, rules = [] }: NamesFilterOptions = {},
): ParameterMapping {
	return {
		...fqlFilterMapping,
		// The field's own rules judge the values given; an empty option is the engine's to judge.
		rules: [namesRule(pattern !== undefined), ...rules.map(optional)],
		transform: (value) => {
			const values = [...new Set(toCommaList(value).map(normalise))];
			const whole = values.filter((entry) => !entry.includes('*'));
			const terms = values.filter((entry) => entry.includes('*')).map((entry) => pattern?.(entry) ?? '');
			if (whole.length > 0) terms.push(`${field}:[${whole.map(fqlString).join(',')}]`);
			if (terms.length === 0) return undefined;
			return terms.length === 1 ? terms[0] : `(${terms.join(',')})`;
		},
	};
}

export interface NamesFilterOptions {
	/** The FQL term for a value with a `*`, on a field Falcon matches patterns on. */
	pattern?: (value: string) => string;
	/** Each value as Falcon stores it (a tag's prefix added). */
	normalise?: (value: string) => string;
	rules?: Rule[];
}

const ONE_WILDCARD_AT_AN_END = /^(\*[^*]+|[^*]+\*)$/;

function namesRule(takesPatterns: boolean): Rule {
	return (value) => {
		const values = toCommaList(value);
		if (value !== undefined && value !== null && value !== '' && values.length === 0) return 'must not be empty';
		const pattern = values.find((entry) => entry.includes('*'));
		if (pattern === undefined) return undefined;
		if (!takesPatterns) return `takes whole values only, without * (got "${pattern}")`;
		const bad = values.find((entry) => entry.includes('*') && !ONE_WILDCARD_AT_AN_END.test(entry));
		return bad === undefined
			? undefined
			: `may use one * only, at the start or the end, beside at least one other character (got "${bad}")`;
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
