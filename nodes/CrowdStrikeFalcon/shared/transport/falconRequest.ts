import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	INode,
} from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from './credentialType';
import type { FalconEnvelope, FalconResponse } from './envelope';
import { describeHttpFailure, falconApiError, operationError, parseStreamBody, type HttpFailure } from './failures';
import { heldOpenMs } from './goDuration';
import { lowerCaseHeaders } from './headers';
import { credentialMemberCid, memberCidFor } from './memberCid';
import {
	credentialNamesChild,
	credentialsOf,
	requestAsMember,
	tokenRefusalOf,
	type MemberRequestContext,
} from './memberRequest';
import {
	isRetryableNetworkError,
	rateLimitRetryAt,
	rateLimitWaitMs,
	retryPolicy,
	serverErrorBackoffMs,
} from './retryPolicy';
import { FalconTokenError } from './tokenError';
import { untilCancelled } from './untilCancelled';

/** Any n8n context that can make authenticated requests: execute, trigger, poll, load-options. */
export interface FalconContext extends MemberRequestContext {
	getNode(): INode;
	/** Read for the node's Member CID; contexts without it act on the credential's tenant. */
	getNodeParameter?: (...args: never[]) => unknown;
	getInputData?: unknown;
	/** The execution's cancel signal (n8n adds it to authenticated requests only, not to a child's token calls). */
	getExecutionCancelSignal?: () => AbortSignal | undefined;
	helpers: MemberRequestContext['helpers'] & {
		httpRequestWithAuthentication: IExecuteFunctions['helpers']['httpRequestWithAuthentication'];
	};
}

export interface FalconRequest {
	method: IHttpRequestMethods;
	/** Path on the API host (the credential supplies the host), or an absolute URL Falcon handed us. */
	path: string;
	qs?: IDataObject;
	body?: IDataObject | IDataObject[];
	headers?: Record<string, string>;
	/** Safe to repeat after a 5xx; defaults to true for GET and HEAD only. A repeated DELETE that finds nothing succeeds. */
	idempotent?: boolean;
	/** `stream` or `arraybuffer` for file downloads; JSON otherwise. */
	encoding?: 'stream' | 'arraybuffer';
	abortSignal?: AbortSignal;
	/**
	 * A clean-up that must be sent even after the execution was cancelled (an RTR session's DELETE): it gets its own
	 * short timeout instead of the execution's signal, and then goes on a token of the transport's own, since n8n
	 * ties every authenticated request to the execution.
	 */
	outlivesCancel?: boolean;
	/** The input item the call is for: its Member CID picks the tenant (default: the item being run). */
	itemIndex?: number;
	/**
	 * The child tenant to act on, for callers that know it without an item (e.g. a trigger following several
	 * children). Overrides the node's Member CID; '' is the credential's own tenant.
	 */
	memberCid?: string;
}

export interface RawFalconResponse<T = FalconEnvelope> {
	statusCode: number;
	headers: Record<string, string>;
	body: T;
}

/** The one place that talks HTTP to the Falcon API: auth, rate limits, retries and Falcon's error envelope. */
export async function falconRequest(this: FalconContext, request: FalconRequest): Promise<FalconResponse> {
	const response = await falconRawRequest.call(this, request);
	return response as FalconResponse;
}

