import type { IDataObject } from 'n8n-workflow';

import type { FalconEnvelope } from './envelope';
import { falconRequest, type FalconContext, type FalconRequest } from './falconRequest';

export interface PageOptions {
	/** Stop after this many results; `undefined` collects every page. */
	limit?: number;
	/** The endpoint's largest accepted `limit`. */
	pageSize: number;
}

/** Walks offset/limit pages (`meta.pagination.total`) and returns the collected `resources`. */
export async function collectPages<T = IDataObject | string>(
	this: FalconContext,
	request: FalconRequest,
	{ limit, pageSize }: PageOptions,
): Promise<T[]> {
	const collected: T[] = [];
	let offset = Number(request.qs?.offset ?? 0);
	for (;;) {
		const wanted = limit === undefined ? pageSize : Math.min(pageSize, limit - collected.length);
		const { body } = await falconRequest.call(this, {
			...request,
			qs: { ...request.qs, offset, limit: wanted },
		});
		const page = pageOf<T>(body);
		collected.push(...page);
		offset += page.length;
		const total = Number(body.meta?.pagination?.total ?? collected.length);
		const reachedLimit = limit !== undefined && collected.length >= limit;
		if (page.length === 0 || reachedLimit || offset >= total) break;
	}
	return limit === undefined ? collected : collected.slice(0, limit);
}

function pageOf<T>(body: FalconEnvelope): T[] {
	return (Array.isArray(body.resources) ? body.resources : []) as T[];
}
