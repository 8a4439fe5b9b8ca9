import nock from 'nock';

import { retryPolicy } from '../../../nodes/CrowdStrikeFalcon/shared/transport/retryPolicy';
import { API, CLIENT_SECRET, envelope, falconErrors, mockToken, testCredentials } from '../../harness/falcon';
import { runNode } from '../../harness/runWorkflow';

const NODE = 'n8n-nodes-crowdstrike-falcon.crowdStrikeFalconInstallationTokens';
const SETTINGS = '/installation-tokens/entities/customer-settings/v1';
const ENTITIES_PATH = '/installation-tokens/entities/tokens/v1';
const getSettings = { resource: 'settings', operation: 'get' };
const nowSeconds = () => Math.floor(Date.now() / 1000);

async function runSettings(options: { continueOnFail?: boolean | 'errorOutput' } = {}) {
	mockToken();
	return await runNode(NODE, getSettings, testCredentials(), options);
}

describe('Falcon errors become NodeApiError with code, message and trace_id', () => {
	it.each([
		[400, 400, 'Invalid sort field', ''],
		[403, 403, 'access denied, authorization failed', "This operation needs the API scope 'Installation tokens: Read' on the API client. "],
		[404, 40401, 'Could not find resource', ''],
	])('HTTP %i', async (status, code, message, scopeHint) => {
		nock(API).get(SETTINGS).reply(status, falconErrors(code, message, `trace-${status}`));
		const { error } = await runSettings();
		expect(error?.name).toBe('NodeApiError');
		// Falcon's code is named when it says more than the status.
		expect(error?.message).toBe(`${scopeHint}Falcon API error ${status}: ${code === status ? '' : `${code}: `}${message}`);
		expect(error?.description).toContain(`trace_id: trace-${status}`);
		expect(error?.description).toContain(`GET ${SETTINGS}`);
		expect(error?.httpCode).toBe(String(status));
	});

	it('reads the trace id from X-CS-TRACEID when the body has none', async () => {
		nock(API).get(SETTINGS).reply(403, { errors: [{ code: 403, message: 'denied' }] }, { 'X-CS-TRACEID': 'hdr-trace' });
		const { error } = await runSettings();
		expect(error?.description).toContain('trace_id: hdr-trace');
	});

	it('with continueOnFail the item carries the error, Falcon code and trace id, paired to its input', async () => {
		nock(API).get(SETTINGS).reply(400, falconErrors(400, 'bad request', 'trace-cof'));
		const { items, error } = await runSettings({ continueOnFail: true });
		expect(error).toBeUndefined();
		expect(items).toEqual([
			{
				json: expect.objectContaining({
					error: 'Falcon API error 400: bad request',
					http_status: 400,
					code: 400,
					trace_id: 'trace-cof',
				}),
				pairedItem: { item: 0 },
			},
		]);
	});

	// n8n routes an item to the error output only when its json holds nothing but error, message and details.
	it.each([
		[
			'a Falcon failure',
			getSettings,
			(): unknown => nock(API).get(SETTINGS).reply(400, falconErrors(400, 'bad request', 'trace-eo')),
			{ error: 'Falcon API error 400: bad request', details: expect.objectContaining({ http_status: 400, code: 400, trace_id: 'trace-eo' }) },
		],
		[
			'bad input',
			{ resource: 'settings', operation: 'update', updateFields: { maxActiveTokens: -1 } },
			(): unknown => undefined,
			{
				error: expect.stringContaining('Invalid "Update Fields > Max Active Tokens"'),
				details: { description: expect.stringContaining('Nothing was sent to Falcon') },
			},
		],
	])('with On Error → Continue (using error output), %s goes to the error output', async (_, parameters, reply, errorFields) => {
		reply();
		mockToken();
		const { items, errorItems, error } = await runNode(NODE, parameters, testCredentials(), { continueOnFail: 'errorOutput' });
		expect(error).toBeUndefined();
		expect(items).toEqual([]);
		// Behind another node, n8n also copies the input item's fields into it.
		expect(errorItems).toEqual([{ json: errorFields, pairedItem: { item: 0 } }]);
	});
});

