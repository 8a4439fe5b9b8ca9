import type { IDataObject } from 'n8n-workflow';

import { numberGiven } from '../../shared/engine/rules';

/** The aggregate specs the user defined, as the JSON array Falcon expects, or why they are not usable. */
export function aggregateSpecs(values: IDataObject): { specs?: IDataObject[]; problem?: string } {
	if (values.define === 'json') return fromJson(values.aggregationsJson);
	const field = String(values.field ?? '').trim();
	if (field === '') return { problem: '"Field" must not be empty' };
	const spec: IDataObject = {
		name: String(values.aggregationName ?? '').trim() || field,
		type: values.aggregationType,
		field,
	};
	const filter = String(values.filter ?? '').trim();
	if (filter) spec.filter = filter;
	if (values.aggregationType === 'term') {
		const size = numberGiven(values.size ?? 10);
		if (!Number.isInteger(size) || size < 1) return { problem: '"Size" must be a positive whole number' };
		spec.size = size;
	} else {
		const ranges = ((values.dateRanges as IDataObject | undefined)?.range ?? []) as IDataObject[];
		if (ranges.length === 0) return { problem: 'add at least one entry under "Date Ranges"' };
		spec.date_ranges = ranges.map(({ from, to }) => ({ from: String(from ?? ''), to: String(to ?? '') }));
	}
	return { specs: [spec] };
}

function fromJson(raw: unknown): { specs?: IDataObject[]; problem?: string } {
	let parsed = raw;
	if (typeof raw === 'string') {
		try {
			parsed = JSON.parse(raw);
		} catch (error) {
			return { problem: `"Aggregations (JSON)" is not valid JSON: ${(error as Error).message}` };
		}
	}
	const specs = Array.isArray(parsed) ? parsed : [parsed];
	const bad = specs.findIndex((spec) => !spec || typeof spec !== 'object' || Array.isArray(spec) || !spec.type);
	if (specs.length === 0 || bad !== -1) {
		return { problem: '"Aggregations (JSON)" must be an aggregate spec or a list of them, each with a "type" and a "field"' };
	}
	return { specs: specs as IDataObject[] };
}
