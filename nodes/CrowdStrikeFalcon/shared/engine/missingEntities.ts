import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { errorsOf, traceIdOf, type FalconError, type FalconResponse } from '../transport/envelope';
import { falconApiError, resourcesOfFailure, unreadIdsError } from '../transport/failures';
import { withPartialOutput } from './partialOutput';
import { toList } from './rules';
import type { FalconOperation } from './types';

const NAMED_IN_MESSAGE = 10;

interface Answer {
	found: INodeExecutionData[];
	falconErrors: FalconError[];
	traceId?: string;
	headers: Record<string, string>;
	/** Falcon answered 404: it returned none of the ids, so only those its errors name are known to be missing. */
	refused: boolean;
}

/**
 * A Get by ids answers 200 with the entities it found, and the others at most as `errors[]` entries; that alone
 * would drop an id silently. Every id sent and not returned fails the item as a 404 naming it, carrying the items
 * that were found (Continue On Fail outputs both). Undefined when every id came back.
 */
export function missingEntitiesError(
	this: IExecuteFunctions,
	operation: FalconOperation,
	response: FalconResponse,
	sent: IDataObject,
	found: INodeExecutionData[],
	itemIndex: number,
): Error | undefined {
	// Falcon failed to read some (a 500 in a 200's errors): they are not "not found".
	const missing = found.length < new Set(toList(sent[operation.entitiesById!.sentAs])).size;
	const unread = unreadIdsError(this.getNode(), response, missing, { method: operation.method, path: operation.path, itemIndex });
	if (unread) return withPartialOutput(unread, found);
	const answer: Answer = {
		found,
		falconErrors: errorsOf(response.body),
		traceId: traceIdOf(response.body, response.headers),
		headers: response.headers,
		refused: false,
	};
	return notFoundError.call(this, operation, answer, sent, itemIndex);
}

/** Falcon's 404 to a Get by ids, worded as when it answers 200 with some missing: the ids it names. */
export function refusedEntitiesError(
	this: IExecuteFunctions,
	operation: FalconOperation,
	error: unknown,
	sent: IDataObject,
	itemIndex: number,
): Error | undefined {
	if (!(error instanceof NodeApiError) || error.httpCode !== '404') return undefined;
	const details = (error.errorResponse ?? {}) as IDataObject;
	// The ids Falcon found may come with its 404: they go out beside the error, as with a 200 that misses some.
	const { mapResource } = operation;
	const found = resourcesOfFailure(error).map((entity) => ({
		json: mapResource ? mapResource(entity) : entity,
		pairedItem: { item: itemIndex },
	}));
	const answer: Answer = {
		found,
		falconErrors: Array.isArray(details.errors) ? (details.errors as FalconError[]) : [],
		traceId: typeof details.trace_id === 'string' ? details.trace_id : undefined,
		headers: {},
		refused: found.length === 0,
	};
	return notFoundError.call(this, operation, answer, sent, itemIndex);
}

function notFoundError(
	this: IExecuteFunctions,
	operation: FalconOperation,
	answer: Answer,
	sent: IDataObject,
	itemIndex: number,
): Error | undefined {
	const { sentAs, idField, what } = operation.entitiesById!;
	// A list, or one comma-separated query value (`ids=a,b`).
	const requested = [...new Set(toList(sent[sentAs]))];
	const returned = new Set(answer.found.map((item) => String(item.json[idField] ?? '').toLowerCase()));
	const namedByFalcon = (id: string) =>
		answer.falconErrors.find((entry) => entry.id === id || String(entry.message ?? '').includes(id));
	let missing = requested.filter((id) => !returned.has(id.toLowerCase()));
	if (answer.refused && missing.some(namedByFalcon)) missing = missing.filter(namedByFalcon);
	if (missing.length === 0) return undefined;
	const errors = missing.map((id) => namedByFalcon(id) ?? { code: 404, id, message: `not found: ${id}` });
	const hint = answer.refused
		? operation.idempotent
			? `Falcon answered 404 and returned none of the ${requested.length}.`
			: `Falcon answered 404 and changed none of the ${requested.length}: send it again without the IDs not found.`
		: answer.found.length > 0
			? `Falcon returned the other ${answer.found.length} of ${requested.length}; with Continue On Fail they are output beside this error.`
			: undefined;
	const error = falconApiError(
		this.getNode(),
		{
			statusCode: 404,
			headers: answer.headers,
			body: { errors, meta: { trace_id: answer.traceId } },
			message: '',
		},
		{ method: operation.method, path: operation.path, itemIndex, hint },
	);
	const named = missing.slice(0, NAMED_IN_MESSAGE).join(', ');
	const more = missing.length > NAMED_IN_MESSAGE ? ` and ${missing.length - NAMED_IN_MESSAGE} more (see errors)` : '';
	error.message = `${missing.length} of ${requested.length} ${what} not found: ${named}${more}`;
	return withPartialOutput(error, answer.found);
}
