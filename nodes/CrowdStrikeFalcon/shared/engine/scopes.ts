import { NodeApiError } from 'n8n-workflow';

import { isTokenRefusal } from '../transport/memberRequest';

const NAMED = Symbol('scopesNamed');

/**
 * A 403 from Falcon means the API client lacks a scope; the error then says which one this operation needs,
 * keeping Falcon's own message and trace id. Other errors pass through unchanged, and so does a token refused
 * for a member CID (a 403 there means the child is not the client's).
 */
export function namingMissingScope<T>(error: T, scopes: string[]): T {
	if (!(error instanceof NodeApiError) || error.httpCode !== '403' || scopes.length === 0) return error;
	if (isTokenRefusal(error)) return error;
	const marked = error as NodeApiError & { [NAMED]?: true };
	if (marked[NAMED]) return error;
	marked[NAMED] = true;
	const names = scopes.map((scope) => `'${scope}'`).join(' and ');
	const needs = `This operation needs the API scope${scopes.length > 1 ? 's' : ''} ${names} on the API client`;
	error.message = `${needs}. ${error.message}`;
	error.description = [
		error.description,
		'Add the scope to the API client in the Falcon console (Support and resources > API clients and keys); the credential needs no change.',
	]
		.filter(Boolean)
		.join(' | ');
	return error;
}
