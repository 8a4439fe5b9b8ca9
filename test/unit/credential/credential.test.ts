import type { IHttpRequestOptions } from 'n8n-workflow';
import nock from 'nock';

import { CrowdStrikeFalconOAuth2Api } from '../../../credentials/CrowdStrikeFalconOAuth2Api.credentials';
import { tenantConcurrency } from '../../../nodes/CrowdStrikeFalcon/shared/engine/executeOperations';
import { FALCON_CLOUDS } from '../../../nodes/CrowdStrikeFalcon/shared/transport/clouds';
import { clearMemberTokens } from '../../../nodes/CrowdStrikeFalcon/shared/transport/memberTokens';
import { mintedFor } from '../../../nodes/CrowdStrikeFalcon/shared/transport/mintedFor';
import { API, CLIENT_SECRET, envelope, falconErrors, mockToken, testCredentials } from '../../harness/falcon';
import { runNode } from '../../harness/runWorkflow';

const NODE = 'n8n-nodes-crowdstrike-falcon.crowdStrikeFalconInstallationTokens';
const SETTINGS = '/installation-tokens/entities/customer-settings/v1';
const getSettings = { resource: 'settings', operation: 'get' };
const settingsBody = envelope([{ tokens_required: true, max_active_tokens: 1 }]);

