import type { IDataObject } from 'n8n-workflow';

import { resourcesOf } from './envelope';
import { falconRequest, type FalconContext } from './falconRequest';
import { chunk, DEFAULT_IDS_PER_REQUEST } from './ids';

/** Reads entities by id (`GET path?ids=a&ids=b`) in URL-safe chunks, keeping the order Falcon returns. */
export async function getEntitiesByIds(
	this: FalconContext,
	path: string,
	ids: string[],
	options: { chunkSize?: number; itemIndex?: number } = {},
): Promise<IDataObject[]> {
	const entities: IDataObject[] = [];
	for (const idsChunk of chunk(ids, options.chunkSize ?? DEFAULT_IDS_PER_REQUEST)) {
		const { body } = await falconRequest.call(this, {
			method: 'GET',
			path,
			qs: { ids: idsChunk },
			itemIndex: options.itemIndex,
		});
		entities.push(...resourcesOf(body));
	}
	return entities;
}
