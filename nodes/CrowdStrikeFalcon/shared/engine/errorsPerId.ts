import type { IDataObject } from 'n8n-workflow';

/**
 * Falcon's `errors[]` of a call that acted on several IDs at once, per ID: an error naming an ID is that ID's alone;
 * one naming none may concern any of them. A 2xx answer can carry such errors, and the IDs they name were not acted
 * on.
 */
export function errorsPerId(body: IDataObject): (id: string) => IDataObject[] {
	const errors = (Array.isArray(body.errors) ? body.errors : []) as IDataObject[];
	const unnamed = errors.filter((error) => !error.id);
	return (id) => [...errors.filter((error) => error.id && String(error.id).toLowerCase() === id.toLowerCase()), ...unnamed];
}
