import type { INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { describeHttpFailure, redirectNotFollowed, scrubbed } from '../transport/failures';
import { isSettledTokenRefusal } from '../transport/memberRequest';

/**
 * A failure no reconnect can fix: the credential, the API client's scopes or the App ID are wrong. The trigger
 * reports these (n8n then deactivates it and retries activation with its own back-off); everything else is ridden
 * out with reconnects.
 */
export class StreamConfigurationError extends NodeOperationError {
	/** Falcon's own answer, when Falcon refused: its status, code, message and trace id. */
	falconError?: NodeApiError;

	constructor(node: INode, message: string, options?: ConstructorParameters<typeof NodeOperationError>[2]) {
		super(node, message, options);
		// As operationError: n8n would swap a message naming ECONNRESET (or EPERM in an App ID) for its own text.
		this.message = message;
	}
}

/**
 * For an operation's output: Falcon's refusal itself (status, code, trace id) with the stream's advice added to its
 * description; any other failure as it is.
 */
export function withFalconDetails(error: unknown): never {
	const falcon = error instanceof StreamConfigurationError ? error.falconError : undefined;
	if (!falcon) throw error;
	falcon.description = [falcon.description, (error as StreamConfigurationError).description].filter(Boolean).join(' | ');
	throw falcon;
}

export const SCOPE_HINT =
	'The API client needs the "Event streams: Read" scope (streaming:read). Add it in Falcon under Support and resources > API clients and keys.';

/** Whether a discovery failure is the user's to fix (rather than Falcon's or the network's). */
export function isConfigurationFailure(error: unknown): boolean {
	if (error instanceof StreamConfigurationError) return true;
	// No token for the credential's settings (a refused client, a region it cannot reach, a cloud mismatch): asking
	// again changes nothing. Nor does the credential's token endpoint answering with a redirect (a wrong Cloud or URL).
	if (isSettledTokenRefusal(error)) return true;
	if (/refused to issue a token \(HTTP 3\d\d\b/.test(String((error as Error)?.message ?? ''))) return true;
	const status = statusOf(error);
	// 401 survives the transport's one new token only when the client itself is rejected;
	// 403 is a missing scope; 400 on discovery is a bad App ID or format.
	return status === 400 || status === 401 || status === 403;
}

export function statusOf(error: unknown): number | undefined {
	if (error instanceof NodeApiError && error.httpCode) return Number(error.httpCode);
	return describeHttpFailure(error).statusCode;
}

/**
 * A short reason for logs and health: status, Falcon's message or the network code, never a token. Only strings are
 * used, never the error object (its request config holds the Authorization header), and URLs lose their query.
 */
export function describeStreamFailure(error: unknown): string {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return scrubbed(error.message);
	const failure = describeHttpFailure(error);
	const redirect = redirectNotFollowed(failure.statusCode, failure.headers, 'the session token');
	if (failure.statusCode) return `HTTP ${failure.statusCode}${redirect ? `: ${scrubbed(redirect)}` : ''}`;
	return scrubbed(failure.networkCode ?? failure.message ?? String(error));
}

