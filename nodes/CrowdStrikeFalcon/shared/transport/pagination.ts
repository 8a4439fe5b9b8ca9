import type { IDataObject } from 'n8n-workflow';

import type { FalconEnvelope } from './envelope';
import { errorsOf } from './envelope';
import { falconRequest, type FalconContext, type FalconRequest } from './falconRequest';
import { falconApiError } from './failures';

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
	/** Refines what the query matched (e.g. to the millisecond where Falcon's filter compares whole seconds). */
	keep?: (entry: unknown) => boolean;
}

/** The position of a record `keep` left out (it still counts as read). */
const REFUSED = -1;

/**
 * Walks pages until the last one (or the limit) and returns the collected `resources`. IDs (and records, by their
 * `idField`) come back once each: a walk over records that change meanwhile repeats one at the top of the next page
 * (newest first and one new; sorted by last update and one updated). Records `keep` refuses are left out and do not
 * count towards the limit. A page answered with errors and nothing else fails the walk, as any other call would.
 */
export async function collectPages<T = IDataObject | string>(
	this: FalconContext,
	request: FalconRequest,
	{ limit, pageSize, style = 'offset', idField, keep }: PageOptions,
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
		const asked = pageRequest(request, style, wanted, position);
		const { statusCode, headers, body } = await falconRequest.call(this, asked);
		const page = pageOf<T>(body);
		if (page.length === 0 && errorsOf(body).length > 0) {
			throw falconApiError(this.getNode(), { statusCode, headers, body, message: '' }, { method: asked.method, path: asked.path, itemIndex: asked.itemIndex });
		}
		let anythingNew = false;
		let anonymous = false;
		for (const entry of page) {
			const id = typeof entry === 'string' ? entry : idField ? (entry as IDataObject)[idField] : undefined;
			if (typeof id !== 'string') {
				anonymous = true;
				if (!keep || keep(entry)) collected.push(entry);
				continue;
			}
			const at = positions.get(id);
			anythingNew ||= at === undefined;
			// A record read again is the newer read of it: it keeps its first place.
			if (at !== undefined && at !== REFUSED) collected[at] = entry;
			else if (keep && !keep(entry)) positions.set(id, REFUSED);
			else positions.set(id, collected.push(entry) - 1);
		}
		const pagination = body.meta?.pagination;
		const reachedLimit = limit !== undefined && collected.length >= limit;
		if (page.length === 0 || reachedLimit) break;
		if (style === 'offset') {
			position = Number(position) + page.length;
			if (position >= Number(pagination?.total ?? position)) break;
			continue;
		}
		const token = style === 'scroll' ? pagination?.offset : pagination?.after;
		if (typeof token !== 'string' || token === '') break;
		// A cursor that hands back only records already read goes nowhere, whatever token it names: following it
		// could read the same pages for ever.
		if (!anonymous && !anythingNew) break;
		// A scroll token may stay the same from page to page (the cursor lives on Falcon's side): one handed back
		// again ends the walk when records cannot be told apart or no total bounds it. The scroll's total is what
		// ends it; an `after` walk ends when Falcon hands no `after` back, whatever its total said.
		const seen = tokens.has(token) || token === position;
		if (seen && (anonymous || pagination?.total === undefined)) break;
		if (style === 'scroll' && pagination?.total !== undefined && positions.size >= Number(pagination.total)) break;
		tokens.add(token);
		position = token;
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