describe('token lifecycle', () => {
	it('mints one token and reuses it across calls and executions, without writing it into the credential', async () => {
		const token = mockToken(API, { times: 1 });
		const api = nock(API, { reqheaders: { authorization: 'Bearer token-1' } }).get(SETTINGS).times(3).reply(200, settingsBody);
		const credentials = testCredentials();
		const twoItems = [{ json: {} }, { json: {} }];
		expect((await runNode(NODE, getSettings, credentials, { input: twoItems })).items).toHaveLength(2);
		expect((await runNode(NODE, getSettings, credentials)).items).toHaveLength(1);
		expect(token.isDone() && api.isDone()).toBe(true);
		// The token lives in the process only: n8n's handling of the credential is not used, and nothing is stored.
		expect(credentials.preAuthentications).toEqual([]);
		expect(credentials.stored.accessToken).toBe('');
	});

	it('executions that start together share one token request', async () => {
		mockToken(API, { times: 1 });
		const api = nock(API, { reqheaders: { authorization: 'Bearer token-1' } }).get(SETTINGS).times(4).reply(200, settingsBody);
		const credentials = testCredentials();
		const runs = await Promise.all([1, 2, 3, 4].map(() => runNode(NODE, getSettings, credentials)));
		expect(runs.map((run) => run.error)).toEqual([undefined, undefined, undefined, undefined]);
		expect(api.isDone()).toBe(true);
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('renews the token in its last 2 minutes while it serves on: no call waits, none is refused for an expired token', async () => {
		const now = jest.spyOn(Date, 'now');
		try {
			now.mockReturnValue(Date.parse('2026-12-04T10:00:00Z'));
			nock(API).post('/oauth2/token').reply(201, { access_token: 'token-1', expires_in: 1799 });
			nock(API, { reqheaders: { authorization: 'Bearer token-1' } }).get(SETTINGS).reply(200, settingsBody);
			const credentials = testCredentials();
			expect((await runNode(NODE, getSettings, credentials)).error).toBeUndefined();
			// 28 minutes on, 119 s before Falcon's expiry: the call goes on token-1 while token-2 is asked for.
			now.mockReturnValue(Date.parse('2026-12-04T10:28:00Z'));
			const renewed = nock(API).post('/oauth2/token').reply(201, { access_token: 'token-2', expires_in: 1799 });
			nock(API, { reqheaders: { authorization: 'Bearer token-1' } }).get(SETTINGS).reply(200, settingsBody);
			expect((await runNode(NODE, getSettings, credentials)).error).toBeUndefined();
			expect(renewed.isDone()).toBe(true);
			// From then on token-2 serves.
			now.mockReturnValue(Date.parse('2026-12-04T10:29:40Z'));
			nock(API, { reqheaders: { authorization: 'Bearer token-2' } }).get(SETTINGS).reply(200, settingsBody);
			expect((await runNode(NODE, getSettings, credentials)).error).toBeUndefined();
			expect(nock.pendingMocks()).toEqual([]);
		} finally {
			now.mockRestore();
		}
	});

	it('re-mints the token after a 401 and retries the call once', async () => {
		mockToken(API, { token: 'revoked-token' });
		const rejected = nock(API, { reqheaders: { authorization: 'Bearer revoked-token' } })
			.get(SETTINGS)
			.reply(401, falconErrors(401, 'access denied, invalid bearer token'));
		mockToken(API, { token: 'fresh-token' });
		const accepted = nock(API, { reqheaders: { authorization: 'Bearer fresh-token' } }).get(SETTINGS).reply(200, settingsBody);
		const { items, error } = await runNode(NODE, getSettings, testCredentials());
		expect(error).toBeUndefined();
		expect(rejected.isDone() && accepted.isDone()).toBe(true);
		expect(items).toHaveLength(1);
	});

	it('after an edit (another Member CID, Client ID or cloud) the token is minted for the settings as they are', async () => {
		const childA = 'a'.repeat(32);
		const childB = 'b'.repeat(32);
		const credentials = testCredentials({ memberCid: childA });
		const mintFor = (memberCid: string, token: string) =>
			nock(API)
				.post('/oauth2/token', (body: Record<string, string>) => body.member_cid === memberCid)
				.reply(201, { access_token: token, token_type: 'bearer', expires_in: 1799 }, { 'X-CS-Region': 'us-1' });
		mintFor(childA, 'token-for-a');
		nock(API, { reqheaders: { authorization: 'Bearer token-for-a' } }).get(SETTINGS).reply(200, settingsBody);
		expect((await runNode(NODE, getSettings, credentials)).error).toBeUndefined();
		credentials.edit({ memberCid: childB });
		mintFor(childB, 'token-for-b');
		// Never sent with the old child's token.
		nock(API, { reqheaders: { authorization: 'Bearer token-for-b' } }).get(SETTINGS).reply(200, settingsBody);
		expect((await runNode(NODE, getSettings, credentials)).error).toBeUndefined();
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('a Member CID edited into something that is not a CID fails before any request', async () => {
		const credentials = testCredentials({ memberCid: 'a'.repeat(32) });
		credentials.edit({ memberCid: 'child-tenant-1' });
		const sent = nock(API).get(SETTINGS).reply(401, falconErrors(401, 'access denied'));
		const token = nock(API).post('/oauth2/token').reply(201, { access_token: 'never', expires_in: 1799 });
		const { error } = await runNode(NODE, getSettings, credentials);
		expect(error?.message).toMatch(/^The credential's Member CID must be a CID of 32 hexadecimal characters.*\(got 14 characters, not all hexadecimal\)/);
		expect(sent.isDone() || token.isDone()).toBe(false);
		nock.cleanAll();
	});

	it('does not loop when the fresh token is rejected too', async () => {
		mockToken(API, { token: 'token-1' });
		const api = nock(API).get(SETTINGS).twice().reply(401, falconErrors(401, 'access denied, invalid bearer token', 'trace-401'));
		mockToken(API, { token: 'fresh-token' });
		const { error } = await runNode(NODE, getSettings, testCredentials());
		expect(api.isDone()).toBe(true);
		expect(nock.pendingMocks()).toEqual([]);
		expect(error?.message).toBe('Falcon API error 401: access denied, invalid bearer token');
		expect(error?.description).toContain('trace_id: trace-401');
	});

	it('a fresh token refused too is remembered: the next items fail at once, without a token request each', async () => {
		const minted = mockToken(API, { token: 'token-1', times: 2 });
		const refused = nock(API).get(SETTINGS).times(2).reply(401, falconErrors(401, 'access denied, invalid bearer token', 'trace-401'));
		const items = Array.from({ length: 20 }, () => ({ json: {} }));
		const { items: output } = await runNode(NODE, getSettings, testCredentials(), { input: items, continueOnFail: true });
		expect(minted.isDone() && refused.isDone()).toBe(true);
		// Beyond the 2 tokens and 2 refused calls of the first item: nothing (before, 1 token and 2 calls per item).
		expect(nock.pendingMocks()).toEqual([]);
		expect(output).toHaveLength(20);
		expect(output[0].json.error).toBe('Falcon API error 401: access denied, invalid bearer token');
		expect(output[19].json.error).toBe(
			"Falcon refused the call made with a token minted for it a moment ago (HTTP 401: access denied, invalid bearer token); this run's further calls fail at once for 10 s instead of each asking for a token",
		);
		expect(String(output[19].json.description)).toMatch(/^Falcon issued the token and the API refused it: is a proxy or gateway in between dropping the Authorization header\?/);
		// Within this node run only: another run (another workflow, n8n's Retry On Fail) asks Falcon again.
		const next = mockToken(API, { token: 'token-2' });
		const served = nock(API).get(SETTINGS).reply(200, settingsBody);
		expect((await runNode(NODE, getSettings, testCredentials())).error).toBeUndefined();
		expect(next.isDone() && served.isDone()).toBe(true);
	});
});

describe('clouds', () => {
	it('autodiscovery asks US-1 for the token and follows X-CS-Region for every later call', async () => {
		const token = mockToken('https://api.crowdstrike.com', { region: 'eu-1' });
		const eu = nock('https://api.eu-1.crowdstrike.com', { reqheaders: { authorization: 'Bearer token-1' } })
			.get(SETTINGS)
			.reply(200, settingsBody);
		const credentials = testCredentials({ cloud: 'autodiscover', baseUrl: '' });
		const { error } = await runNode(NODE, getSettings, credentials);
		expect(error).toBeUndefined();
		expect(token.isDone() && eu.isDone()).toBe(true);
	});

	it.each([
		['us-2', 'https://api.us-2.crowdstrike.com', 'us-2'],
		['us-gov-1', 'https://api.laggar.gcw.crowdstrike.com', undefined],
		['us-3', 'https://api.us-3.crowdstrike.com', 'us-3'],
		['us-gov-2', 'https://api.us-gov-2.crowdstrike.mil', 'usgov2'],
	])('%s uses %s for the token and the API', async (cloud, host, region) => {
		const token = nock(host)
			.post('/oauth2/token')
			.reply(201, { access_token: 'gov', expires_in: 1799 }, region ? { 'X-CS-Region': region } : {});
		const api = nock(host).get(SETTINGS).reply(200, settingsBody);
		const { error } = await runNode(NODE, getSettings, testCredentials({ cloud }));
		expect(error).toBeUndefined();
		expect(token.isDone() && api.isDone()).toBe(true);
	});

	describe("Falcon's redirect for a client of another cloud (308, X-CS-Region, no body)", () => {
		/** US-1's answer to a US-2 client's token request, as Falcon sends it. `Location` points elsewhere here: it is never followed. */
		const redirectedFromUs1 = () =>
			nock('https://api.crowdstrike.com')
				.post('/oauth2/token')
				.reply(308, '', { Location: 'https://redirect.example/oauth2/token', 'X-CS-Region': 'us-2', 'X-Cs-Traceid': 'trace-308' });

		it('Autodiscover posts the form again to the home cloud the header names, and calls the API there', async () => {
			const us1 = redirectedFromUs1();
			const elsewhere = nock('https://redirect.example').post('/oauth2/token').reply(201, {});
			const token = mockToken('https://api.us-2.crowdstrike.com', { region: 'us-2' });
			const api = nock('https://api.us-2.crowdstrike.com', { reqheaders: { authorization: 'Bearer token-1' } }).get(SETTINGS).reply(200, settingsBody);
			const { error } = await runNode(NODE, getSettings, testCredentials({ cloud: 'autodiscover', baseUrl: '' }));
			expect(error).toBeUndefined();
			expect(us1.isDone() && token.isDone() && api.isDone()).toBe(true);
			expect(elsewhere.isDone()).toBe(false);
			nock.cleanAll();
		});

		it('a fixed Cloud names the home cloud, and nothing is sent there', async () => {
			redirectedFromUs1();
			const us2 = nock('https://api.us-2.crowdstrike.com').post('/oauth2/token').reply(201, {});
			const { error } = await runNode(NODE, getSettings, testCredentials({ cloud: 'us-1' }));
			expect(error?.message).toBe("This API client belongs to the US-2 cloud, but the credential's Cloud is US-1. Choose US-2 or Autodiscover.");
			expect(us2.isDone()).toBe(false);
			nock.cleanAll();
		});

		it("n8n's own use of the credential (preAuthentication) follows it too", async () => {
			const answers = [
				{ statusCode: 308, headers: { 'x-cs-region': 'eu-1', location: 'https://api.eu-1.crowdstrike.com/oauth2/token' }, body: '' },
				{ statusCode: 201, headers: { 'x-cs-region': 'eu-1' }, body: { access_token: 'token-eu', expires_in: 1799 } },
			];
			const httpRequest = jest.fn(async () => answers.shift());
			const settings = { cloud: 'autodiscover', clientId: 'client-0001', clientSecret: CLIENT_SECRET, memberCid: '' };
			const output = await new CrowdStrikeFalconOAuth2Api().preAuthentication.call({ helpers: { httpRequest } } as never, settings);
			expect(output).toEqual({ accessToken: 'token-eu', apiBaseUrl: 'https://api.eu-1.crowdstrike.com', mintedFor: mintedFor(settings) });
			expect((httpRequest.mock.calls as unknown as Array<[{ url: string }]>).map(([options]) => options.url)).toEqual([
				'https://api.crowdstrike.com/oauth2/token',
				'https://api.eu-1.crowdstrike.com/oauth2/token',
			]);
		});
	});

	it("names GovCloud on Autodiscover's 400 from US-1 (Falcon does not autodiscover GovCloud clients); a fixed cloud's 400 stays as it is", async () => {
		const govAnswer = { meta: { trace_id: 't-gov' }, resources: [], errors: [{ code: 400, message: 'Failed to generate access token for clientID=client-0001.' }] };
		nock('https://api.crowdstrike.com').post('/oauth2/token').twice().reply(400, govAnswer);
		const autodiscover = await runNode(NODE, getSettings, testCredentials({ cloud: 'autodiscover', baseUrl: '' }));
		expect(autodiscover.error?.message).toBe(
			'Falcon refused to issue a token (HTTP 400: Failed to generate access token for clientID=client-0001.) [trace_id t-gov]. If this API client belongs to a GovCloud, choose US-GOV-1 or US-GOV-2 as Cloud: Autodiscover cannot find GovCloud clients',
		);
		clearMemberTokens();
		const fixed = await runNode(NODE, getSettings, testCredentials({ cloud: 'us-1' }));
		expect(fixed.error?.message).toBe('Falcon refused to issue a token (HTTP 400: Failed to generate access token for clientID=client-0001.) [trace_id t-gov]');
	});

	it('Autodiscover follows a redirect to commercial clouds only: a GovCloud it names is for the user to choose', async () => {
		nock('https://api.crowdstrike.com').post('/oauth2/token').reply(308, '', { Location: 'https://api.laggar.gcw.crowdstrike.com/oauth2/token', 'X-CS-Region': 'us-gov-1' });
		const gov = nock('https://api.laggar.gcw.crowdstrike.com').post('/oauth2/token').reply(201, {});
		const { error } = await runNode(NODE, getSettings, testCredentials({ cloud: 'autodiscover', baseUrl: '' }));
		expect(error?.message).toBe('This API client belongs to the US-GOV-1 cloud, which Autodiscover does not follow: choose US-GOV-1 as Cloud.');
		expect(gov.isDone()).toBe(false);
		nock.cleanAll();
	});

	it("adds the GovCloud advice to US-1's own words for it only, not to any 400", async () => {
		nock('https://api.crowdstrike.com').post('/oauth2/token').reply(400, falconErrors(400, 'invalid member_cid', 't-400'));
		const { error } = await runNode(NODE, getSettings, testCredentials({ cloud: 'autodiscover', baseUrl: '' }));
		expect(error?.message).toBe('Falcon refused to issue a token (HTTP 400: invalid member_cid) [trace_id t-400]');
	});

	it('names a region Autodiscover does not know, instead of calling US-1 and failing with bare 401s', async () => {
		mockToken('https://api.crowdstrike.com', { region: 'eu-2' });
		const api = nock('https://api.crowdstrike.com').get(SETTINGS).reply(401, falconErrors(401, 'access denied'));
		const { error } = await runNode(NODE, getSettings, testCredentials({ cloud: 'autodiscover', baseUrl: '' }));
		expect(error?.message).toBe(
			'Falcon places this API client in region "eu-2", which Autodiscover does not know. Choose Custom and set the Base URL of that cloud\'s API.',
		);
		expect(api.isDone()).toBe(false);
		nock.cleanAll();
	});

	it('asks for a token once for the items of an execution when the region is one it cannot reach', async () => {
		let asked = 0;
		nock('https://api.crowdstrike.com')
			.post('/oauth2/token')
			.times(5)
			.reply(() => (asked++, [201, { access_token: 'unusable', expires_in: 1799 }, { 'X-CS-Region': 'eu-2' }]));
		const items = Array.from({ length: 5 }, () => ({ json: {} }));
		const { errorItems } = await runNode(NODE, getSettings, testCredentials({ cloud: 'autodiscover', baseUrl: '' }), {
			input: items,
			continueOnFail: 'errorOutput',
		});
		expect(errorItems).toHaveLength(5);
		expect(errorItems[4].json.error ?? errorItems[4].json.message).toMatch(/^Falcon places this API client in region "eu-2"/);
		expect(asked).toBe(1);
		nock.cleanAll();
	});

	it('a token renewed early still serves while its successor cannot be had', async () => {
		const now = jest.spyOn(Date, 'now');
		try {
			now.mockReturnValue(Date.parse('2026-12-04T10:00:00Z'));
			mockToken(API, { token: 'token-1' });
			nock(API, { reqheaders: { authorization: 'Bearer token-1' } }).get(SETTINGS).twice().reply(200, settingsBody);
			const credentials = testCredentials();
			expect((await runNode(NODE, getSettings, credentials)).error).toBeUndefined();
			// 19 s before its expiry (a call waits for the successor then) the token endpoint is busy, asking for a wait too long
			// to wait out: token-1 goes on.
			now.mockReturnValue(Date.parse('2026-12-04T10:29:40Z'));
			const busy = nock(API)
				.post('/oauth2/token')
				.reply(429, falconErrors(429, 'API rate limit exceeded.'), { 'X-RateLimit-RetryAfter': String(Date.parse('2026-12-04T10:40:00Z') / 1000) });
			expect((await runNode(NODE, getSettings, credentials)).error).toBeUndefined();
			expect(busy.isDone()).toBe(true);
			expect(nock.pendingMocks()).toEqual([]);
		} finally {
			now.mockRestore();
		}
	});

	it('explains a cloud mismatch instead of failing later with 401s', async () => {
		mockToken('https://api.crowdstrike.com', { region: 'us-2' });
		const { error } = await runNode(NODE, getSettings, testCredentials({ cloud: 'us-1' }));
		expect(error?.message).toBe(
			"This API client belongs to the US-2 cloud, but the credential's Cloud is US-1. Choose US-2 or Autodiscover.",
		);
	});

	it('after the mismatch, the credential switched to Autodiscover as advised gets its own token and reaches US-2', async () => {
		mockToken('https://api.crowdstrike.com', { region: 'us-2' });
		const credentials = testCredentials({ cloud: 'us-1' });
		expect((await runNode(NODE, getSettings, credentials)).error?.message).toContain('Choose US-2 or Autodiscover');
		credentials.edit({ cloud: 'autodiscover' });
		const token = mockToken('https://api.crowdstrike.com', { region: 'us-2' });
		const api = nock('https://api.us-2.crowdstrike.com').get(SETTINGS).reply(200, settingsBody);
		const { error, items } = await runNode(NODE, getSettings, credentials);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(token.isDone() && api.isDone()).toBe(true);
	});
});

describe('token request', () => {
	it('sends a form body with the member CID for MSSP child tenants', async () => {
		let form = '';
		const token = nock(API, { reqheaders: { 'content-type': /application\/x-www-form-urlencoded/ } })
			.post('/oauth2/token', (body) => {
				form = new URLSearchParams(body as Record<string, string>).toString();
				return true;
			})
			.reply(201, { access_token: 'child-token', expires_in: 1799 });
		nock(API, { reqheaders: { authorization: 'Bearer child-token' } }).get(SETTINGS).reply(200, settingsBody);
		const { error } = await runNode(NODE, getSettings, testCredentials({ memberCid: ' ABCDEF0123456789ABCDEF0123456789-7F ' }));
		expect(error).toBeUndefined();
		expect(token.isDone()).toBe(true);
		// As the token endpoint takes it, the same as the node-level Member CID: lower case, without the checksum.
		expect(new URLSearchParams(form).get('member_cid')).toBe('abcdef0123456789abcdef0123456789');
		expect(new URLSearchParams(form).get('client_id')).toBe('client-0001');
	});

	it('refuses a Member CID that is not a CID before asking for a token', async () => {
		const token = nock(API).post('/oauth2/token').reply(201, { access_token: 'never', expires_in: 1799 });
		const { error } = await runNode(NODE, getSettings, testCredentials({ memberCid: 'child-tenant-1' }));
		expect(error?.message).toMatch(/^The credential's Member CID must be a CID of 32 hexadecimal characters.*\(got 14 characters, not all hexadecimal\)/);
		expect(token.isDone()).toBe(false);
	});

	it('never repeats a Member CID that is not a CID: it may be the client secret pasted into the wrong field', async () => {
		const pasted = 'kQ7vN2xL9pR4tW8yB3mC6fH1jD5gS0aZ3eU7iO2q';
		const token = nock(API).post('/oauth2/token').reply(201, { access_token: 'never', expires_in: 1799 });
		const { error } = await runNode(NODE, getSettings, testCredentials({ memberCid: pasted }));
		expect(error?.message).toContain('(got 40 characters, not all hexadecimal)');
		expect(JSON.stringify(error)).not.toContain(pasted);
		expect(String(error?.stack)).not.toContain(pasted);
		expect(token.isDone()).toBe(false);
		nock.cleanAll();
	});

	it.each([
		['a Member CID that is not a CID', { memberCid: 'child-tenant-1' }, /^The credential's Member CID must be/],
		['a Cloud it does not know', { cloud: 'us-gov-3' }, /^The credential's Cloud "us-gov-3" is not one of/],
		['Custom without a Base URL', { cloud: 'custom', baseUrl: '' }, /^The credential has no Falcon base URL/],
	])('a credential with %s fails as the node\'s own check, not as an API call that failed', async (_, settings, message) => {
		const { error, errorItems } = await runNode(NODE, getSettings, testCredentials(settings), { continueOnFail: 'errorOutput' });
		expect(error).toBeUndefined();
		const failed = await runNode(NODE, getSettings, testCredentials(settings));
		expect(failed.error?.name).toBe('NodeOperationError');
		expect(failed.error?.message).toMatch(message);
		expect(failed.error?.description).toBe("The credential's settings cannot get a token: fix them (asking again changes nothing).");
		// No HTTP status, and no request line that reads as if one had been sent.
		expect(errorItems[0].json.details).not.toHaveProperty('http_status');
		expect(JSON.stringify(errorItems[0].json)).not.toContain('GET /installation-tokens');
	});

	it("shows Falcon's message for a wrong secret, and never the secret", async () => {
		nock(API).post('/oauth2/token').reply(401, falconErrors(401, 'access denied, invalid client', 'trace-bad-secret'));
		const { error } = await runNode(NODE, getSettings, testCredentials());
		expect(error?.message).toBe(
			'Falcon refused to issue a token (HTTP 401: access denied, invalid client) [trace_id trace-bad-secret]',
		);
		expect(JSON.stringify(error)).not.toContain(CLIENT_SECRET);
		expect(String(error?.stack)).not.toContain(CLIENT_SECRET);
		expect(String(error?.description ?? '')).not.toContain(CLIENT_SECRET);
	});

	it("keeps to the credential's Allowed HTTP Request Domains: the secret goes to no host outside them", async () => {
		const token = nock(API).post('/oauth2/token').reply(201, { access_token: 'never', expires_in: 1799 });
		const credentials = testCredentials({ allowedHttpRequestDomains: 'domains', allowedDomains: 'api.crowdstrike.com' } as never);
		const { error } = await runNode(NODE, getSettings, credentials);
		expect(error?.message).toMatch(/^Domain not allowed: This credential is restricted from accessing/);
		expect(token.isDone()).toBe(false);
		nock.cleanAll();
	});

	it('sends the token request to a host the Allowed HTTP Request Domains list', async () => {
		mockToken(API);
		nock(API).get(SETTINGS).reply(200, settingsBody);
		const credentials = testCredentials({ allowedHttpRequestDomains: 'domains', allowedDomains: new URL(API).hostname } as never);
		expect((await runNode(NODE, getSettings, credentials)).error).toBeUndefined();
	});

	it('keeps the secret out of network errors too', async () => {
		// Tried three times, as an idempotent API call is.
		const refused = nock(API)
			.post('/oauth2/token')
			.times(3)
			.replyWithError(Object.assign(new Error(`connect failed ${CLIENT_SECRET}`), { code: 'ECONNREFUSED' }));
		const { error } = await runNode(NODE, getSettings, testCredentials());
		expect(refused.isDone()).toBe(true);
		expect(error?.message).toBe(`Could not reach ${API}/oauth2/token (ECONNREFUSED)`);
		expect(JSON.stringify(error)).not.toContain(CLIENT_SECRET);
	});

	it("keeps a gateway's user and password in a Custom Base URL out of the message", async () => {
		const gateway = 'https://svc:Gateway-Passw0rd@falcon-gateway.example';
		nock('https://falcon-gateway.example')
			.post('/oauth2/token')
			.times(3)
			.replyWithError(Object.assign(new Error('connect failed'), { code: 'ECONNREFUSED' }));
		const { error } = await runNode(NODE, getSettings, testCredentials({ cloud: 'custom', baseUrl: gateway }));
		expect(error?.message).toBe('Could not reach https://falcon-gateway.example/oauth2/token (ECONNREFUSED)');
		expect(JSON.stringify(error)).not.toContain('Gateway-Passw0rd');
		nock.cleanAll();
	});

	it("a token endpoint's 429 asking for a long wait is met once for all children of the run, not once per child (its budget is per address)", async () => {
		let asked = 0;
		nock(API)
			.persist()
			.post('/oauth2/token')
			.reply(() => {
				asked++;
				return [429, falconErrors(429, 'API rate limit exceeded.'), { 'X-RateLimit-RetryAfter': String(Math.floor(Date.now() / 1000) + 300) }];
			});
		const children = Array.from({ length: 6 }, (_, n) => String(n).repeat(32));
		const { items } = await runNode(
			NODE,
			{ ...getSettings, tenant: { memberCid: '={{ $json.cid }}' } },
			testCredentials(),
			{ input: children.flatMap((cid) => [{ json: { cid } }, { json: { cid } }]), continueOnFail: true },
		);
		nock.cleanAll();
		expect(items).toHaveLength(12);
		expect(items.every((item) => /429/.test(String(item.json.error)))).toBe(true);
		expect(asked).toBe(1);
	});

	it("…also where children run side by side on scopes of their own (Contain), and a cloud mismatch once for all children", async () => {
		const children = Array.from({ length: 4 }, (_, n) => String(n + 1).repeat(32));
		const contain = {
			resource: 'host',
			operation: 'contain',
			hostId: '={{ { __rl: true, mode: "id", value: $json.host } }}',
			options: {},
			tenant: { memberCid: '={{ $json.cid }}' },
		};
		const input = children.map((cid, n) => ({ json: { cid, host: String(n + 5).repeat(32) } }));
		let asked = 0;
		const answerWith = (status: number, body: object | string, headers: Record<string, string>, host = API) =>
			nock(host)
				.persist()
				.post('/oauth2/token')
				.reply(() => (asked++, [status, body, headers]));
		tenantConcurrency.atOnce = 1;
		try {
			answerWith(429, falconErrors(429, 'API rate limit exceeded.'), { 'X-RateLimit-RetryAfter': String(Math.floor(Date.now() / 1000) + 300) });
			const limited = await runNode('n8n-nodes-crowdstrike-falcon.crowdStrikeFalconHosts', contain, testCredentials(), { input, continueOnFail: true });
			expect(limited.items).toHaveLength(4);
			expect(asked).toBe(1);
			nock.cleanAll();
			asked = 0;
			answerWith(308, '', { Location: 'https://api.us-2.crowdstrike.com/oauth2/token', 'X-CS-Region': 'us-2' }, 'https://api.crowdstrike.com');
			const misplaced = await runNode('n8n-nodes-crowdstrike-falcon.crowdStrikeFalconHosts', contain, testCredentials({ cloud: 'us-1' }), { input, continueOnFail: true });
			expect(misplaced.items.every((item) => /belongs to the US-2 cloud/.test(String(item.json.error)))).toBe(true);
			expect(asked).toBe(1);
		} finally {
			tenantConcurrency.atOnce = 8;
			nock.cleanAll();
		}
	});

	it('does not ask a token endpoint that timed out again: a silent host would hold the call for every try', async () => {
		const timedOut = nock(API).post('/oauth2/token').replyWithError(Object.assign(new Error('timeout of 30000ms exceeded'), { code: 'ECONNABORTED' }));
		const { error } = await runNode(NODE, getSettings, testCredentials());
		expect(timedOut.isDone()).toBe(true);
		expect(nock.pendingMocks()).toEqual([]);
		expect(error?.message).toBe(`Could not reach ${API}/oauth2/token (ECONNABORTED)`);
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.description).toBe("Falcon's token endpoint could not be reached, after retries: no API call was made.");
	});

	it('rides out a moment\'s outage of the token endpoint (5xx, a dropped connection) instead of failing the call', async () => {
		nock(API)
			.post('/oauth2/token')
			.reply(503, falconErrors(503, 'service unavailable'))
			.post('/oauth2/token')
			.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
		mockToken();
		const api = nock(API, { reqheaders: { authorization: 'Bearer token-1' } }).get(SETTINGS).reply(200, settingsBody);
		const { error } = await runNode(NODE, getSettings, testCredentials());
		expect(error).toBeUndefined();
		expect(api.isDone()).toBe(true);
	});

	it('never puts the secret in a URL', async () => {
		const urls: string[] = [];
		nock(API)
			.post(/.*/)
			.reply(function (uri) {
				urls.push(uri);
				return [201, { access_token: 'token-1', expires_in: 1799 }];
			});
		nock(API)
			.get(/.*/)
			.reply(function (uri) {
				urls.push(uri);
				return [200, settingsBody];
			});
		await runNode(NODE, getSettings, testCredentials());
		expect(urls).toEqual(['/oauth2/token', SETTINGS]);
	});
});

describe('credential test', () => {
	const { request } = new CrowdStrikeFalconOAuth2Api().test;
	const child = 'ab'.repeat(16);

	/** A `={{ }}` field of the test request, evaluated as n8n evaluates it for the stored credential. */
	function evaluated(field: unknown, credentials: object): unknown {
		const code = /^=\{\{(.*)\}\}$/s.exec(String(field))![1];
		// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- the credential's own expression, evaluated as n8n would
		return (new Function('$credentials', `return (${code});`) as (credentials: object) => unknown)(credentials);
	}

	it('checks the client against the token endpoint, which needs no API scope', () => {
		expect(request).toMatchObject({ url: '/oauth2/token', method: 'POST' });
		expect(evaluated(request.body, { clientId: 'id-1', clientSecret: 'secret-1', memberCid: '' })).toEqual({
			client_id: 'id-1',
			client_secret: 'secret-1',
		});
		// A redirect would repeat the form, secret included, to wherever it points.
		expect(request.disableFollowRedirect).toBe(true);
	});

	it.each([
		[`${child.toUpperCase()}-7F`, child],
		[` ${child} `, child],
		// Not a CID: sent as typed, for Falcon to refuse with its own message, rather than testing the parent instead.
		['child-tenant-1', 'child-tenant-1'],
	])('asks for the token of the Member CID %j as nodes do (%j)', (memberCid, sent) => {
		expect(evaluated(request.body, { clientId: 'id-1', clientSecret: 'secret-1', memberCid })).toEqual({
			client_id: 'id-1',
			client_secret: 'secret-1',
			member_cid: sent,
		});
	});

	it.each([
		// Left to `authenticate`: the host the token was minted on (see below).
		['autodiscover', ''],
		['us-1', 'https://api.crowdstrike.com'],
		['us-3', 'https://api.us-3.crowdstrike.com'],
		['us-gov-1', 'https://api.laggar.gcw.crowdstrike.com'],
		['custom', 'http://127.0.0.1:8399'],
		// A Cloud the package does not know is sent nowhere real (.invalid never resolves), not to US-1.
		['US-GOV-1', 'https://unknown-cloud.invalid'],
		['', 'https://unknown-cloud.invalid'],
	])('tests a %j credential against %s', (cloud, host) => {
		expect(evaluated(request.baseURL, { cloud, baseUrl: 'http://127.0.0.1:8399/' })).toBe(host);
	});

	it('tests every fixed cloud the nodes know against its own host', () => {
		for (const [cloud, host] of Object.entries(FALCON_CLOUDS)) expect(evaluated(request.baseURL, { cloud })).toBe(host);
	});

	it('trims a Custom Base URL as nodes do: a pasted trailing space fails no test the nodes would pass', () => {
		expect(evaluated(request.baseURL, { cloud: 'custom', baseUrl: ' http://127.0.0.1:8399/ \n' })).toBe('http://127.0.0.1:8399');
	});
});

// Nodes of this package keep their own token (see token lifecycle); the credential's own methods serve n8n when it
// uses the credential itself, e.g. in the HTTP Request node's "Predefined Credential Type".
describe("the credential in n8n's hands", () => {
	const credential = new CrowdStrikeFalconOAuth2Api();
	const authenticate = credential.authenticate as (credentials: object, options: IHttpRequestOptions) => Promise<IHttpRequestOptions>;
	const tokenAnswer = (region: string) =>
		jest.fn(async () => ({ statusCode: 201, headers: { 'x-cs-region': region }, body: { access_token: 'token-n8n', expires_in: 1799 } }));

	it('mints a token, with the API host Falcon names on Autodiscover and what it was minted for', async () => {
		const httpRequest = tokenAnswer('eu-1');
		const settings = { cloud: 'autodiscover', clientId: 'client-0001', clientSecret: CLIENT_SECRET, memberCid: '' };
		const output = await credential.preAuthentication.call({ helpers: { httpRequest } } as never, settings);
		expect(output).toEqual({ accessToken: 'token-n8n', apiBaseUrl: 'https://api.eu-1.crowdstrike.com', mintedFor: mintedFor(settings) });
		expect(httpRequest).toHaveBeenCalledWith(expect.objectContaining({ url: 'https://api.crowdstrike.com/oauth2/token', disableFollowRedirect: true }));
	});

	it("sends the Autodiscover credential's test (no base URL) to the cloud its token was minted on", async () => {
		const settings = { cloud: 'autodiscover', clientId: 'client-0001', memberCid: '' };
		const stored = { ...settings, accessToken: 'token-n8n', apiBaseUrl: 'https://api.us-2.crowdstrike.com', mintedFor: mintedFor(settings) };
		const sent = await authenticate(stored, { baseURL: '', url: '/oauth2/token', method: 'POST', headers: {} });
		expect(sent.baseURL).toBe('https://api.us-2.crowdstrike.com');
	});

	it('sends the token to the host it was minted for; a token minted for other settings is not sent', async () => {
		const settings = { cloud: 'custom', baseUrl: API, clientId: 'client-0001', memberCid: '' };
		const stored = { ...settings, accessToken: 'token-n8n', apiBaseUrl: API, mintedFor: mintedFor(settings) };
		const sent = await authenticate(stored, { url: SETTINGS, headers: {} });
		expect(sent).toMatchObject({ baseURL: API, headers: { Authorization: 'Bearer token-n8n' } });
		const edited = await authenticate({ ...stored, clientId: 'client-0002' }, { url: SETTINGS, headers: {} });
		expect(edited.headers).not.toHaveProperty('Authorization');
	});
});

