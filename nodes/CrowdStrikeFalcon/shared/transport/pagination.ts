import type { IDataObject } from 'n8n-workflow';

import type { FalconEnvelope } from './envelope';
import { falconRequest, type FalconContext, type FalconRequest } from './falconRequest';

export interface PageOptions {
	/** Stop after this many results; `undefined` collects every page. */
	limit?: number;
	/** The endpoint's largest accepted `limit`. */
	pageSize: number;
	/**
	 * `offset` (default): numeric offsets counted here. `scroll`: the next page's `offset` is the opaque token in
	 * the previous `meta.pagination.offset` (Hosts' scroll endpoint, which has no 10,000-result ceiling). `after`: a
	 * POST query whose body carries `limit` and the `after` token of the previous `meta.pagination.after`, absent
	 * on the last page (Alerts' combined endpoint, which has no ceiling either).
	 */
	style?: 'offset' | 'scroll' | 'after';
	/** The field that tells records apart, when pages hold records rather than IDs (Alerts: `composite_id`). */
	idField?: string;
}

/**
 * Walks pages until the last one (or the limit) and returns the collected `resources`. IDs (and records, by their
 * `idField`) come back once each: a walk over records that change meanwhile repeats one at the top of the next page
 * (newest first and one new; sorted by last update and one updated).
 */
export async function collectPages<T = IDataObject | string>(
	this: FalconContext,
	request: FalconRequest,
	{ limit, pageSize, style = 'offset', idField }: PageOptions,
): Promise<T[]> {
	const collected: T[] = [];
	const positions = new Map<string, number>();
	const tokens = new Set<string>();
	let position: number | string | undefined =
		style === 'offset'
			? Number(request.qs?.offset ?? 0)
			: style === 'scroll'
				? (request.qs?.offset as string | undefined)
				: undefined;
	for (;;) {
		const wanted = limit === undefined ? pageSize : Math.min(pageSize, limit - collected.length);
		const { body } = await falconRequest.call(this, pageRequest(request, style, wanted, position));
		const page = pageOf<T>(body);
		let anythingNew = false;
		let anonymous = false;
		for (const entry of page) {
			const id = typeof entry === 'string' ? entry : idField ? (entry as IDataObject)[idField] : undefined;
			if (typeof id !== 'string') {
				anonymous = true;
				collected.push(entry);
				continue;
			}
			const at = positions.get(id);
			// A record read again is the newer read of it: it keeps its first place.
			if (at !== undefined) collected[at] = entry;
			else positions.set(id, collected.push(entry) - 1);
			anythingNew ||= at === undefined;
		}
		const pagination = body.meta?.pagination;
		const total = Number(pagination?.total ?? collected.length);
		const reachedLimit = limit !== undefined && collected.length >= limit;
		if (page.length === 0 || reachedLimit) break;
		if (style === 'offset') {
			position = Number(position) + page.length;
			if (position >= total) break;
		} else {
			const token = style === 'scroll' ? pagination?.offset : pagination?.after;
			if (typeof token !== 'string' || token === '') break;
			// A scroll token may stay the same from page to page (the cursor lives on Falcon's side), so one handed
			// back again ends the walk only when the page brought nothing new, when records cannot be told apart, or
			// when no total bounds the walk: otherwise the same pages could be read for ever.
			const seen = tokens.has(token) || token === position;
			if (seen && (anonymous || !anythingNew || pagination?.total === undefined)) break;
			if (pagination?.total !== undefined && collected.length >= total) break;
			tokens.add(token);
			position = token;
		}
	}
	return limit === undefined ? collected : collected.slice(0, limit);
}

/** The request for one page: `limit` and the position in the query string, or in the body for `after`. */
function pageRequest(
	request: FalconRequest,
	style: PageOptions['style'],
	limit: number,
	position: number | string | undefined,
): FalconRequest {
	if (style === 'after') {
		const body: IDataObject = { ...(request.body as IDataObject | undefined), limit };
		if (position !== undefined) body.after = position;
		return { ...request, body };
	}
	const qs: IDataObject = { ...request.qs, limit };
	if (position === undefined) delete qs.offset;
	else qs.offset = position;
	return { ...request, qs };
}

function pageOf<T>(body: FalconEnvelope): T[] {
	return (Array.isArray(body.resources) ? body.resources : []) as T[];
}
