import type { IDataObject } from 'n8n-workflow';

/**
 * Falcon's `errors[]` of a call that acted on several IDs at once, per ID. An error names one of the call's IDs in
 * its `id` field, or else in its message (some endpoints only write `token abc… not found`): it is that ID's alone.
 * One naming none of the call's IDs may concern any of them. A 2xx answer can carry such errors, and the IDs they
 * name were not acted on.
 */
export function errorsPerId(body: IDataObject, ids: string[]): (id: string) => IDataObject[] {
	const naming = idsNamedByErrors(body, ids);
	return (id) => {
		const lower = id.toLowerCase();
		return naming.filter(({ ids: of }) => of.length === 0 || of.includes(lower)).map(({ error }) => error);
	};
}

/** Each of Falcon's `errors[]` with the call's IDs it names (lower case; none: it may concern any of them). */
export function idsNamedByErrors(body: IDataObject, ids: string[]): Array<{ error: IDataObject; ids: string[] }> {
	const errors = (Array.isArray(body.errors) ? body.errors : []) as IDataObject[];
	const callIds = ids.map((id) => ({ id: id.toLowerCase(), inText: wholeIn(id) }));
	const named = (error: IDataObject): string[] => {
		const field = String(error.id ?? '').toLowerCase();
		if (callIds.some(({ id }) => id === field)) return [field];
		const message = String(error.message ?? '');
		return callIds.filter(({ inText }) => inText.test(message)).map(({ id }) => id);
	};
	return errors.map((error) => ({ error, ids: named(error) }));
}

/**
 * The ID as a word of a text: not part of a longer ID (`…:123-4-56` is not in `…:123-4-567`, `aid` not in
 * `cid:aid`), but followed by punctuation (`device abc: offline`).
 */
function wholeIn(id: string): RegExp {
	const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	return new RegExp(`(?<![\\w-]|\\w:)${escaped}(?![\\w-]|:\\w)`, 'i');
}
