import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { FalconResponse } from '../transport/envelope';
import { falconRequest, type FalconRequest } from '../transport/falconRequest';
import { refusedIds } from '../transport/refusedIds';
import { toList } from './rules';

/**
 * A call on several IDs (a DELETE, an update, a read by IDs) that Falcon refused whole because some of them are
 * unknown (deleted already by someone, a re-run): it is sent again without them, as long as each refusal names more
 * unknown IDs (Falcon may name one per answer), and the answer carries the refusals' errors for the unknown ones, so
 * the operation's output reads each ID's outcome. `field` holds the IDs, in the query or the body. Undefined when the
 * first refusal names no ID of the call, or all of them: then it stands. A refusal is a 404, or one of `refusedWith`
 * whose every error names IDs of the call (a 400 may be about the whole call). A later 404 naming none of the IDs
 * sent again by a DELETE means they are gone (the call before deleted them after all, e.g. one whose answer a 5xx
 * lost), and by a read that none is there; an update it fails.
 */
export async function sendWithoutUnknownIds(
	this: IExecuteFunctions,
	request: FalconRequest,
	refusal: unknown,
	field: string,
	options: {
		/** For reads: the entities' id field. Entities a refusal carried are kept, and their IDs not asked again. */
		idField?: string;
		/** Statuses besides 404 that refuse unknown IDs. */
		refusedWith?: string[];
	} = {},
): Promise<FalconResponse | undefined> {
	const { idField } = options;
	const statuses = ['404', ...(options.refusedWith ?? [])];
	const read = (failure: unknown, asking: string[]) => {
		const refused = refusedIds(failure, asking, idField, statuses);
		const explained = refused?.status === '404' || (refused !== undefined && refused.unknown.size > 0 && !refused.unexplained);
		return explained ? refused : undefined;
	};
	const inQuery = request.qs?.[field] !== undefined;
	const given = inQuery ? request.qs?.[field] : (request.body as IDataObject | undefined)?.[field];
	const ids = toList(given);
	const first = read(refusal, ids);
	if (!first || first.unknown.size === 0 || ids.every((id) => first.unknown.has(id.toLowerCase()))) return undefined;
	const carried: IDataObject[] = [];
	const unknownErrors: IDataObject[] = [];
	for (let refused = first; ; ) {
		carried.push(...refused.carried);
		// A delete sent again and refused naming none of them: they are gone (the call before deleted them after all);
		// a read: none of them is there to read. An update refused so changed nothing.
		if (refused.unknown.size === 0) {
			if (request.method !== 'DELETE' && idField === undefined) throw refused.failure;
			return answeredWithout(refused.answer, carried, unknownErrors);
		}
		unknownErrors.push(...refused.unknownErrors);
		if (refused.rest.length === 0) return answeredWithout(refused.answer, carried, unknownErrors);
		const asking = refused.rest;
		// As given: a list, or one comma-separated value (`ids=a,b`).
		const value = Array.isArray(given) ? asking : asking.join(',');
		const again = inQuery
			? { ...request, qs: { ...request.qs, [field]: value } }
			: { ...request, body: { ...(request.body as IDataObject), [field]: value } };
		const outcome = await falconRequest.call(this, again).then(
			(response) => ({ response }),
			(error: unknown) => {
				const next = read(error, asking);
				if (!next) throw error;
				return { refused: next };
			},
		);
		if ('refused' in outcome) {
			refused = outcome.refused;
			continue;
		}
		const body = outcome.response.body as IDataObject;
		const resources = [...carried, ...((body.resources ?? []) as IDataObject[])];
		const errors = [...unknownErrors, ...((body.errors ?? []) as IDataObject[])];
		return { ...outcome.response, body: { ...body, ...(carried.length > 0 ? { resources } : {}), errors } } as FalconResponse;
	}
}

/** A 200 for what the call came to: the entities read, the errors of the IDs found unknown, the trace id. */
function answeredWithout(answer: IDataObject, carried: IDataObject[], errors: IDataObject[]): FalconResponse {
	const resources = carried.length > 0 ? { resources: carried } : {};
	return { statusCode: 200, headers: {}, body: { ...answer, ...resources, errors } } as unknown as FalconResponse;
}
