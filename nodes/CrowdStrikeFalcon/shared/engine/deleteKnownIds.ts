import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { FalconResponse } from '../transport/envelope';
import { answerOfFailure } from '../transport/failures';
import { falconRequest, type FalconRequest } from '../transport/falconRequest';
import { idsNamedByErrors } from './errorsPerId';
import { toList } from './rules';

/**
 * A DELETE of several IDs that Falcon refused whole (404) because some of them are unknown (deleted already by
 * someone, a re-run): the others are deleted with one more call, and the answer carries the refusal's errors for
 * the unknown ones, so the operation's output reads each ID's outcome. Undefined when the refusal names no ID of the
 * call, or all of them: then it stands. A 404 on the second call for IDs the first one named fine means they are
 * gone (the first call deleted them after all).
 */
export async function deleteKnownIds(
	this: IExecuteFunctions,
	request: FalconRequest,
	refusal: unknown,
): Promise<FalconResponse | undefined> {
	if (request.method !== 'DELETE' || !(refusal instanceof NodeApiError) || refusal.httpCode !== '404') return undefined;
	const ids = toList(request.qs?.ids);
	const naming = idsNamedByErrors(answerOfFailure(refusal), ids);
	const unknown = new Set(naming.flatMap((entry) => entry.ids));
	const rest = ids.filter((id) => !unknown.has(id.toLowerCase()));
	if (unknown.size === 0 || rest.length === 0) return undefined;
	const unknownErrors = naming.filter((entry) => entry.ids.length > 0).map((entry) => entry.error);
	const qs = { ...request.qs, ids: Array.isArray(request.qs?.ids) ? rest : rest.join(',') };
	const response = await falconRequest.call(this, { ...request, qs }).catch((error: unknown) => {
		if (!(error instanceof NodeApiError) || error.httpCode !== '404') throw error;
		return { statusCode: 200, headers: {}, body: { ...answerOfFailure(error), errors: [] } } as FalconResponse;
	});
	const body = response.body as IDataObject;
	const errors = [...unknownErrors, ...((body.errors ?? []) as IDataObject[])];
	return { ...response, body: { ...body, errors } } as FalconResponse;
}
