import type { RunningSimulator } from './simulator';

type Query = Record<string, string | number | string[]>;

export interface FalconBody<T = Record<string, unknown>> {
	meta: Record<string, unknown>;
	resources: T[];
	errors: Array<{ code: number; message: string }>;
}

/**
 * Reads the simulator's state through its own Falcon API: the independent oracle the e2e tests compare n8n's
 * results with (not the node's code, and not hard-coded expectations).
 */
export class FalconApi {
	private token: string | undefined;

	constructor(private readonly simulator: RunningSimulator) {}

	async get<T = Record<string, unknown>>(path: string, query: Query = {}): Promise<FalconBody<T>> {
		const url = new URL(path, this.simulator.url);
		for (const [key, value] of Object.entries(query)) {
			for (const item of Array.isArray(value) ? value : [value])
				url.searchParams.append(key, String(item));
		}
		const response = await fetch(url, {
			headers: { authorization: `Bearer ${await this.accessToken()}` },
		});
		return (await response.json()) as FalconBody<T>;
	}

	async post<T = Record<string, unknown>>(path: string, body: unknown): Promise<FalconBody<T>> {
		const response = await fetch(new URL(path, this.simulator.url), {
			method: 'POST',
			headers: { authorization: `Bearer ${await this.accessToken()}`, 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		return (await response.json()) as FalconBody<T>;
	}

	/** Query ids (one page of up to 1000), then their details: what a "Get Many" should return. */
	async list<T = Record<string, unknown>>(
		queryPath: string,
		entityPath: string,
		query: Query = {},
	): Promise<T[]> {
		const ids = (await this.get<string>(queryPath, { limit: 1000, ...query })).resources;
		if (ids.length === 0) return [];
		return (await this.get<T>(entityPath, { ids })).resources;
	}

	/** What Falcon's token endpoint says to a client with this secret: the message users should get to see. */
	async tokenErrorMessage(clientSecret: string): Promise<string> {
		const body = (await (await this.requestToken(clientSecret)).json()) as FalconBody;
		return body.errors[0].message;
	}

	private async accessToken(): Promise<string> {
		if (!this.token) {
			const response = await this.requestToken(this.simulator.clientSecret);
			this.token = ((await response.json()) as { access_token: string }).access_token;
		}
		return this.token;
	}

	private async requestToken(clientSecret: string): Promise<Response> {
		return await fetch(`${this.simulator.url}/oauth2/token`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				client_id: this.simulator.clientId,
				client_secret: clientSecret,
			}),
		});
	}
}
