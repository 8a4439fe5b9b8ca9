import type {
	IDataObject,
	IHttpRequestMethods,
	IHttpRequestOptions,
	INode,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { sleep } from '../sleep';
import type { FalconEnvelope, FalconResponse } from './envelope';
import { describeHttpFailure, falconApiError, markMayHaveActed, parseStreamBody, scrubbed, type HttpFailure } from './failures';
import { heldOpenMs } from './goDuration';
import { lowerCaseHeaders } from './headers';
import { memberCidFor } from './memberCid';
import {
	CREDENTIAL_TENANT,
	requestAsMember,
	tokenRefusalOf,
	type MemberRequestContext,
} from './memberRequest';
import {
	isRetryableNetworkError,
	mayHaveBeenCarriedOut,
	rateLimitRetryAt,
	rateLimitWaitMs,
	retryPolicy,
	serverErrorBackoffMs,
} from './retryPolicy';
import { untilCancelled } from './untilCancelled';

/** Any n8n context that can make authenticated requests: execute, trigger, poll, load-options. */
export interface FalconContext extends MemberRequestContext {
	getNode(): INode;
	/** Read for the node's Member CID; contexts without it act on the credential's tenant. */
	getNodeParameter?: (...args: never[]) => unknown;
	getInputData?: unknown;
	/** The execution's cancel signal: every call and every wait between retries ends with it. */
	getExecutionCancelSignal?: () => AbortSignal | undefined;
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
	const options = toHttpOptions({ ...request, abortSignal });
	const idempotent = request.idempotent ?? ['GET', 'HEAD'].includes(request.method);
	// Flight Control (`/mssp/`) belongs to the parent API client: as a child it would list that child's own children.
	const parentOnly = pathOf(request.path).startsWith(PARENT_ONLY_PREFIX);
	// Checked before the first attempt: a malformed CID never reaches Falcon.
	const memberCid = parentOnly ? '' : memberCidFor(this, request.itemIndex, request.memberCid);
	let rateLimitRetries = 0;
	let serverErrorRetries = 0;
	let triedAndMayHaveActed = false;
	for (;;) {
		let response: { statusCode: number; headers: IDataObject; body: T };
		try {
			response = (await send(this, options, memberCid, request, parentOnly, abortSignal)) as {
				statusCode: number;
				headers: IDataObject;
				body: T;
			};
		} catch (error) {
			const refusal = tokenRefusalOf(error);
			if (refusal) throw refusal;
			// The raw error holds the request, bearer token included: only its message goes on.
			if (abortSignal?.aborted) {
				throw new NodeOperationError(this.getNode(), scrubbed(String((error as Error)?.message ?? error)));
			}
			const failure = await readFailureBody(describeHttpFailure(error));
			const context = { method: request.method, path: pathOf(request.path), itemIndex: request.itemIndex };
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
			if (failure.statusCode === 404 && request.method === 'DELETE' && triedAndMayHaveActed) {
				// One resource: the attempt that failed with a 5xx did delete it, so what the caller asked for is done.
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
				triedAndMayHaveActed ||= mayHaveBeenCarriedOut(failure);
				continue;
			}
			const failed = falconApiError(this.getNode(), failure, context);
			throw triedAndMayHaveActed || mayHaveBeenCarriedOut(failure) ? markMayHaveActed(failed) : failed;
		}
		const headers = lowerCaseHeaders(response.headers);
		const body = normaliseBody(response.body, request.encoding);
		if (body === NOT_JSON) {
			// A proxy's login page, a gateway's notice: read as an empty answer, the item would vanish without a trace. Not
			// Falcon's answer, its status says nothing of what Falcon did: it is given none (as a dropped connection).
			throw falconApiError(this.getNode(), { headers, body: response.body, message: '' }, {
				method: request.method,
				path: pathOf(request.path),
				itemIndex: request.itemIndex,
				message: `The Falcon API answered ${request.method} ${pathOf(request.path)} with ${headers['content-type'] || 'text'}, not JSON (HTTP ${response.statusCode})`,
				hint: 'A proxy or gateway between n8n and Falcon may have answered instead of Falcon',
			});
		}
		return { statusCode: response.statusCode, headers, body: body as T };
	}
}

const PARENT_ONLY_PREFIX = '/mssp/';
const CLEAN_UP_TIMEOUT_MS = 15_000;
/** Beyond the wait Falcon was asked for, for its answer to arrive. */
const ANSWER_MARGIN_MS = 60_000;

/**
 * Every call goes on a token from the transport's cache (see memberTokens): one per API client and tenant in this
 * process, asked for by one caller while the others wait, and renewed before it expires. n8n's own handling of the
 * credential's token would let a call fail (401) first, once for every call under way, and a Stop would abort a
 * clean-up call with the execution. The tenant is the call's member CID; a parent-only call's is the API client's
 * own (''); any other call's is the credential's Member CID, if it names one.
 */
async function send(
	context: FalconContext,
	options: IHttpRequestOptions,
	memberCid: string,
	{ itemIndex }: FalconRequest,
	parentOnly: boolean,
	abortSignal: AbortSignal | undefined,
): Promise<unknown> {
	const tenant = memberCid || parentOnly ? memberCid : CREDENTIAL_TENANT;
	// A token request waits out 429s and takes no signal: a cancelled execution stops waiting for it at once.
	return await untilCancelled(requestAsMember(context, tenant, options, itemIndex), abortSignal);
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

const NOT_JSON = Symbol('not JSON');

/** Falcon's JSON as an object (an empty answer, a 204, as `{}`); NOT_JSON for text that is not JSON. */
function normaliseBody(body: unknown, encoding: FalconRequest['encoding']): unknown {
	if (encoding) return body;
	if (typeof body === 'string') {
		if (body.trim() === '') return {};
		try {
			return JSON.parse(body);
		} catch {
			return NOT_JSON;
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
