import { ApiError } from './request';
import type { Pagination } from './envelope';

/**
 * A small Falcon Query Language implementation: `field:'v'`, `field:!'v'`, `field:>'2024-01-01'` (>= < <=),
 * `field:*'pre*'` wildcards, `field:~'text'`, `field:['a','b']`, `+` AND, `,` OR (AND binds tighter),
 * parentheses, `null`, numbers and booleans. Dates accept RFC3339, YYYY-MM-DD and now[+-]N(s|m|h|d).
 * Array-valued fields (e.g. host `tags`) match when any element matches (negations: when none does).
 * With `equalityWildcards`, `*` inside a plain equality value is a wildcard (`hostname:'WKS*'`, Hosts/Alerts style).
 */

export type FieldType = 'string' | 'date' | 'number' | 'boolean';
export type FieldSchema = Record<string, FieldType>;
export type Aliases = Record<string, string>;

type Scalar = string | number | boolean | null;
type Operator = '' | '!' | '>' | '>=' | '<' | '<=' | '*' | '!*' | '~' | '!~';

type Node =
	| { kind: 'and' | 'or'; children: Node[] }
	| { kind: 'cmp'; field: string; op: Operator; values: Scalar[]; list: boolean };

const OPERATORS: Operator[] = ['!~', '!*', '>=', '<=', '!', '>', '<', '*', '~'];

class Parser {
	private pos = 0;

	constructor(
		private readonly text: string,
		private readonly schema: FieldSchema,
	) {}

	parse(): Node {
		const node = this.parseOr();
		this.skipSpace();
		if (this.pos < this.text.length) this.fail(`unexpected '${this.text[this.pos]}'`);
		return node;
	}

	private fail(reason: string): never {
		throw new ApiError(400, `Invalid filter at position ${this.pos}: ${reason}`);
	}

	private skipSpace(): void {
		while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
	}

	private peek(): string {
		this.skipSpace();
		return this.text[this.pos] ?? '';
	}

	private parseOr(): Node {
		const children = [this.parseAnd()];
		while (this.peek() === ',') {
			this.pos++;
			children.push(this.parseAnd());
		}
		return children.length === 1 ? children[0] : { kind: 'or', children };
	}

	private parseAnd(): Node {
		const children = [this.parseTerm()];
		while (this.peek() === '+') {
			this.pos++;
			children.push(this.parseTerm());
		}
		return children.length === 1 ? children[0] : { kind: 'and', children };
	}

	private parseTerm(): Node {
		if (this.peek() === '(') {
			this.pos++;
			const inner = this.parseOr();
			if (this.peek() !== ')') this.fail("expected ')'");
			this.pos++;
			return inner;
		}
		const field = this.parseField();
		if (this.peek() !== ':') this.fail(`expected ':' after '${field}'`);
		this.pos++;
		this.skipSpace();
		let op: Operator = '';
		for (const candidate of OPERATORS) {
			if (this.text.startsWith(candidate, this.pos)) {
				op = candidate;
				this.pos += candidate.length;
				break;
			}
		}
		if (this.peek() === '[') {
			this.pos++;
			const values: Scalar[] = [];
			while (this.peek() !== ']') {
				values.push(this.parseValue());
				if (this.peek() === ',') this.pos++;
				else if (this.peek() !== ']') this.fail("expected ',' or ']' in list");
			}
			this.pos++;
			if (op !== '' && op !== '!') this.fail(`operator '${op}' cannot take a list`);
			return { kind: 'cmp', field, op, values, list: true };
		}
		return { kind: 'cmp', field, op, values: [this.parseValue()], list: false };
	}

	private parseField(): string {
		this.skipSpace();
		const match = /^[a-z_][a-z0-9_.]*/i.exec(this.text.slice(this.pos));
		if (!match) this.fail('expected a field name');
		const field = match[0];
		if (!(field in this.schema)) {
			throw new ApiError(400, `Invalid filter: unknown field '${field}'. Filterable fields: ${Object.keys(this.schema).join(', ')}`);
		}
		this.pos += field.length;
		return field;
	}

	private parseValue(): Scalar {
		const c = this.peek();
		if (c === "'" || c === '"') {
			let out = '';
			this.pos++;
			while (this.pos < this.text.length && this.text[this.pos] !== c) {
				if (this.text[this.pos] === '\\' && this.pos + 1 < this.text.length) this.pos++;
				out += this.text[this.pos++];
			}
			if (this.pos >= this.text.length) this.fail('unterminated string');
			this.pos++;
			return out;
		}
		const match = /^[^,+)\]\s]+/.exec(this.text.slice(this.pos));
		if (!match) this.fail('expected a value');
		this.pos += match[0].length;
		const word = match[0];
		if (/^null$/i.test(word)) return null;
		if (/^true$/i.test(word)) return true;
		if (/^false$/i.test(word)) return false;
		if (/^-?\d+(\.\d+)?$/.test(word)) return Number(word);
		this.fail(`unquoted value '${word}' (quote strings with single quotes)`);
	}
}