describe('rate limits', () => {
	it('waits for X-RateLimit-RetryAfter on a 429 and then succeeds', async () => {
		const limited = nock(API)
			.get(SETTINGS)
			.reply(429, falconErrors(429, 'API rate limit exceeded.'), {
				'X-RateLimit-Limit': '6000',
				'X-RateLimit-RetryAfter': String(nowSeconds()),
			});
		const ok = nock(API).get(SETTINGS).reply(200, envelope([{ max_active_tokens: 1 }]));
		const { items, error } = await runSettings();
		expect(error).toBeUndefined();
		expect(limited.isDone() && ok.isDone()).toBe(true);
		expect(items[0].json).toEqual({ max_active_tokens: 1 });
	});

	it('fails at once with a clear message when the wait exceeds the cap', async () => {
		const retryAt = nowSeconds() + 3600;
		nock(API)
			.get(SETTINGS)
			.reply(429, falconErrors(429, 'API rate limit exceeded.', 'trace-429'), {
				'X-RateLimit-Limit': '6000',
				'X-RateLimit-RetryAfter': String(retryAt),
			});
		const { error } = await runSettings();
		expect(error?.message).toBe('Falcon API error 429: API rate limit exceeded.');
		expect(error?.description).toContain('Rate limit of 6000 requests/minute exceeded after 0 retries');
		expect(error?.description).toContain(new Date(retryAt * 1000).toISOString());
		expect(error?.description).toContain('trace_id: trace-429');
	});

	it('names the right time when X-RateLimit-RetryAfter is in epoch milliseconds, as the swagger states it', async () => {
		const retryAtMs = (nowSeconds() + 3600) * 1000;
		nock(API)
			.get(SETTINGS)
			.reply(429, falconErrors(429, 'API rate limit exceeded.'), { 'X-RateLimit-RetryAfter': String(retryAtMs) });
		const { error } = await runSettings();
		expect(error?.description).toContain(`Falcon allows the next call at ${new Date(retryAtMs).toISOString()} (in 3`);
	});

	it("once Falcon said to wait too long, the other items fail without a call of their own: the client's cooldown is shared", async () => {
		const retryAt = nowSeconds() + 3600;
		let calls = 0;
		nock(API)
			.get(ENTITIES_PATH)
			.query(true)
			.times(20)
			.reply(() => {
				calls++;
				return [429, falconErrors(429, 'API rate limit exceeded.', 'trace-429'), { 'X-RateLimit-RetryAfter': String(retryAt) }];
			});
		mockToken();
		const input = Array.from({ length: 20 }, (_, n) => ({ json: { id: n.toString(16).padStart(32, 'a') } }));
		const getToken = { resource: 'token', operation: 'get', ids: '={{ $json.id }}' };
		const { items, error } = await runNode(NODE, getToken, testCredentials(), { input, continueOnFail: true });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(20);
		expect(calls).toBe(1);
		expect(items[0].json.error).toBe('Falcon API error 429: API rate limit exceeded.');
		expect(items[19].json).toMatchObject({ http_status: 429, code: 429 });
		expect(String(items[19].json.error)).toContain(`not sent: Falcon told another call of this API client to wait until ${new Date(retryAt * 1000).toISOString()}`);
		// Another API client (or tenant) is not held back.
		const other = testCredentials({ clientId: 'another-client' });
		mockToken();
		const ok = nock(API).get(SETTINGS).reply(200, envelope([{ max_active_tokens: 1 }]));
		expect((await runNode(NODE, getSettings, other)).error).toBeUndefined();
		expect(ok.isDone()).toBe(true);
	});

	it('a call held back for a short cooldown waits it out and then goes', async () => {
		const retryAtMs = Date.now() + 600;
		nock(API).get(SETTINGS).reply(429, falconErrors(429, 'API rate limit exceeded.'), { 'X-RateLimit-RetryAfter': String(retryAtMs) });
		const ok = nock(API).get(SETTINGS).times(2).reply(200, envelope([{ max_active_tokens: 1 }]));
		mockToken();
		const { items, error } = await runNode(NODE, getSettings, testCredentials(), { input: [{ json: {} }, { json: {} }] });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(2);
		expect(ok.isDone()).toBe(true);
		expect(Date.now()).toBeGreaterThanOrEqual(retryAtMs);
	});

	it('gives up after the bounded number of 429 retries', async () => {
		const limited = nock(API)
			.get(SETTINGS)
			.times(retryPolicy.maxRateLimitRetries + 1)
			.reply(429, falconErrors(429, 'API rate limit exceeded.'), { 'X-RateLimit-RetryAfter': String(nowSeconds()) });
		const { error } = await runSettings();
		expect(limited.isDone()).toBe(true);
		expect(error?.description).toContain(`exceeded after ${retryPolicy.maxRateLimitRetries} retries`);
	});
});

