import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { getEntitiesByIds } from '../transport/entities';
import type { FalconResponse } from '../transport/envelope';
import { errorsOf, resourcesOf } from '../transport/envelope';
import { falconRequest } from '../transport/falconRequest';
import { falconApiError } from '../transport/failures';
import { collectPages } from '../transport/pagination';
import { sendWithoutUnknownIds } from './withoutUnknownIds';
import { missingEntitiesError, refusedEntitiesError } from './missingEntities';
import { asBoolean, invalidParameter } from './parameters';
import type { PreparedRequest } from './request';
import { positiveInteger } from './rules';
import { steadyWalk } from './steadySort';
import type { FalconOperation, OperationOutput } from './types';

/** The default runner: one request (or its pages, then details), shaped by the declared output mode. */
export async function runDeclaredOperation(
	this: IExecuteFunctions,
	operation: FalconOperation,
	{ request, sent, keep }: PreparedRequest,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	let response: FalconResponse;
	let resources: IDataObject[];
	if (operation.paginate) {
		const limit = readLimit(this, itemIndex);
		const walk = steadyWalk(request, operation.paginate.steadySort, limit);
		const collected = await collectPages.call(this, walk.request, {
			limit,
			pageSize: operation.paginate.maxPageSize,
			style: operation.paginate.style,
			idField: operation.paginate.idField,
			// Pages of IDs are refined once their records are read.
			keep: operation.details ? undefined : (keep as (entry: unknown) => boolean),
		});
		response = { statusCode: 200, headers: {}, body: { resources: collected as IDataObject[] } };
		resources = operation.details
			? await getEntitiesByIds.call(this, operation.details.path, collected.map(String), {
					itemIndex,
					method: operation.details.method,
					idsField: operation.details.idsField,
					chunkSize: operation.details.chunkSize,
					orderBy: operation.details.idField ?? 'id',
					// Deleted between the query and this read: no longer there to list.
					skipMissing: true,
				})
			: resourcesOf(response.body);
		if (operation.details && keep) resources = resources.filter(keep);
		if (walk.order) resources.sort(walk.order);
	} else {
		try {
			response = await falconRequest.call(this, request);
		} catch (error) {
			// A read by IDs is asked again without the unknown ones too: the others are still there to read.
			const reads = operation.entitiesById && operation.idempotent ? operation.entitiesById : undefined;
			const apart = operation.actsOnKnownIdsApart ?? reads;
			const answered = apart
				? await sendWithoutUnknownIds.call(this, request, error, apart.sentAs, {
						idField: reads?.idField,
						refusedWith: operation.actsOnKnownIdsApart?.refusedWith,
					})
				: undefined;
			if (!answered) throw (operation.entitiesById && refusedEntitiesError.call(this, operation, error, sent, itemIndex)) || error;
			response = answered;
		}
		resources = resourcesOf(response.body).filter((resource) => !keep || keep(resource));
	}
	const mode = operation.output ?? 'resources';
	// A 2xx answer with errors and nothing else did not do what was asked: as items it would be none (or a success
	// made up by the output), and the input item would vanish without a trace. Operations that read such errors
	// themselves, per id or per host, say so.
	if (!operation.entitiesById && !operation.readsErrors && resources.length === 0 && errorsOf(response.body).length > 0) {
		throw falconApiError(
			this.getNode(),
			{ statusCode: response.statusCode, headers: response.headers, body: response.body, message: '' },
			{ method: request.method, path: request.path, itemIndex },
		);
	}
	const output: OperationOutput = { response, resources, sent };
	const json =
		mode === 'resources'
			? resources
			: mode === 'body'
				? [response.body as IDataObject]
				: mode(output);
	const { mapResource } = operation;
	const mapped = mapResource ? json.map((entry) => mapResource(entry)) : json;
	const items = mapped.map((entry) => ({ json: entry, pairedItem: { item: itemIndex } }));
	const missing = operation.entitiesById
		? missingEntitiesError.call(this, operation, response, sent, items, itemIndex)
		: undefined;
	if (missing) throw missing;
	return items;
}

/** `undefined` when Return All is on; otherwise the checked Limit. */
export function readLimit(context: IExecuteFunctions, itemIndex: number): number | undefined {
	const returnAll = asBoolean(context.getNodeParameter('returnAll', itemIndex, false));
	if (returnAll === true) return undefined;
	// "yes" from a sheet cell would otherwise read as off, and the listing stop at the Limit unnoticed.
	if (returnAll !== false && returnAll !== null && returnAll !== undefined) {
		throw invalidParameter(context, 'Return All', `must be true or false (got ${JSON.stringify(returnAll)})`, itemIndex);
	}
	const limit = context.getNodeParameter('limit', itemIndex, 50) as unknown;
	const problem = limit === '' || limit === null ? 'must not be empty' : positiveInteger(limit);
	if (problem) throw invalidParameter(context, 'Limit', problem, itemIndex);
	return Number(limit);
}
