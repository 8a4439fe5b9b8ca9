import type { IDataObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { idsNamedByErrors } from './errorsPerId';
import { answerOfFailure } from './failures';

/** What Falcon's 404 to a call on several IDs says of the IDs it was asked. */
export interface RefusedIds {
	/** The refusal itself, and its HTTP status (`404`, or another the caller reads as a refusal of unknown IDs). */
	failure: NodeApiError;
	status: string;
	/** The refusal's body. */
	answer: IDataObject;
	/** The IDs its errors name as unknown (lower case), and those errors. */
	unknown: Set<string>;
	unknownErrors: IDataObject[];
	/** Some error names none of the IDs asked: it may concern any of them. */
	unexplained: boolean;
	/** Entities it still carried (a read by IDs). */
	carried: IDataObject[];
	/** The IDs asked that it neither named unknown nor carried: to ask again. */
	rest: string[];
}

/**
 * Reads a 404 (or another of `statuses`) for the IDs it refuses (undefined for any other failure). Falcon may refuse
 * a whole call for one unknown ID, and may name one per answer: callers send the rest again, each with their own
 * rule for a refusal that names none or all of them.
 */
export function refusedIds(failure: unknown, asking: string[], idField?: string, statuses = ['404']): RefusedIds | undefined {
	if (!(failure instanceof NodeApiError) || !statuses.includes(String(failure.httpCode))) return undefined;
	const answer = answerOfFailure(failure);
	const naming = idsNamedByErrors(answer, asking);
	const named = naming.filter((entry) => entry.ids.length > 0);
	const unknown = new Set(named.flatMap((entry) => entry.ids));
	const carried = idField && Array.isArray(answer.resources) ? (answer.resources as IDataObject[]) : [];
	const answered = new Set([...unknown, ...carried.map((entity) => String(entity[idField!]).toLowerCase())]);
	return {
		failure,
		status: String(failure.httpCode),
		answer,
		unknown,
		unknownErrors: named.map((entry) => entry.error),
		unexplained: named.length < naming.length,
		carried,
		rest: asking.filter((id) => !answered.has(id.toLowerCase())),
	};
}
