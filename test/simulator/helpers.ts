import { delay } from '../../simulator/timers';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../simulator';

export interface Client {
	sim: RunningSimulator;
	token: string;
	/** fetch against the simulator with the bearer token; JSON bodies are serialised. */
	call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
	json<T = Envelope>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T; headers: Headers }>;
}

/** Parsed JSON of any shape; tests assert on it field by field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface Envelope {
	meta: { query_time: number; trace_id: string; powered_by?: string; pagination?: { offset: number; limit: number; total: number } };
	resources: Json;
	errors: Array<{ code: number; message: string; id?: string }>;
	[key: string]: Json;
}

export async function requestToken(sim: RunningSimulator, extra: Record<string, string> = {}): Promise<Response> {
	return fetch(`${sim.url}/oauth2/token`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ client_id: sim.clientId, client_secret: sim.clientSecret, ...extra }).toString(),
	});
}

export async function connect(sim: RunningSimulator, extra: Record<string, string> = {}): Promise<Client> {
	const res = await requestToken(sim, extra);
	const token = ((await res.json()) as { access_token: string }).access_token;
	const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
		fetch(`${sim.url}${path}`, {
			method,
			headers: {
				Authorization: `Bearer ${token}`,
				...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
				...headers,
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
	return {
		sim,
		token,
		call,
		json: async (method, path, body) => {
			const res = await call(method, path, body);
			const text = await res.text();
			return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
		},
	};
}

export async function withSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
	return startSimulator({ seed: 7, ...options });
}

export const HEX32 = /^[0-9a-f]{32}$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function expectEnvelope(body: Envelope): void {
	expect(typeof body.meta.query_time).toBe('number');
	expect(body.meta.trace_id).toMatch(UUID);
	expect(Array.isArray(body.errors)).toBe(true);
}

export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 5000, intervalMs = 20): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error('waitFor: condition not met in time');
		await delay(intervalMs);
	}
}
