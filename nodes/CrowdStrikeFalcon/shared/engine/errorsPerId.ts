import type { IDataObject } from 'n8n-workflow';

/**
 * Falcon's `errors[]` of a call that acted on several IDs at once, per ID. An error names an ID in its `id` field,
 * or else in its message (some endpoints only write `token abc… not found`): it is that ID's alone. One naming none
 * of the call's IDs may concern any of them. A 2xx answer can carry such errors, and the IDs they name were not
 * acted on.
 */
export function errorsPerId(body: IDataObject, ids: string[]): (id: string) => IDataObject[] {
	const errors = (Array.isArray(body.errors) ? body.errors : []) as IDataObject[];
	const lowerIds = ids.map((id) => id.toLowerCase());
	const named = (error: IDataObject): string[] => {
		if (error.id) return [String(error.id).toLowerCase()];
		const message = String(error.message ?? '').toLowerCase();
		return lowerIds.filter((id) => message.includes(id));
	};
	const naming = errors.map((error) => ({ error, ids: named(error) }));
	return (id) => {
		const lower = id.toLowerCase();
		return naming.filter(({ ids: of }) => of.length === 0 || of.includes(lower)).map(({ error }) => error);
	};
}