export function parseDateValue(value: Scalar): number {
	if (typeof value === 'number') return value;
	if (typeof value !== 'string') throw new ApiError(400, `Invalid filter: '${String(value)}' is not a date`);
	const relative = /^now(?:([+-])(\d+)([smhd]))?$/i.exec(value.trim());
	if (relative) {
		const unitMs = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[3]?.toLowerCase() as 's'] ?? 0;
		const amount = relative[2] ? Number(relative[2]) * unitMs : 0;
		return Date.now() + (relative[1] === '-' ? -amount : amount);
	}
	const parsed = Date.parse(value);
	if (Number.isNaN(parsed)) throw new ApiError(400, `Invalid filter: '${value}' is not a date`);
	return parsed;
}

function isEmpty(v: unknown): boolean {
	return v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
}

function globToRegExp(glob: string): RegExp {
	const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
	return new RegExp(`^${escaped}$`, 'i');
}

const normalizeText = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

export interface FilterOptions {
	/** `*` inside a plain (or `!`) equality value on a string field is a wildcard, as the Hosts and Alerts APIs allow. */
	equalityWildcards?: boolean;
	/**
	 * Fields on which a plain quoted value is not matched whole: `hostname:'WKS-1'` also finds `WKS-10` (PSFalcon's
	 * partial hostname search is that filter; its exact one is `hostname:['WKS-1']`). A value in brackets is exact.
	 */
	prefixFields?: string[];
}

function equals(actual: unknown, expected: Scalar, type: FieldType, options: FilterOptions): boolean {
	if (expected === null) return isEmpty(actual);
	if (isEmpty(actual)) return false;
	if (options.equalityWildcards && type === 'string' && typeof expected === 'string' && expected.includes('*')) {
		return globToRegExp(expected).test(String(actual));
	}
	switch (type) {
		case 'date':
			return parseDateValue(String(actual)) === parseDateValue(expected);
		case 'number':
			return Number(actual) === Number(expected);
		case 'boolean':
			return String(actual) === String(expected);
		default:
			return String(actual).toLowerCase() === String(expected).toLowerCase();
	}
}

function compare(actual: unknown, expected: Scalar, type: FieldType): number | undefined {
	if (isEmpty(actual) || expected === null) return undefined;
	if (type === 'date') return parseDateValue(String(actual)) - parseDateValue(expected);
	if (type === 'number') return Number(actual) - Number(expected);
	return String(actual).localeCompare(String(expected));
}

function startsWith(actual: unknown, prefix: string, options: FilterOptions): boolean {
	if (isEmpty(actual)) return false;
	if (options.equalityWildcards && prefix.includes('*')) return globToRegExp(prefix).test(String(actual));
	return String(actual).toLowerCase().startsWith(prefix.toLowerCase());
}

const NEGATED: Operator[] = ['!', '!*', '!~'];

function evaluate(node: Node, record: Record<string, unknown>, schema: FieldSchema, options: FilterOptions): boolean {
	if (node.kind !== 'cmp') {
		const test = (c: Node) => evaluate(c, record, schema, options);
		return node.kind === 'and' ? node.children.every(test) : node.children.some(test);
	}
	const actual = readField(record, node.field);
	if (Array.isArray(actual) && actual.length > 0) {
		const test = (element: unknown) => compareOne(node, element, schema[node.field], options);
		return NEGATED.includes(node.op) ? actual.every(test) : actual.some(test);
	}
	return compareOne(node, actual, schema[node.field], options);
}

function compareOne(node: Extract<Node, { kind: 'cmp' }>, actual: unknown, type: FieldType, options: FilterOptions): boolean {
	const value = node.values[0];
	if (!node.list && (node.op === '' || node.op === '!') && options.prefixFields?.includes(node.field) && typeof value === 'string') {
		const hit = startsWith(actual, value, options);
		return node.op === '' ? hit : !hit;
	}
	// A value in brackets is matched whole: a `*` in it is a character, not a wildcard.
	const valueOptions = node.list ? { ...options, equalityWildcards: false } : options;
	switch (node.op) {
		case '':
			return node.values.some((v) => equals(actual, v, type, valueOptions));
		case '!':
			return !node.values.some((v) => equals(actual, v, type, valueOptions));
		case '*':
		case '!*': {
			const hit = !isEmpty(actual) && globToRegExp(String(value ?? '')).test(String(actual));
			return node.op === '*' ? hit : !hit;
		}
		case '~':
		case '!~': {
			const hit = !isEmpty(actual) && normalizeText(String(actual)).includes(normalizeText(String(value ?? '')));
			return node.op === '~' ? hit : !hit;
		}
		default: {
			const diff = compare(actual, value, type);
			if (diff === undefined) return false;
			if (node.op === '>') return diff > 0;
			if (node.op === '>=') return diff >= 0;
			if (node.op === '<') return diff < 0;
			return diff <= 0;
		}
	}
}

