import type { IDataObject } from 'n8n-workflow';

import type { FalconRequest } from '../transport/falconRequest';
import { compareInstants } from './dateTime';

type Order = (a: IDataObject, b: IDataObject) => number;

/**
 * The request a Return All walks the pages with, and the order its records then go out in. Asked for a sort an
 * update changes (by last update, by severity), or for none, it walks in the operation's steady sort instead, and
 * puts the records in the order asked for (none: the steady one). A Limit takes the first records of the sort asked
 * for, so it is sent as asked.
 */
export function steadyWalk(
	request: FalconRequest,
	steadySort: string | undefined,
	limit: number | undefined,
): { request: FalconRequest; order?: Order } {
	if (steadySort === undefined || limit !== undefined) return { request };
	const inBody = request.method === 'POST';
	const where = ((inBody ? request.body : request.qs) ?? {}) as IDataObject;
	const asked = typeof where.sort === 'string' && where.sort !== '' ? where.sort : undefined;
	if (asked !== undefined && fieldOf(asked) === fieldOf(steadySort)) return { request };
	const walked = { ...where, sort: steadySort };
	return {
		request: inBody ? { ...request, body: walked } : { ...request, qs: walked },
		order: asked === undefined ? undefined : orderOf(asked),
	};
}

function fieldOf(sort: string): string {
	return sort.split('|')[0].trim();
}

/**
 * Falcon's `field|asc` / `field|desc` as a comparison of records: numbers by value, dates by instant, other values
 * as text. Records without the field go last, as equals; equals keep the order they were read in.
 */
function orderOf(sort: string): Order {
	const [field, direction = 'asc'] = sort.split('|').map((part) => part.trim());
	const sign = direction.toLowerCase() === 'desc' ? -1 : 1;
	const valueOf = (record: IDataObject) =>
		field.split('.').reduce<unknown>((value, key) => (value as IDataObject | undefined)?.[key], record);
	return (a, b) => {
		const x = valueOf(a);
		const y = valueOf(b);
		const absent = (value: unknown) => value === undefined || value === null || value === '';
		if (absent(x) || absent(y)) return Number(absent(x)) - Number(absent(y));
		const byValue = typeof x === 'number' && typeof y === 'number' ? x - y : compareInstants(x, y);
		return sign * (Number.isNaN(byValue) ? String(x).localeCompare(String(y)) : byValue);
	};
}
