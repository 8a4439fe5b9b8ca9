import { createServer, type AddressInfo, type IncomingMessage, type Server, type ServerResponse } from './nodeHttp';
import { ApiError, parseBody, readBody, type ApiRequest } from './request';
import { errorEnvelope, metaOnly, STREAMED, type Reply } from './envelope';
import type { Router } from './router';
import type { Faults } from './faults';
import type { RateLimiter } from './rateLimit';
import type { OAuthServer } from './oauth';
import type { RequestLog } from './requestLog';
import { delay } from './timers';

export interface ServerParts {
	api: Router;
	/** /_simulator/* endpoints: no auth, no faults, no rate limit, not logged. */
	control: Router;
	faults: Faults;
	rateLimiter: RateLimiter;
	oauth: OAuthServer;
	log: RequestLog;
	nextTraceId: () => string;
}

const CONTROL_PREFIX = '/_simulator';

export function createApiServer(parts: ServerParts): Server {
	return createServer((req, res) => {
		handle(parts, req, res).catch((error) => {
			if (!res.headersSent) {
				res.writeHead(500, { 'Content-Type': 'application/json' });
				res.end(JSON.stringify({ errors: [{ code: 500, message: String(error) }] }));
			} else {
				res.destroy();
			}
		});
	});
}

export function listen(server: Server, host: string, port: number): Promise<string> {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			const address = server.address() as AddressInfo;
			const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
			resolve(`http://${shownHost}:${address.port}`);
		});
	});
}

async function handle(parts: ServerParts, req: IncomingMessage, res: ServerResponse): Promise<void> {
	const url = new URL(req.url ?? '/', 'http://simulator');
	const apiReq: ApiRequest = {
		method: (req.method ?? 'GET').toUpperCase(),
		path: url.pathname,
		query: url.searchParams,
		headers: req.headers,
		rawBody: Buffer.alloc(0),
		body: undefined,
		params: {},
		traceId: parts.nextTraceId(),
		startedAt: Date.now(),
		req,
		res,
	};
	const isControl = apiReq.path === CONTROL_PREFIX || apiReq.path.startsWith(`${CONTROL_PREFIX}/`);
	let reply: Reply | typeof STREAMED;
	try {
		apiReq.rawBody = await readBody(req);
		apiReq.body = parseBody(apiReq.rawBody, req.headers['content-type']);
		reply = isControl ? await dispatch(parts.control, apiReq, parts) : await serveApi(parts, apiReq);
	} catch (error) {
		reply = toErrorReply(apiReq, error);
	}
	if (reply !== STREAMED) write(parts, apiReq, reply, !isControl);
	if (!isControl) {
		parts.log.add({
			time: new Date(apiReq.startedAt).toISOString(),
			method: apiReq.method,
			path: apiReq.path,
			query: apiReq.query,
			body: apiReq.body,
			status: reply === STREAMED ? res.statusCode : reply.status,
			clientId: apiReq.auth?.clientId,
			memberCid: apiReq.auth?.memberCid,
			traceId: apiReq.traceId,
		});
	}
}

async function serveApi(parts: ServerParts, req: ApiRequest): Promise<Reply | typeof STREAMED> {
	if (parts.faults.latencyMs > 0) await delay(parts.faults.latencyMs);
	if (parts.faults.takeRateLimit() || !parts.rateLimiter.tryConsume()) {
		return {
			...metaOnly(req, 429, [{ code: 429, message: 'API rate limit exceeded.' }]),
			headers: { 'X-RateLimit-RetryAfter': String(parts.rateLimiter.retryAfterEpochSeconds()) },
		};
	}
	const fault = parts.faults.takeServerError(req.path);
	if (fault !== undefined) {
		// What the request did stands; only its answer is lost.
		if (fault.afterActing) await dispatch(parts.api, req, parts).catch(() => undefined);
		const message = fault.status === 403 ? 'access denied, authorization failed' : 'simulated server error (fault injection)';
		return errorEnvelope(req, fault.status, [{ code: fault.status, message }]);
	}
	return dispatch(parts.api, req, parts);
}

async function dispatch(router: Router, req: ApiRequest, parts: ServerParts): Promise<Reply | typeof STREAMED> {
	const match = router.match(req.method, req.path);
	if (match === undefined) throw new ApiError(404, `no route for ${req.method} ${req.path}`);
	if (match === 'method') throw new ApiError(405, `method ${req.method} not allowed on ${req.path}`);
	req.params = match.params;
	if (match.route.auth === 'bearer') req.auth = parts.oauth.authenticate(req.headers.authorization);
	return match.route.handler(req);
}

function toErrorReply(req: ApiRequest, error: unknown): Reply {
	if (error instanceof ApiError) {
		return errorEnvelope(req, error.status, error.errors());
	}
	return errorEnvelope(req, 500, [{ code: 500, message: `internal simulator error: ${String(error)}` }]);
}

function write(parts: ServerParts, req: ApiRequest, reply: Reply, rateHeaders: boolean): void {
	const res = req.res;
	if (res.headersSent || res.destroyed) return;
	const headers: Record<string, string> = {
		...(rateHeaders ? standardHeaders(parts, req) : { 'X-CS-TRACEID': req.traceId, Date: falconDate(parts) }),
		...(reply.headers ?? {}),
	};
	if (reply.binary) {
		headers['Content-Type'] = reply.contentType ?? 'application/octet-stream';
		headers['Content-Length'] = String(reply.binary.length);
		res.writeHead(reply.status, headers);
		res.end(reply.binary);
		return;
	}
	if (reply.body === undefined) {
		res.writeHead(reply.status, headers);
		res.end();
		return;
	}
	const payload = Buffer.from(JSON.stringify(reply.body));
	headers['Content-Type'] = 'application/json';
	headers['Content-Length'] = String(payload.length);
	res.writeHead(reply.status, headers);
	res.end(payload);
}

/** Headers every API response carries; the feed handler writes its own response and uses this. */
export function standardHeaders(parts: Pick<ServerParts, 'rateLimiter' | 'faults'>, req: ApiRequest): Record<string, string> {
	return {
		Date: falconDate(parts),
		'X-CS-TRACEID': req.traceId,
		'X-RateLimit-Limit': String(parts.rateLimiter.limit),
		'X-RateLimit-Remaining': String(parts.rateLimiter.remaining()),
	};
}

/** The `Date` header on Falcon's clock (Node would send this machine's). */
function falconDate(parts: Pick<ServerParts, 'faults'>): string {
	return new Date(parts.faults.falconNow()).toUTCString();
}
