import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { errorsOf, traceIdOf, type FalconResponse } from '../transport/envelope';
import { falconApiError } from '../transport/failures';
import { withPartialOutput } from './partialOutput';
import type { FalconOperation } from './types';

const NAMED_IN_MESSAGE = 10;

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
	const { sentAs, idField, what } = operation.entitiesById!;
	const returned = new Set(found.map((item) => String(item.json[idField] ?? '').toLowerCase()));
	const requested = [...new Set((sent[sentAs] as unknown[] | undefined ?? []).map(String))];
	const missing = requested.filter((id) => !returned.has(id.toLowerCase()));
	if (missing.length === 0) return undefined;
	const falconErrors = errorsOf(response.body);
	const errors = missing.map(
		(id) =>
			falconErrors.find((error) => error.id === id || String(error.message ?? '').includes(id)) ?? {
				code: 404,
				id,
				message: `not found: ${id}`,
			},
	);
	const error = falconApiError(
		this.getNode(),
		{
			statusCode: 404,
			headers: response.headers,
			body: { errors, meta: { trace_id: traceIdOf(response.body, response.headers) } },
			message: '',
		},
		{
			method: operation.method,
			path: operation.path,
			itemIndex,
			hint: `Falcon returned the other ${found.length} of ${requested.length}; with Continue On Fail they are output beside this error.`,
		},
	);
	const named = missing.slice(0, NAMED_IN_MESSAGE).join(', ');
	const more = missing.length > NAMED_IN_MESSAGE ? ` and ${missing.length - NAMED_IN_MESSAGE} more (see errors)` : '';
	error.message = `${missing.length} of ${requested.length} ${what} not found: ${named}${more}`;
	return withPartialOutput(error, found);
}