describe('server errors', () => {
	it('retries an idempotent GET after a 500 and succeeds', async () => {
		const failing = nock(API).get(SETTINGS).reply(500, falconErrors(500, 'internal error'));
		const ok = nock(API).get(SETTINGS).reply(200, envelope([{ max_active_tokens: 2 }]));
		const { items, error } = await runSettings();
		expect(error).toBeUndefined();
		expect(failing.isDone() && ok.isDone()).toBe(true);
		expect(items[0].json).toEqual({ max_active_tokens: 2 });
	});

	it('reports the 500 after the bounded retries', async () => {
		const failing = nock(API)
			.get(SETTINGS)
			.times(retryPolicy.maxServerErrorRetries + 1)
			.reply(500, falconErrors(500, 'internal error', 'trace-500'));
		const { error } = await runSettings();
		expect(failing.isDone()).toBe(true);
		expect(error?.message).toBe('Falcon API error 500: internal error');
		expect(error?.description).toContain('trace_id: trace-500');
	});

	it("a 2xx answer that is not JSON (a proxy's login page) fails the item, naming its type and start, instead of giving no item", async () => {
		const page = '<html><head><title>Sign in</title></head><body>Corporate proxy: sign in to continue</body></html>';
		nock(API).get(SETTINGS).times(2).reply(200, page, { 'Content-Type': 'text/html' });
		const { error, items } = await runSettings({ continueOnFail: true });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json.error).toBe(`The Falcon API answered GET ${SETTINGS} with text/html, not JSON (HTTP 200)`);
		// Not Falcon's answer: no HTTP status of Falcon's to route on.
		expect(items[0].json.http_status).toBeUndefined();
		const failed = await runSettings();
		expect(failed.error?.description).toBe(
			`GET ${SETTINGS} | answer: "Sign in Corporate proxy: sign in to continue" | A proxy or gateway between n8n and Falcon may have answered instead of Falcon`,
		);
	});

	it("a 5xx from a gateway that is not JSON keeps the start of its text, with no token in it", async () => {
		nock(API)
			.get(SETTINGS)
			.times(4)
			.reply(502, `<h1>502 Bad Gateway</h1> upstream refused Authorization: Bearer ${'x'.repeat(40)}`, { 'Content-Type': 'text/html' });
		const { error } = await runSettings();
		expect(error?.message).toBe(`Falcon API error 502 on GET ${SETTINGS}`);
		expect(error?.description).toBe(`GET ${SETTINGS} | answer: "502 Bad Gateway upstream refused Authorization: Bearer [redacted]"`);
	});

	it('a failure with neither an answer nor an error code keeps a token its message quotes out of the error', async () => {
		const token = 'y'.repeat(40);
		// A client library may quote the header it could not send.
		nock(API).get(SETTINGS).replyWithError(new Error(`Invalid header value: Authorization: Bearer ${token}`));
		const { error } = await runSettings();
		expect(error?.message).toBe('Invalid header value: Authorization: Bearer [redacted]');
		expect(JSON.stringify(error)).not.toContain(token);
	});

	it('never repeats a POST that may have been applied', async () => {
		mockToken();
		const create = nock(API).post(ENTITIES_PATH).once().reply(503, falconErrors(503, 'unavailable'));
		const { error } = await runNode(NODE, { resource: 'token', operation: 'create', label: 'x', expires: 'never' }, testCredentials());
		expect(create.isDone()).toBe(true);
		expect(nock.pendingMocks()).toEqual([]);
		expect(error?.message).toBe('Falcon API error 503: unavailable');
	});

	it('a retried DELETE that finds the token gone counts as deleted (the first attempt did it and lost its answer)', async () => {
		mockToken();
		const id = 'a'.repeat(32);
		const lost = nock(API).delete(ENTITIES_PATH).query({ ids: id }).reply(503, falconErrors(503, 'unavailable'));
		const gone = nock(API).delete(ENTITIES_PATH).query({ ids: id }).reply(404, falconErrors(404, 'not found'));
		const { items, error } = await runNode(NODE, { resource: 'token', operation: 'delete', ids: id }, testCredentials());
		expect(error).toBeUndefined();
		expect(lost.isDone() && gone.isDone()).toBe(true);
		expect(items).toHaveLength(1);
	});

	it('a retried DELETE of several tokens that then gets a 404 for one of them, then for the other, reports each not found', async () => {
		mockToken();
		const ids = ['c'.repeat(32), 'd'.repeat(32)];
		const lost = nock(API).delete(ENTITIES_PATH).query({ ids: ids.join(',') }).reply(503, falconErrors(503, 'unavailable'));
		const notFound = { code: 404, message: `not found: ${ids[1]}` };
		const gone = nock(API).delete(ENTITIES_PATH).query({ ids: ids.join(',') }).reply(404, { meta: { trace_id: 'trace-404' }, resources: [], errors: [notFound] });
		// The first attempt may have deleted c already, or c never was: either way Falcon does not find it now.
		const cNotFound = { code: 404, message: `not found: ${ids[0]}` };
		const rest = nock(API).delete(ENTITIES_PATH).query({ ids: ids[0] }).reply(404, { meta: { trace_id: 'trace-rest' }, resources: [], errors: [cNotFound] });
		const { items, error } = await runNode(NODE, { resource: 'token', operation: 'delete', ids: ids.join(',') }, testCredentials());
		expect(error).toBeUndefined();
		expect(lost.isDone() && gone.isDone() && rest.isDone()).toBe(true);
		expect(items.map((item) => item.json)).toEqual([
			{ id: ids[0], deleted: false, trace_id: 'trace-rest', errors: [cNotFound] },
			{ id: ids[1], deleted: false, trace_id: 'trace-rest', errors: [notFound] },
		]);
	});

	it('a DELETE retried after a refused connection that then gets a 404 fails: nothing reached Falcon, so nothing was deleted', async () => {
		mockToken();
		const id = 'e'.repeat(32);
		const refused = nock(API)
			.delete(ENTITIES_PATH)
			.query({ ids: id })
			.replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
		const missing = nock(API).delete(ENTITIES_PATH).query({ ids: id }).reply(404, falconErrors(404, `token ${id} not found`, 'trace-404'));
		const { error } = await runNode(NODE, { resource: 'token', operation: 'delete', ids: id }, testCredentials());
		expect(refused.isDone() && missing.isDone()).toBe(true);
		expect(error?.message).toBe(`Falcon API error 404: token ${id} not found`);
	});

	it('a DELETE that is not found at the first attempt still fails: nothing was deleted', async () => {
		mockToken();
		const id = 'b'.repeat(32);
		nock(API).delete(ENTITIES_PATH).query({ ids: id }).reply(404, falconErrors(404, 'not found', 'trace-404'));
		const { error } = await runNode(NODE, { resource: 'token', operation: 'delete', ids: id }, testCredentials());
		expect(error?.message).toBe('Falcon API error 404: not found');
	});

	it('does not ask again a host that did not answer within the timeout', async () => {
		mockToken();
		const silent = nock(API)
			.get(SETTINGS)
			.replyWithError(Object.assign(new Error('timeout of 300000ms exceeded'), { code: 'ECONNABORTED' }));
		const later = nock(API).get(SETTINGS).reply(200, envelope([{ max_active_tokens: 2 }]));
		const { error } = await runNode(NODE, getSettings, testCredentials());
		expect(silent.isDone()).toBe(true);
		expect(later.isDone()).toBe(false);
		expect(error?.message).toBe('Could not reach the Falcon API (ECONNABORTED)');
	});

	it('names the network failure without leaking the request', async () => {
		mockToken();
		nock(API)
			.get(SETTINGS)
			.times(3)
			.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
		const { error } = await runNode(NODE, getSettings, testCredentials());
		expect(error?.message).toBe('Could not reach the Falcon API (ECONNRESET)');
		expect(JSON.stringify(error)).not.toContain(CLIENT_SECRET);
	});
});
