import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { errorsOf, readFailures, resourcesOf, traceIdOf, type FalconEnvelope, type FalconResponse } from './envelope';
import { lowerCaseHeaders } from './headers';

/** What we could learn about a failed HTTP call, whatever layer (axios, n8n-core) wrapped it. */
export interface HttpFailure {
	statusCode?: number;
	headers: Record<string, string>;
	body: unknown;
	networkCode?: string;
	message: string;
}

export function describeHttpFailure(error: unknown): HttpFailure {
	const candidates = [error, (error as { cause?: unknown })?.cause];
	for (const candidate of candidates) {
		const response = (candidate as { response?: IDataObject })?.response;
		if (response && typeof response === 'object' && 'status' in response) {
			return {
				statusCode: Number(response.status),
				headers: lowerCaseHeaders(response.headers as IDataObject),
				body: parseBody(response.data),
				message: String((candidate as Error).message ?? ''),
			};
		}
	}
	const code = candidates
		.map((candidate) => (candidate as { code?: unknown })?.code)
		.find((value) => typeof value === 'string') as string | undefined;
	const innermost = candidates.filter((candidate) => candidate instanceof Error).pop() as Error | undefined;
	return {
		headers: {},
		body: undefined,
		networkCode: code,
		message: String(innermost?.message ?? error),
	};
}

/** Builds the error users see: Falcon's own code, message and trace id, never the request that carried the token. */
export function falconApiError(
	node: INode,
	failure: HttpFailure,
	context: { method: string; path: string; itemIndex?: number; hint?: string; message?: string },
): NodeApiError {
	const errors = errorsOf(failure.body);
	const traceId = traceIdOf(failure.body, failure.headers);
	const first = errors[0];
	const status = failure.statusCode;
	// A code that only repeats the status is left out ("403: 403: …"); one of Falcon's own (40401) says more.
	const falconMessage = errors
		.map((error) => (error.code !== undefined && Number(error.code) !== status ? `${error.code}: ${error.message}` : error.message))
		.filter(Boolean)
		.join('; ');
	const message = context.message
		? context.message
		: falconMessage
		? `Falcon API error${status ? ` ${status}` : ''}: ${falconMessage}`
		: status
			? `Falcon API error ${status} on ${context.method} ${context.path}`
			: failure.networkCode
				? `Could not reach the Falcon API (${failure.networkCode})`
				: scrubbed(failure.message);
	const description = [
		`${context.method} ${context.path}`,
		traceId ? `trace_id: ${traceId}` : undefined,
		// No envelope (a gateway's or proxy's page): its first words are all the user has to go on.
		falconMessage ? undefined : textExcerpt(failure.body),
		context.hint ?? redirectNotFollowed(status, failure.headers, "the credential's token"),
	]
		.filter(Boolean)
		.join(' | ');
	const details: JsonObject = {
		status: status ?? null,
		code: first?.code ?? null,
		message: falconMessage || message,
		trace_id: traceId ?? null,
		errors: errors as unknown as JsonObject[],
	};
	const error = new NodeApiError(node, details, {
		message,
		description,
		httpCode: status ? String(status) : undefined,
		itemIndex: context.itemIndex,
	});
	// NodeApiError overwrites the message for some status codes; Falcon's own words are more useful.
	error.message = message;
	const resources = failure.body && typeof failure.body === 'object' ? resourcesOf(failure.body as FalconEnvelope) : [];
	if (resources.length > 0) resourcesBeside.set(error, resources);
	return error;
}

/**
 * The failure of a 2xx answer to a read by IDs that left some out (`missing`) and carries a backend's error (a 5xx code
 * in `errors[]`): those IDs were not read, which is not "not found". Undefined when the answer says no such thing.
 */
export function unreadIdsError(
	node: INode,
	response: FalconResponse,
	missing: boolean,
	context: { method: string; path: string; itemIndex?: number },
): NodeApiError | undefined {
	if (!missing || readFailures(response.body).length === 0) return undefined;
	return falconApiError(node, { ...response, message: '' }, context);
}

/**
 * No request here follows a redirect: n8n would send the token it carries (for the token call, the client secret)
 * on to wherever the redirect points. For a 3xx, says so and where it pointed (without its query); else undefined.
 */