/** As {@link falconRequest}, but the body is returned as received (a stream or buffer for downloads). */
export async function falconRawRequest<T = FalconEnvelope>(
	this: FalconContext,
	request: FalconRequest,
): Promise<RawFalconResponse<T>> {
	// A cancelled execution ends every call and every wait between retries, as a child (member CID) too.
	const abortSignal = request.outlivesCancel
		? AbortSignal.timeout(CLEAN_UP_TIMEOUT_MS)
		: (request.abortSignal ?? this.getExecutionCancelSignal?.());
	const idempotent = request.idempotent ?? ['GET', 'HEAD'].includes(request.method);
	// Flight Control (`/mssp/`) belongs to the parent API client: as a child it would list that child's own children.
	const parentOnly = pathOf(request.path).startsWith(PARENT_ONLY_PREFIX);
	// Checked before the first attempt: a malformed CID never reaches Falcon.
	const memberCid = parentOnly ? '' : memberCidFor(this, request.itemIndex, request.memberCid);
	let rateLimitRetries = 0;
	let serverErrorRetries = 0;
	let repeatedAfterStop = false;
	for (;;) {
		try {
			// Options of its own for each attempt: n8n's authenticated request puts the execution's cancel signal into
			// the options it is given, and a clean-up repeated after a Stop would go out already aborted.
			const options = toHttpOptions({ ...request, abortSignal });
			const response = (await send(this, options, memberCid, request, parentOnly, abortSignal)) as {
				statusCode: number;
				headers: IDataObject;
				body: T;
			};
			return {
				statusCode: response.statusCode,
				headers: lowerCaseHeaders(response.headers),
				body: normaliseBody(response.body, request.encoding) as T,
			};
		} catch (error) {
			const refusal = tokenRefusalOf(error);
			if (refusal) throw refusal;
			const untokened = tokenNeverIssued(error);
			if (untokened) {
				throw operationError(this.getNode(), untokened.message, {
					itemIndex: request.itemIndex,
					description: untokened.unreachable
						? "Falcon's token endpoint could not be reached, after retries: no API call was made."
						: "Nothing was sent to Falcon: fix the credential's settings.",
				});
			}
			// The raw error holds the request, bearer token included: only its message goes on.
			if (abortSignal?.aborted) {
				throw new NodeOperationError(this.getNode(), String((error as Error)?.message ?? error));
			}
			const failure = await readFailureBody(describeHttpFailure(error));
			const context = { method: request.method, path: pathOf(request.path), itemIndex: request.itemIndex };
			// n8n aborts its authenticated requests with the execution: a clean-up under way when Stop was pressed is
			// sent once more, on a token of the node's own (see send).
			if (request.outlivesCancel && !repeatedAfterStop && this.getExecutionCancelSignal?.()?.aborted && failure.statusCode === undefined) {
				repeatedAfterStop = true;
				continue;
			}
			if (failure.statusCode === 429) {
				const waitMs = rateLimitWaitMs(failure.headers);
				if (rateLimitRetries >= retryPolicy.maxRateLimitRetries || waitMs > retryPolicy.maxRateLimitWaitMs) {
					throw falconApiError(this.getNode(), failure, {
						...context,
						hint: rateLimitHint(failure, rateLimitRetries, waitMs),
					});
				}
				rateLimitRetries++;
				await sleep(waitMs, abortSignal);
				continue;
			}
			if (failure.statusCode === 404 && request.method === 'DELETE' && (serverErrorRetries > 0 || repeatedAfterStop)) {
				// One resource: the attempt that failed (a 5xx, or cut off by a Stop) did delete it, so what the caller asked
				// for is done.
				// Several: the 404 may be for one that never existed, and the others' fate is unknown; say so.
				if (namedIds(request).length <= 1) {
					return { statusCode: 200, headers: failure.headers, body: { resources: [], errors: [] } as T };
				}
				throw falconApiError(this.getNode(), failure, {
					...context,
					hint: 'An earlier attempt of this delete failed with a server error and may have deleted some of these IDs; read them with Get and delete those that remain',
				});
			}
			const transient =
				(failure.statusCode !== undefined && failure.statusCode >= 500) ||
				(failure.statusCode === undefined && isRetryableNetworkError(failure.networkCode));
			if (transient && idempotent && serverErrorRetries < retryPolicy.maxServerErrorRetries) {
				await sleep(serverErrorBackoffMs(serverErrorRetries), abortSignal);
				serverErrorRetries++;
				continue;
			}
			throw falconApiError(this.getNode(), failure, context);
		}
	}
}

const PARENT_ONLY_PREFIX = '/mssp/';
const CLEAN_UP_TIMEOUT_MS = 15_000;
/** Beyond the wait Falcon was asked for, for its answer to arrive. */
const ANSWER_MARGIN_MS = 60_000;

/**
 * The credential's own tenant through n8n's authentication; a member CID with a token minted for it; a parent-only
 * call, when the credential names a default child, with a token minted for the API client itself (''); a clean-up
 * after the execution was cancelled, with a token minted for the credential's own tenant.
 */
