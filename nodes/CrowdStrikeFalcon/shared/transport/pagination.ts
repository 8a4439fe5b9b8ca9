import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { FalconEnvelope } from './envelope';
import { falconRequest, type FalconContext, type FalconRequest } from './falconRequest';

export interface PageOptions {
	/** Stop after this many results; `undefined` collects every page. */
	limit?: number;
	/** The endpoint's largest accepted `limit`. */
	pageSize: number;
	/**
	 * `offset` (default): numeric offsets counted here. `scroll`: the next page's `offset` is the opaque token in
	 * the previous `meta.pagination.offset` (Hosts' scroll endpoint, which has no 10,000-result ceiling).
	 */
	style?: 'offset' | 'scroll';
	/** Offset endpoints that reach only their first results: Return All fails at once when more match. */
	maxResults?: number;
}

/** Walks pages until `meta.pagination.total` (or the limit) and returns the collected `resources`. */
export async function collectPages<T = IDataObject | string>(
	this: FalconContext,
	request: FalconRequest,
	{ limit, pageSize, style = 'offset', maxResults }: PageOptions,
): Promise<T[]> {
	const collected: T[] = [];
	let offset: number | string | undefined =
		style === 'scroll' ? (request.qs?.offset as string | undefined) : Number(request.qs?.offset ?? 0);
	for (;;) {
		const wanted = limit === undefined ? pageSize : Math.min(pageSize, limit - collected.length);
		const qs: IDataObject = { ...request.qs, limit: wanted };
		if (offset === undefined) delete qs.offset;
		else qs.offset = offset;
		const { body } = await falconRequest.call(this, { ...request, qs });
		const page = pageOf<T>(body);
		collected.push(...page);
		const pagination = body.meta?.pagination;
		const total = Number(pagination?.total ?? collected.length);
		if (limit === undefined && maxResults !== undefined && total > maxResults) {
			throw new NodeOperationError(
				this.getNode(),
				`Return All: ${total} results match, but this query reaches only the first ${maxResults}`,
				{
					description: `Narrow the filters (e.g. a later "Created After"), or turn off Return All and set a Limit of at most ${maxResults}.`,
					itemIndex: request.itemIndex,
				},
			);
		}
		const reachedLimit = limit !== undefined && collected.length >= limit;
		if (page.length === 0 || reachedLimit) break;
		if (style === 'scroll') {
			const token = pagination?.offset;
			if (typeof token !== 'string' || token === '' || collected.length >= total) break;
			offset = token;
		} else {
			offset = Number(offset) + page.length;
			if (offset >= total) break;
		}
	}
	return limit === undefined ? collected : collected.slice(0, limit);
}

function pageOf<T>(body: FalconEnvelope): T[] {
	return (Array.isArray(body.resources) ? body.resources : []) as T[];
}
