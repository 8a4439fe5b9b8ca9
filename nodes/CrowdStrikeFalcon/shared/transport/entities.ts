import type { IDataObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { resourcesOf, type FalconEnvelope } from './envelope';
import { falconRequest, type FalconContext } from './falconRequest';
import { resourcesOfFailure } from './failures';
import { chunk, DEFAULT_IDS_PER_REQUEST } from './ids';

/**
 * Reads entities by id (`GET path?ids=a&ids=b`, or `POST path` with `{"ids": [...]}` for Falcon's `.../GET/v1`
 * and v2 details endpoints) in chunks, keeping the order Falcon returns.
 */
export async function getEntitiesByIds(
	this: FalconContext,
	path: string,
	ids: string[],
	options: {
		chunkSize?: number;
		itemIndex?: number;
		method?: 'GET' | 'POST';
		idsField?: string;
		/** The entity field holding its id: entities are then returned in the order of `ids` (a query's sort). */
		orderBy?: string;
		/**
		 * Falcon answers 404 when an id does not exist (with the entities it found, if any): read an answer whose
		 * errors all name ids as "those do not exist", keep what it found, and do not fail.
		 */
		skipMissing?: boolean;
	} = {},
): Promise<IDataObject[]> {
	const entities: IDataObject[] = [];
	for (const idsChunk of chunk(ids, options.chunkSize ?? DEFAULT_IDS_PER_REQUEST)) {
		const viaBody = options.method === 'POST';
		const { body } = await falconRequest
			.call(this, {
				method: viaBody ? 'POST' : 'GET',
				path,
				qs: viaBody ? undefined : { ids: idsChunk },
				body: viaBody ? { [options.idsField ?? 'ids']: idsChunk } : undefined,
				// A read, whatever the verb: safe to repeat after a 5xx.
				idempotent: true,
				itemIndex: options.itemIndex,
			})
			.catch((error: unknown) => {
				if (options.skipMissing && onlyMissingIds(error)) return { body: { resources: resourcesOfFailure(error) } as FalconEnvelope };
				throw error;
			});
		entities.push(...resourcesOf(body));
	}
	return options.orderBy ? inOrderOf(ids, entities, options.orderBy) : entities;
}

function onlyMissingIds(error: unknown): boolean {
	if (!(error instanceof NodeApiError) || error.httpCode !== '404') return false;
	const errors = ((error.errorResponse as IDataObject | undefined)?.errors ?? []) as IDataObject[];
	return errors.length > 0 && errors.every((entry) => typeof entry.id === 'string' && entry.id !== '');
}

/** Details endpoints need not answer in the order asked; a sorted query's order is what the user asked for. */
function inOrderOf(ids: string[], entities: IDataObject[], idField: string): IDataObject[] {
	const position = new Map(ids.map((id, index) => [id.toLowerCase(), index]));
	const rank = (entity: IDataObject) => position.get(String(entity[idField]).toLowerCase()) ?? ids.length;
	return entities
		.map((entity, index) => ({ entity, index }))
		.sort((a, b) => rank(a.entity) - rank(b.entity) || a.index - b.index)
		.map(({ entity }) => entity);
}
