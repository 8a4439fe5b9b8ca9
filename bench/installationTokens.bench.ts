import type { IDataObject } from 'n8n-workflow';

import { startSimulator, type RunningSimulator } from '../simulator';
import { TestCredentialsHelper } from '../test/harness/credentials';
import { runNode } from '../test/harness/runWorkflow';
import { printReport, record } from './report';

const NODE = 'n8n-nodes-crowdstrike-falcon.crowdStrikeFalconInstallationTokens';
const TOKEN_COUNT = 1200;

let sim: RunningSimulator;

beforeAll(async () => {
	sim = await startSimulator({ seed: 11, seedInstallationTokens: false, rateLimitPerMinute: 100000 });
});

afterAll(async () => {
	printReport(`Installation Tokens against the simulator (${new Date().toISOString()})`);
	await sim.close();
});

function credentials(): TestCredentialsHelper {
	return new TestCredentialsHelper({ cloud: 'custom', baseUrl: sim.url, clientId: sim.clientId, clientSecret: sim.clientSecret });
}

function apiRequests(since: number) {
	return sim.state().requests.slice(since).filter((request) => request.path !== '/oauth2/token');
}

async function bearer(): Promise<Record<string, string>> {
	const response = await fetch(`${sim.url}/oauth2/token`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ client_id: sim.clientId, client_secret: sim.clientSecret }),
	});
	const { access_token } = (await response.json()) as IDataObject;
	return { authorization: `Bearer ${String(access_token)}`, 'content-type': 'application/json' };
}

it('token reuse: one token for many executions and items', async () => {
	const helper = credentials();
	const before = sim.state().tokensIssued.length;
	const since = sim.state().requests.length;
	const executions = 20;
	const itemsPerExecution = 5;
	for (let n = 0; n < executions; n++) {
		const result = await runNode(NODE, { resource: 'settings', operation: 'get' }, helper, {
			input: Array.from({ length: itemsPerExecution }, () => ({ json: {} })),
		});
		expect(result.items).toHaveLength(itemsPerExecution);
	}
	const minted = sim.state().tokensIssued.length - before;
	record('token reuse', 'executions x items', executions * itemsPerExecution);
	record('token reuse', 'tokens minted', minted, 'one per credential');
	record('token reuse', 'API requests per item', apiRequests(since).length / (executions * itemsPerExecution));
	expect(minted).toBe(1);
});

it('Get Many: pages plus chunked detail reads instead of one request per token', async () => {
	const headers = await bearer();
	await fetch(`${sim.url}/installation-tokens/entities/customer-settings/v1`, {
		method: 'PATCH',
		headers,
		body: JSON.stringify({ max_active_tokens: TOKEN_COUNT * 2 }),
	});
	for (let start = 0; start < TOKEN_COUNT; start += 50) {
		await Promise.all(
			Array.from({ length: Math.min(50, TOKEN_COUNT - start) }, (_, n) =>
				fetch(`${sim.url}/installation-tokens/entities/tokens/v1`, {
					method: 'POST',
					headers,
					body: JSON.stringify({ label: `bench-${start + n}` }),
				}),
			),
		);
	}
	const since = sim.state().requests.length;
	const started = Date.now();
	const result = await runNode(NODE, { resource: 'token', operation: 'getAll', returnAll: true }, credentials());
	const elapsedMs = Date.now() - started;
	const requests = apiRequests(since);
	const pages = requests.filter((request) => request.path.includes('/queries/')).length;
	const detailReads = requests.filter((request) => request.path.includes('/entities/')).length;
	record('get many (return all)', 'tokens returned', result.items.length);
	record('get many (return all)', 'query pages', pages, 'limit 1000 per page');
	record('get many (return all)', 'detail requests', detailReads, '100 ids per request');
	record('get many (return all)', 'requests per token', requests.length / result.items.length, 'vs 1.0 for one read per token');
	record('get many (return all)', 'tokens per second', (result.items.length * 1000) / elapsedMs);
	expect(result.items).toHaveLength(TOKEN_COUNT);
	expect(pages).toBe(Math.ceil(TOKEN_COUNT / 1000));
	expect(detailReads).toBe(Math.ceil(TOKEN_COUNT / 100));
});

it('engine overhead: a node execution against the same call made with fetch', async () => {
	const helper = credentials();
	const headers = await bearer();
	const rounds = 50;
	await runNode(NODE, { resource: 'settings', operation: 'get' }, helper);
	let started = Date.now();
	for (let n = 0; n < rounds; n++) await runNode(NODE, { resource: 'settings', operation: 'get' }, helper);
	const viaNode = (Date.now() - started) / rounds;
	started = Date.now();
	for (let n = 0; n < rounds; n++) await (await fetch(`${sim.url}/installation-tokens/entities/customer-settings/v1`, { headers })).json();
	const viaFetch = (Date.now() - started) / rounds;
	record('engine overhead', 'ms per node execution', viaNode, 'whole n8n-core workflow run');
	record('engine overhead', 'ms per bare fetch', viaFetch);
	record('engine overhead', 'ratio node / fetch', viaNode / Math.max(viaFetch, 0.001));
	expect(viaNode).toBeGreaterThan(0);
});

it('rate limits: two seconds of 429s are waited out without failing items', async () => {
	const helper = credentials();
	await runNode(NODE, { resource: 'settings', operation: 'get' }, helper);
	const since = sim.state().requests.length;
	sim.setFaults({ rateLimitForMs: 2000 });
	const started = Date.now();
	const items = 10;
	const result = await runNode(NODE, { resource: 'settings', operation: 'get' }, helper, {
		input: Array.from({ length: items }, () => ({ json: {} })),
	});
	const elapsedMs = Date.now() - started;
	const requests = apiRequests(since);
	const limited = requests.filter((request) => request.status === 429).length;
	record('429 window', 'items', items);
	record('429 window', 'items failed', items - result.items.filter((item) => !item.json.error).length);
	record('429 window', '429 answers absorbed', limited);
	record('429 window', 'requests per item', requests.length / items, 'retries included');
	record('429 window', 'seconds to finish', elapsedMs / 1000, 'waits follow X-RateLimit-RetryAfter');
	expect(result.error).toBeUndefined();
});