export function redirectNotFollowed(
	status: number | undefined,
	headers: Record<string, string>,
	carried: string,
): string | undefined {
	if (status === undefined || status < 300 || status > 399) return undefined;
	const target = headers.location?.split(/[?#]/)[0];
	return `Falcon answered with a redirect${target ? ` to ${target}` : ''}, which is not followed: it would carry ${carried} there. Check the credential's Cloud or Base URL, and any proxy in between`;
}

/** Entities a failed answer still carried (a Get by ids answered 404 with the ids it found), kept out of the error. */
const resourcesBeside = new WeakMap<NodeApiError, IDataObject[]>();

export function resourcesOfFailure(error: unknown): IDataObject[] {
	return (error instanceof NodeApiError && resourcesBeside.get(error)) || [];
}

/**
 * What a failed call's answer said, as an envelope (`meta.trace_id`, `resources`, `errors`), for calls whose failed
 * answers may still account for each ID (a 400 or 409 listing the hosts acted on and those refused).
 */
export function answerOfFailure(error: NodeApiError): FalconEnvelope {
	const details = error.errorResponse as IDataObject | undefined;
	return {
		meta: { trace_id: details?.trace_id as string | undefined },
		resources: resourcesOfFailure(error),
		errors: (details?.errors ?? []) as FalconEnvelope['errors'],
	};
}

/** Falcon bodies arrive parsed, as text or as bytes depending on the request; JSON is parsed, anything else kept. */
export function parseBody(data: unknown): unknown {
	if (typeof data === 'string') {
		try {
			return JSON.parse(data);
		} catch {
			return data;
		}
	}
	if (data instanceof Uint8Array) return parseBody(new TextDecoder().decode(data));
	return data;
}

/** A streamed body (a download's) read whole and parsed as parseBody does: Falcon's JSON envelope, or its text. */
export async function parseStreamBody(stream: AsyncIterable<Uint8Array | string>): Promise<unknown> {
	const decoder = new TextDecoder();
	let text = '';
	for await (const chunk of stream) text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
	return parseBody(text + decoder.decode());
}

/**
 * A call that failed as a whole, as the result of each host it carried: the HTTP status (`code`: 502 when an API call
 * got no answer; null when no API call failed: a hostname no host has, a cancelled run, a child's token endpoint out
 * of reach), the message and Falcon's trace id.
 */
export function perHostFailure(error: unknown): IDataObject {
	const details = (error as { errorResponse?: IDataObject })?.errorResponse;
	// A failure of the node's own (a hostname no host has, a cancelled run) has no HTTP status to give.
	const code = error instanceof NodeOperationError ? null : statusOfFailure(error);
	return { code, message: (error as Error).message, trace_id: details?.trace_id ?? null };
}

/** A host Falcon's answer left out (no session, no result): the same entry shape, with no trace id to quote. */
export function perHostGap(code: number, message: string): IDataObject {
	return { code, message, trace_id: null };
}

/** Failed calls Falcon may have carried out, as the transport saw them fail (see mayHaveActed). */
const mayHaveActedErrors = new WeakSet<Error>();

export function markMayHaveActed<E extends Error>(error: E): E {
	mayHaveActedErrors.add(error);
	return error;
}

/**
 * A failure Falcon, or a gateway before it, may have sent after carrying the call out: a 5xx, or a connection cut
 * once the request was out. A call that changes something is then not known to have failed (a tag added, a command
 * run). Not a refused connection, a name that did not resolve, nor a token that could not be had: nothing was sent.
 */
export function mayHaveActed(error: unknown): boolean {
	return error instanceof Error && mayHaveActedErrors.has(error);
}

/** The HTTP status Falcon answered a failed call with (e.g. 503), for per-host results; 502 when none came back. */
export function statusOfFailure(error: unknown): number {
	const status = Number((error as { httpCode?: unknown })?.httpCode);
	return Number.isInteger(status) && status > 0 ? status : 502;
}

/**
 * A NodeOperationError that keeps the message given. n8n swaps any message containing a system error code for its own
 * generic text: `ECONNRESET` in an outage report, but also `EPERM` inside a hostname ("SLEEPERMAN") or a value quoted
 * back to the user, and the host, field or tenant the message names is lost.
 */
export function operationError(
	node: INode,
	message: string,
	options?: ConstructorParameters<typeof NodeOperationError>[2],
): NodeOperationError {
	const error = new NodeOperationError(node, message, options);
	error.message = message;
	return error;
}

/**
 * A client library's message may quote the URL or the header it sent: query strings and `Bearer`/`Token`
 * credentials stay out of logs, health and errors.
 */
export function scrubbed(message: string): string {
	return message
		.replace(/(\w+:\/\/[^\s?#'"]*)[?#][^\s'"]*/g, '$1')
		.replace(/\b(Bearer|Token)(\s+)[\w.~+/=-]{20,}/gi, '$1$2[redacted]');
}

/** The start of an answer that is text, not Falcon's JSON envelope, on one line. */
export function textExcerpt(body: unknown): string | undefined {
	const text = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : undefined;
	const line = text?.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
	if (!line) return undefined;
	return `answer: "${scrubbed(line.length > 200 ? `${line.slice(0, 200)}…` : line)}"`;
}
