import type { IDataObject } from 'n8n-workflow';

import { resourcesOf } from './envelope';
import { unreadIdsError } from './failures';
import { falconRequest, type FalconContext } from './falconRequest';
import { refusedIds } from './refusedIds';
import { chunk, DEFAULT_IDS_PER_REQUEST } from './ids';

/**
 * Reads entities by id (`GET path?ids=a&ids=b`, or `POST path` with `{"ids": [...]}` for Falcon's `.../GET/v1`
 * and v2 details endpoints) in chunks, keeping the order Falcon returns.
 */
export async function getEntitiesByIds(
	this: FalconContext,
	path: string,
	ids: string[],
	options: ReadOptions = {},
): Promise<IDataObject[]> {
	const entities: IDataObject[] = [];
	for (const idsChunk of chunk(ids, options.chunkSize ?? DEFAULT_IDS_PER_REQUEST)) {
		entities.push(...(await readIds(this, path, idsChunk, options)));
	}
	return options.orderBy ? inOrderOf(ids, entities, options.orderBy) : entities;
}

interface ReadOptions {
	chunkSize?: number;
	itemIndex?: number;
	method?: 'GET' | 'POST';
	idsField?: string;
	/** The entity field holding its id: entities are then returned in the order of `ids` (a query's sort). */
	orderBy?: string;
	/** The entity field holding its id, when the order does not matter (default: `orderBy`, else `id`). */
	idField?: string;
	/**
	 * Falcon answers 404 when an id does not exist: read an answer whose errors each name ids of the request as
	 * "those do not exist", and do not fail (see readIds).
	 */
	skipMissing?: boolean;
}

/**
 * One request's ids. With `skipMissing`, a 404 that names the ids it did not find gives the entities it carried
 * (if any), and the ids it neither named nor carried are asked again: Falcon may refuse a whole request for one
 * unknown id and return nothing else, and one deleted between a query and this read must not take the others
 * with it. Each answer names at least one more id, so this ends.
 */
async function readIds(context: FalconContext, path: string, ids: string[], options: ReadOptions): Promise<IDataObject[]> {
	const viaBody = options.method === 'POST';
	const idField = options.idField ?? options.orderBy ?? 'id';
	const found: IDataObject[] = [];
	let asking = ids;
	for (;;) {
		const outcome = await falconRequest
			.call(context, {
				method: viaBody ? 'POST' : 'GET',
				path,
				qs: viaBody ? undefined : { ids: asking },
				body: viaBody ? { [options.idsField ?? 'ids']: asking } : undefined,
				// A read, whatever the verb: safe to repeat after a 5xx.
				idempotent: true,
				itemIndex: options.itemIndex,
			})
			.then(
				(response) => {
					const entities = resourcesOf(response.body);
					const returned = new Set(entities.map((entity) => String(entity[idField]).toLowerCase()));
					// Unread, not missing: left out, a host would read as unknown and a containment go unsent.
					const missing = asking.some((id) => !returned.has(id.toLowerCase()));
					const unread = unreadIdsError(context.getNode(), response, missing, { method: viaBody ? 'POST' : 'GET', path, itemIndex: options.itemIndex });
					if (unread) throw unread;
					return { entities };
				},
				(error: unknown) => {
					const refused = options.skipMissing ? refusedIds(error, asking, idField) : undefined;
					// Only a refusal whose every error names IDs of this call says "those do not exist".
					if (!refused || refused.unknown.size === 0 || refused.unexplained) throw error;
					return { refused };
				},
			);
		if ('entities' in outcome) return [...found, ...outcome.entities];
		found.push(...outcome.refused.carried);
		asking = outcome.refused.rest;
		if (asking.length === 0) return found;
	}
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
