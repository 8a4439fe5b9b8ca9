import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { FalconResponse } from '../transport/envelope';
import { answerOfFailure } from '../transport/failures';
import { falconRequest, type FalconRequest } from '../transport/falconRequest';
import { idsNamedByErrors } from '../transport/errorsPerId';
import { toList } from './rules';

/**
 * A call on several IDs (a DELETE, a read by IDs) that Falcon refused whole (404) because some of them are unknown
 * (deleted already by someone, a re-run): it is sent again without them, as long as each refusal names more unknown
 * IDs (Falcon may name one per answer), and the answer carries the refusals' errors for the unknown ones, so the
 * operation's output reads each ID's outcome. `field` holds the IDs, in the query or the body. Undefined when the
 * first refusal names no ID of the call, or all of them: then it stands. A later 404 naming none of the IDs sent
 * again means they are gone (the call before deleted them after all, e.g. one whose answer a 5xx lost).
 */
export async function sendWithoutUnknownIds(
	this: IExecuteFunctions,
	request: FalconRequest,
	refusal: unknown,
	field: string,
	/** For reads: the entities' id field. Entities a refusal carried are kept, and their IDs not asked again. */
	idField?: string,
): Promise<FalconResponse | undefined> {
	if (!isNotFound(refusal)) return undefined;
	const inQuery = request.qs?.[field] !== undefined;
	const given = inQuery ? request.qs?.[field] : (request.body as IDataObject | undefined)?.[field];
	const ids = toList(given);
	const unknownErrors: IDataObject[] = [];
	const carried: IDataObject[] = [];
	let failure: NodeApiError = refusal;
	let asking = ids;
	for (;;) {
		const answer = answerOfFailure(failure);
		const naming = idsNamedByErrors(answer, asking).filter((entry) => entry.ids.length > 0);
		const unknown = new Set(naming.flatMap((entry) => entry.ids));
		const rest = asking.filter((id) => !unknown.has(id.toLowerCase()));
		if (asking === ids && (unknown.size === 0 || rest.length === 0)) return undefined;
		const found = idField ? (answer.resources as IDataObject[]) : [];
		carried.push(...found);
		// Sent again and refused naming none of them: they are gone (the call before deleted them after all).
		if (unknown.size === 0) return answeredWithout(answer, carried, unknownErrors);
		unknownErrors.push(...naming.map((entry) => entry.error));
		if (rest.length === 0) return answeredWithout(answer, carried, unknownErrors);
		const read = new Set(found.map((entity) => String(entity[idField!]).toLowerCase()));
		asking = rest.filter((id) => !read.has(id.toLowerCase()));
		if (asking.length === 0) return answeredWithout(answer, carried, unknownErrors);
		// As given: a list, or one comma-separated value (`ids=a,b`).
		const value = Array.isArray(given) ? asking : asking.join(',');
		const again = inQuery
			? { ...request, qs: { ...request.qs, [field]: value } }
			: { ...request, body: { ...(request.body as IDataObject), [field]: value } };
		const outcome = await falconRequest.call(this, again).then(
			(response) => ({ response }),
			(error: unknown) => {
				if (!isNotFound(error)) throw error;
				return { refused: error };
			},
		);
		if ('refused' in outcome) {
			failure = outcome.refused;
			continue;
		}
		const body = outcome.response.body as IDataObject;
		const resources = [...carried, ...((body.resources ?? []) as IDataObject[])];
		const errors = [...unknownErrors, ...((body.errors ?? []) as IDataObject[])];
		return { ...outcome.response, body: { ...body, ...(carried.length > 0 ? { resources } : {}), errors } } as FalconResponse;
	}
}

function isNotFound(error: unknown): error is NodeApiError {
	return error instanceof NodeApiError && error.httpCode === '404';
}

/** A 200 for what the call came to: the entities read, the errors of the IDs found unknown, the trace id. */
function answeredWithout(answer: IDataObject, carried: IDataObject[], errors: IDataObject[]): FalconResponse {
	const resources = carried.length > 0 ? { resources: carried } : {};
	return { statusCode: 200, headers: {}, body: { ...answer, ...resources, errors } } as unknown as FalconResponse;
}
