import type { IDataObject } from 'n8n-workflow';

import { resourcesOf } from './envelope';
import { falconRequest, type FalconContext } from './falconRequest';
import { chunk, DEFAULT_IDS_PER_REQUEST } from './ids';

/**
 * Reads entities by id (`GET path?ids=a&ids=b`, or `POST path` with `{"ids": [...]}` for Falcon's `.../GET/v1`
 * and v2 details endpoints) in chunks, keeping the order Falcon returns.
 */
export async function getEntitiesByIds(
	this: FalconContext,
	path: string,
	ids: string[],
	options: { chunkSize?: number; itemIndex?: number; method?: 'GET' | 'POST'; idsField?: string } = {},
): Promise<IDataObject[]> {
	const entities: IDataObject[] = [];
	for (const idsChunk of chunk(ids, options.chunkSize ?? DEFAULT_IDS_PER_REQUEST)) {
		const viaBody = options.method === 'POST';
		const { body } = await falconRequest.call(this, {
			method: viaBody ? 'POST' : 'GET',
			path,
			qs: viaBody ? undefined : { ids: idsChunk },
			body: viaBody ? { [options.idsField ?? 'ids']: idsChunk } : undefined,
			// A read, whatever the verb: safe to repeat after a 5xx.
			idempotent: true,
			itemIndex: options.itemIndex,
		});
		entities.push(...resourcesOf(body));
	}
	return entities;
}
