import { ApiError } from '../request';
import { compileFilter, parseDateValue, type FieldSchema } from '../fql';

interface AggregateSpec {
	name?: string;
	type?: string;
	field?: string;
	filter?: string;
	size?: number;
	date_ranges?: Array<{ from?: string; to?: string }>;
}

/** RTR_AggregateSessions: `term` (count per distinct value) and `date_range` aggregations over session records. */
export function aggregate(records: Array<Record<string, unknown>>, body: unknown, schema: FieldSchema): unknown[] {
	if (!Array.isArray(body) || body.length === 0) throw new ApiError(400, 'request body must be a non-empty JSON array of aggregate specs');
	return (body as AggregateSpec[]).map((spec) => {
		if (!spec || typeof spec !== 'object') throw new ApiError(400, 'each aggregate spec must be an object');
		const field = spec.field ?? '';
		if (!(field in schema)) throw new ApiError(400, `aggregate field '${field}' is not supported. Fields: ${Object.keys(schema).join(', ')}`);
		const matched = records.filter(compileFilter(spec.filter, schema));
		const name = spec.name ?? field;
		if (spec.type === 'term') {
			const counts = new Map<string, number>();
			for (const record of matched) {
				const key = record[field] === null || record[field] === undefined ? '' : String(record[field]);
				counts.set(key, (counts.get(key) ?? 0) + 1);
			}
			const sorted = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
			const size = spec.size && spec.size > 0 ? spec.size : 10;
			const shown = sorted.slice(0, size);
			return {
				name,
				buckets: shown.map(([label, count]) => ({ label, count })),
				doc_count_error_upper_bound: 0,
				sum_other_doc_count: sorted.slice(size).reduce((n, [, c]) => n + c, 0),
			};
		}
		if (spec.type === 'date_range') {
			if (schema[field] !== 'date') throw new ApiError(400, `date_range needs a date field, '${field}' is not one`);
			const ranges = spec.date_ranges ?? [];
			if (ranges.length === 0) throw new ApiError(400, 'date_range needs date_ranges');
			return {
				name,
				buckets: ranges.map((range) => {
					const from = range.from ? parseDateValue(range.from) : -Infinity;
					const to = range.to ? parseDateValue(range.to) : Infinity;
					const count = matched.filter((r) => {
						const at = r[field] ? Date.parse(String(r[field])) : NaN;
						return at >= from && at < to;
					}).length;
					return { label: `${range.from ?? '*'}-${range.to ?? '*'}`, count, string_from: range.from, string_to: range.to };
				}),
				doc_count_error_upper_bound: 0,
				sum_other_doc_count: 0,
			};
		}
		throw new ApiError(400, `aggregate type '${String(spec.type)}' is not supported by the simulator (use term or date_range)`);
	});
}