function readField(record: Record<string, unknown>, field: string): unknown {
	// A record may carry a dotted name as a key of its own (e.g. hosts' `local_ip.raw`).
	if (field in record) return record[field];
	let current: unknown = record;
	for (const part of field.split('.')) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[part];
	}
	return current;
}

function applyAliases(node: Node, aliases: Aliases): Node {
	if (node.kind !== 'cmp') return { ...node, children: node.children.map((c) => applyAliases(c, aliases)) };
	return { ...node, values: node.values.map((v) => (typeof v === 'string' && v in aliases ? aliases[v] : v)) };
}

/** Compiles a filter into a predicate; an empty filter matches everything. Throws ApiError(400) on bad input. */
export function compileFilter(
	filter: string | null | undefined,
	schema: FieldSchema,
	aliases: Aliases = {},
	options: FilterOptions = {},
): (record: Record<string, unknown>) => boolean {
	if (filter === null || filter === undefined || filter.trim() === '') return () => true;
	const ast = applyAliases(new Parser(filter, schema).parse(), aliases);
	// Validate date literals up front so a bad date is a 400 even when no record reaches the comparison.
	const check = (n: Node): void => {
		if (n.kind !== 'cmp') return n.children.forEach(check);
		if (schema[n.field] === 'date' && n.op !== '*' && n.op !== '!*') n.values.forEach((v) => v !== null && parseDateValue(v));
	};
	check(ast);
	return (record) => evaluate(ast, record, schema, options);
}

/** `field.asc`, `field.desc`, `field|asc`, `field|desc` or bare `field` (ascending). Nulls sort last. */
export function compileSort<T extends object>(sort: string | null | undefined, schema: FieldSchema): ((a: T, b: T) => number) | undefined {
	if (!sort) return undefined;
	const match = /^(.+?)(?:[.|](asc|desc))?$/i.exec(sort.trim());
	if (!match || !(match[1] in schema)) {
		throw new ApiError(400, `Invalid sort '${sort}'. Sortable fields: ${Object.keys(schema).join(', ')} (use field.asc|field.desc)`);
	}
	const field = match[1];
	const direction = (match[2] ?? 'asc').toLowerCase() === 'desc' ? -1 : 1;
	const type = schema[field];
	return (a, b) => {
		const va = readField(a as Record<string, unknown>, field);
		const vb = readField(b as Record<string, unknown>, field);
		if (isEmpty(va) && isEmpty(vb)) return 0;
		if (isEmpty(va)) return 1;
		if (isEmpty(vb)) return -1;
		return direction * (compare(va, vb as Scalar, type) ?? 0);
	};
}

export interface PageRules {
	defaultLimit: number;
	maxLimit: number;
	/** Smallest accepted limit. Default 1 (the Alerts query accepts 0). */
	minLimit?: number;
}

export function readPage(query: URLSearchParams, rules: PageRules): { offset: number; limit: number } {
	const rawOffset = query.get('offset');
	const rawLimit = query.get('limit');
	const offset = rawOffset === null || rawOffset === '' ? 0 : Number(rawOffset);
	const limit = rawLimit === null || rawLimit === '' ? rules.defaultLimit : Number(rawLimit);
	if (!Number.isInteger(offset) || offset < 0) throw new ApiError(400, `offset must be a non-negative integer, got '${rawOffset}'`);
	const minLimit = rules.minLimit ?? 1;
	if (!Number.isInteger(limit) || limit < minLimit || limit > rules.maxLimit) {
		throw new ApiError(400, `limit must be an integer between ${minLimit} and ${rules.maxLimit}, got '${rawLimit}'`);
	}
	return { offset, limit };
}

export interface CollectionQuery extends PageRules, FilterOptions {
	schema: FieldSchema;
	aliases?: Aliases;
}

/** filter + sort + offset/limit over an in-memory collection, the way Falcon's /queries/ endpoints behave. */
export function queryCollection<T extends object>(
	items: T[],
	query: URLSearchParams,
	rules: CollectionQuery,
): { page: T[]; pagination: Pagination } {
	const { offset, limit } = readPage(query, rules);
	const predicate = compileFilter(query.get('filter'), rules.schema, rules.aliases, rules);
	const comparator = compileSort<T>(query.get('sort'), rules.schema);
	const matched = items.filter((item) => predicate(item as Record<string, unknown>));
	if (comparator) matched.sort(comparator);
	return { page: matched.slice(offset, offset + limit), pagination: { offset, limit, total: matched.length } };
}
