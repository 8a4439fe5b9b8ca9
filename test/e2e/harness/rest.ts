/** The editor's own REST API (/rest/...), used with the session cookie of a logged-in user. */
export class N8nRestClient {
	private constructor(
		private readonly baseUrl: string,
		private readonly cookie: string,
	) {}

	/** n8n allows 5 logins per minute per account: log in once per suite and reuse the client. */
	static async login(
		baseUrl: string,
		owner: { email: string; password: string },
	): Promise<N8nRestClient> {
		const response = await fetch(`${baseUrl}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }),
		});
		if (!response.ok)
			throw new Error(`Login failed: HTTP ${response.status} ${await response.text()}`);
		const cookie = response.headers
			.getSetCookie()
			.map((header) => header.split(';')[0])
			.join('; ');
		return new N8nRestClient(baseUrl, cookie);
	}

	/** A path outside /rest, e.g. /types/credentials.json (the editor's list of known types). */
	async getText(path: string): Promise<string> {
		const response = await fetch(`${this.baseUrl}${path}`, { headers: { cookie: this.cookie } });
		if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status}`);
		return await response.text();
	}

	async get<T>(path: string): Promise<T> {
		return await this.request<T>('GET', path);
	}

	async post<T>(path: string, body: unknown): Promise<T> {
		return await this.request<T>('POST', path, body);
	}

	/** Responses come wrapped as { data: ... }; this returns the inner value. */
	private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
		const response = await fetch(`${this.baseUrl}/rest${path}`, {
			method,
			headers: { cookie: this.cookie, 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`${method} /rest${path}: HTTP ${response.status} ${text}`);
		return (JSON.parse(text) as { data: T }).data;
	}
}
