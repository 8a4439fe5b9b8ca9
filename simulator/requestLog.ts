export interface RequestLogEntry {
	time: string;
	method: string;
	path: string;
	query: Record<string, string | string[]>;
	/** Parsed body with secrets (client_secret, token, passwords) replaced by "***". */
	body?: unknown;
	status: number;
	clientId?: string;
	/** The member CID the request acted on, when the bearer token was minted for one. */
	memberCid?: string;
	traceId: string;
}

const SECRET_KEYS = /^(client_secret|token|access_token|password|secret)$/i;
const MAX_ENTRIES = 2000;

function redact(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(redact);
	if (value && typeof value === 'object') {
		return Object.fromEntries(
			Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_KEYS.test(k) ? '***' : redact(v)]),
		);
	}
	return value;
}

export function queryToObject(query: URLSearchParams): Record<string, string | string[]> {
	const out: Record<string, string | string[]> = {};
	for (const key of new Set(query.keys())) {
		const all = query.getAll(key);
		out[key] = all.length === 1 ? all[0] : all;
	}
	return out;
}

/** The last requests the simulator served, for tests to assert on what a client actually sent. */
export class RequestLog {
	private entries: RequestLogEntry[] = [];

	add(entry: Omit<RequestLogEntry, 'body' | 'query'> & { body?: unknown; query: URLSearchParams }): void {
		this.entries.push({ ...entry, query: queryToObject(entry.query), body: redact(entry.body) });
		if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
	}

	all(): RequestLogEntry[] {
		return this.entries.map((e) => ({ ...e }));
	}

	clear(): void {
		this.entries = [];
	}
}
