import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from './nodeHttp';

export interface AuthContext {
	clientId: string;
	/** The CID the bearer token acts on: the member CID it was minted for, or the client's own CID. */
	cid: string;
	memberCid?: string;
}

/** One API request after parsing; handed to every route handler. */
export interface ApiRequest {
	method: string;
	path: string;
	query: URLSearchParams;
	headers: IncomingHttpHeaders;
	rawBody: Buffer;
	body: unknown;
	params: Record<string, string>;
	traceId: string;
	startedAt: number;
	auth?: AuthContext;
	req: IncomingMessage;
	res: ServerResponse;
}

/** Thrown by handlers; the server turns it into the Falcon error envelope. */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly code: number = status,
		/** The full errors array, when it should carry more than `{code, message}` (ids, several entries). */
		readonly entries?: Array<{ code: number; message: string; id?: string }>,
	) {
		super(message);
	}

	errors(): Array<{ code: number; message: string; id?: string }> {
		return this.entries ?? [{ code: this.code, message: this.message }];
	}
}

export function readBody(req: IncomingMessage, limitBytes = 5 * 1024 * 1024): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > limitBytes) {
				reject(new ApiError(413, 'request body too large'));
				req.destroy();
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

/** JSON or form bodies become objects; anything else stays undefined (handlers that need a body say so). */
export function parseBody(raw: Buffer, contentType: string | undefined): unknown {
	if (raw.length === 0) return undefined;
	const text = raw.toString('utf8');
	if ((contentType ?? '').includes('application/x-www-form-urlencoded')) {
		return Object.fromEntries(new URLSearchParams(text));
	}
	const parsed = tryParseJson(text);
	if (parsed === INVALID_JSON) throw new ApiError(400, 'request body is not valid JSON');
	return parsed;
}

const INVALID_JSON = Symbol('invalid json');

function tryParseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return INVALID_JSON;
	}
}

/** Ids given as repeated keys (ids=a&ids=b), comma form (ids=a,b) or both. */
export function queryList(query: URLSearchParams, name: string): string[] {
	return query
		.getAll(name)
		.flatMap((v) => v.split(','))
		.map((v) => v.trim())
		.filter((v) => v.length > 0);
}

export function requireQuery(query: URLSearchParams, name: string): string {
	const value = query.get(name);
	if (value === null || value === '') throw new ApiError(400, `missing required query parameter '${name}'`);
	return value;
}

export function bodyObject(req: ApiRequest): Record<string, unknown> {
	const body = req.body;
	if (body === undefined) return {};
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		throw new ApiError(400, 'request body must be a JSON object');
	}
	return body as Record<string, unknown>;
}

export function optionalString(body: Record<string, unknown>, name: string): string | undefined {
	const value = body[name];
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string') throw new ApiError(400, `'${name}' must be a string`);
	return value;
}

export function requireString(body: Record<string, unknown>, name: string): string {
	const value = optionalString(body, name);
	if (value === undefined || value === '') throw new ApiError(400, `'${name}' is required`);
	return value;
}

export function optionalBoolean(body: Record<string, unknown>, name: string): boolean | undefined {
	const value = body[name];
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'boolean') throw new ApiError(400, `'${name}' must be a boolean`);
	return value;
}

export function optionalStringArray(body: Record<string, unknown>, name: string): string[] | undefined {
	const value = body[name];
	if (value === undefined || value === null) return undefined;
	if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
		throw new ApiError(400, `'${name}' must be an array of strings`);
	}
	return value as string[];
}