async function send(
	context: FalconContext,
	options: IHttpRequestOptions,
	memberCid: string,
	{ itemIndex, outlivesCancel }: FalconRequest,
	parentOnly: boolean,
	abortSignal: AbortSignal | undefined,
): Promise<unknown> {
	if (outlivesCancel && !memberCid && context.getExecutionCancelSignal?.()?.aborted) {
		const ownTenant = credentialMemberCid(await credentialsOf(context, itemIndex));
		return await requestAsMember(context, ownTenant, options, itemIndex);
	}
	// A token request (n8n's for the credential, ours for a child) waits out 429s and takes no signal: a cancelled
	// execution stops waiting for it at once.
	if (memberCid) return await untilCancelled(requestAsMember(context, memberCid, options, itemIndex), abortSignal);
	if (parentOnly && (await credentialNamesChild(context, itemIndex))) {
		return await untilCancelled(requestAsMember(context, '', options, itemIndex), abortSignal);
	}
	const { httpRequestWithAuthentication } = context.helpers;
	const sent = httpRequestWithAuthentication.call(context as IExecuteFunctions, CREDENTIAL_TYPE, options);
	return await untilCancelled(sent, abortSignal);
}

function toHttpOptions(request: FalconRequest): IHttpRequestOptions {
	const options: IHttpRequestOptions = {
		method: request.method,
		url: request.path,
		qs: request.qs,
		body: request.body,
		headers: { Accept: 'application/json', ...request.headers },
		arrayFormat: 'repeat',
		// A redirect would take the token with it (see redirectNotFollowed): a 3xx fails the call instead.
		disableFollowRedirect: true,
		returnFullResponse: true,
		json: request.encoding === undefined,
		abortSignal: request.abortSignal,
	};
	if (request.encoding) options.encoding = request.encoding;
	const heldOpen = heldOpenMs(request.qs);
	// n8n gives every request 300 s unless told otherwise, and Falcon may hold a call waiting for hosts that long:
	// cut at the same moment, a command Falcon ran on every host would be reported failed and its task ids lost.
	if (heldOpen !== undefined) options.timeout = heldOpen + ANSWER_MARGIN_MS;
	const emptyBody =
		request.body !== undefined && !Array.isArray(request.body) && Object.keys(request.body).length === 0;
	// n8n's request helper drops an empty object: send it as text, so Falcon gets the `{}` it expects.
	if (emptyBody) options.body = '{}';
	if ((request.body === undefined || emptyBody) && request.method !== 'GET' && request.method !== 'DELETE') {
		// Falcon rejects some body-less POSTs unless they declare JSON (gofalcon and FalconPy work around the same).
		options.headers = { ...options.headers, 'Content-Type': 'application/json' };
	}
	return options;
}

function normaliseBody(body: unknown, encoding: FalconRequest['encoding']): unknown {
	if (encoding) return body;
	if (typeof body === 'string') {
		if (body.trim() === '') return {};
		try {
			return JSON.parse(body);
		} catch {
			return { raw: body };
		}
	}
	return body ?? {};
}

async function readFailureBody(failure: HttpFailure): Promise<HttpFailure> {
	const body = failure.body as AsyncIterable<Uint8Array> | undefined;
	if (!body || typeof body !== 'object' || !(Symbol.asyncIterator in body)) return failure;
	// Downloads ask for a stream; when they fail, the stream holds Falcon's JSON error envelope.
	return { ...failure, body: await parseStreamBody(body) };
}

function rateLimitHint(failure: HttpFailure, retries: number, waitMs: number): string {
	const limit = failure.headers['x-ratelimit-limit'];
	const retryAt = rateLimitRetryAt(failure.headers);
	const when = retryAt === undefined ? 'unknown' : new Date(retryAt).toISOString();
	return `Rate limit${limit ? ` of ${limit} requests/minute` : ''} exceeded after ${retries} retr${retries === 1 ? 'y' : 'ies'}; Falcon allows the next call at ${when} (in ${Math.ceil(waitMs / 1000)} s)`;
}

/** The ids a request names in its query string (a list, or one comma-separated value). */
function namedIds(request: FalconRequest): string[] {
	const ids = request.qs?.ids;
	if (ids === undefined || ids === null || ids === '') return [];
	return (Array.isArray(ids) ? ids : String(ids).split(',')).filter((id) => String(id) !== '').map(String);
}

function pathOf(url: string): string {
	return url.replace(/^https?:\/\/[^/]+/, '').split('?')[0];
}

/**
 * The credential's own token that was never issued, Falcon having said nothing (settings that cannot ask for one, a
 * token endpoint out of reach): no API call was made, so it is no API error. n8n wraps it in one.
 */
function tokenNeverIssued(error: unknown): FalconTokenError | undefined {
	const found = [error, (error as { cause?: unknown })?.cause].find((candidate) => candidate instanceof FalconTokenError);
	return found instanceof FalconTokenError && found.falconStatus === undefined ? found : undefined;
}
