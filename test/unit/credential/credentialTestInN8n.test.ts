import nock from 'nock';

import { CrowdStrikeFalconOAuth2Api } from '../../../credentials/CrowdStrikeFalconOAuth2Api.credentials';
import { mintedFor } from '../../../nodes/CrowdStrikeFalcon/shared/transport/mintedFor';
import { runCredentialTest } from '../../harness/credentialTest';
import { CLIENT_SECRET, falconErrors } from '../../harness/falcon';

const US1 = 'https://api.crowdstrike.com';
const US2 = 'https://api.us-2.crowdstrike.com';
const LOCAL = 'http://127.0.0.1:8391';
const FORM = `client_id=client-0001&client_secret=${CLIENT_SECRET}`;

const rules = new CrowdStrikeFalconOAuth2Api().test.rules ?? [];
const ruleMessage = (code: number) =>
	rules.find((rule) => rule.type === 'responseCode' && rule.properties.value === code)!.properties.message;

type Answer = [number, unknown, Record<string, string>];
const issued = (region: string): Answer => [201, { access_token: `token-${region}`, token_type: 'bearer', expires_in: 1799 }, { 'X-CS-Region': region }];
// What US-1 answers a client of US-2: a redirect with no body.
const toUs2: Answer = [308, '', { Location: `${US2}/oauth2/token`, 'X-CS-Region': 'us-2' }];

/** Every token request that reached a host, in order: the host, its Authorization header and its form. */
let asked: Array<{ host: string; authorization?: string; form: string }>;

function tokenEndpoint(host: string, answer: Answer, times = 1) {
	return nock(host)
		.post('/oauth2/token')
		.times(times)
		.reply(function (_uri, body) {
			asked.push({ host, authorization: this.req.headers.authorization, form: String(body) });
			return answer;
		});
}

const client = { clientId: 'client-0001', clientSecret: CLIENT_SECRET, memberCid: '' };

beforeEach(() => {
	asked = [];
});

describe("the credential test as n8n 2.41.1's tester runs it (RoutingNode, preAuthentication, test rules)", () => {
	it('Autodiscover, fresh credential: n8n mints the token first (following US-1\'s redirect to US-2), and the test, with no base URL of its own, goes to US-2', async () => {
		const us1 = tokenEndpoint(US1, toUs2);
		const us2 = tokenEndpoint(US2, issued('us-2'), 2);
		const { status, message, credentialsHelper } = await runCredentialTest({ ...client, cloud: 'autodiscover' });
		expect({ status, message }).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(us1.isDone() && us2.isDone()).toBe(true);
		expect(nock.pendingMocks()).toEqual([]);
		// preAuthentication: US-1, then US-2 (no token sent); the test request itself: US-2, with the token; US-1 never again.
		expect(asked).toEqual([
			{ host: US1, authorization: undefined, form: FORM },
			{ host: US2, authorization: undefined, form: FORM },
			{ host: US2, authorization: 'Bearer token-us-2', form: FORM },
		]);
		// RoutingNode hands the empty base URL on as it is; `authenticate` points it at the host the token was minted on.
		expect(credentialsHelper.received.map((options) => options.baseURL)).toEqual(['']);
		expect(credentialsHelper.sent).toEqual([expect.objectContaining({ baseURL: US2, url: '/oauth2/token', method: 'POST', disableFollowRedirect: true })]);
		expect(credentialsHelper.preAuthenticationCalls).toEqual([{ expired: false, testing: false, minted: true }]);
		// n8n persists what preAuthentication returned: nodes of the HTTP Request node reuse it.
		expect(credentialsHelper.stored).toMatchObject({
			accessToken: 'token-us-2',
			apiBaseUrl: US2,
			mintedFor: mintedFor({ ...client, cloud: 'autodiscover' }),
		});
	});

	it('Autodiscover, a US-1 client: the token and the test request both go to US-1', async () => {
		const us1 = tokenEndpoint(US1, issued('us-1'), 2);
		const { status, credentialsHelper } = await runCredentialTest({ ...client, cloud: 'autodiscover' });
		expect(status).toBe('OK');
		expect(us1.isDone()).toBe(true);
		expect(asked).toEqual([
			{ host: US1, authorization: undefined, form: FORM },
			{ host: US1, authorization: 'Bearer token-us-1', form: FORM },
		]);
		expect(credentialsHelper.sent.map((options) => options.baseURL)).toEqual([US1]);
		expect(credentialsHelper.stored.apiBaseUrl).toBe(US1);
	});

	it("a fixed US-1 Cloud with a US-2 client fails with the mismatch preAuthentication names, and the test request is never sent", async () => {
		const us1 = tokenEndpoint(US1, toUs2);
		const { status, message, credentialsHelper } = await runCredentialTest({ ...client, cloud: 'us-1' });
		expect(status).toBe('Error');
		// n8n shows the thrown error's own message (NodeApiError keeps it; no response, no network code to replace it).
		expect(message).toContain('This API client belongs to the US-2 cloud');
		expect(message).toBe("This API client belongs to the US-2 cloud, but the credential's Cloud is US-1. Choose US-2 or Autodiscover.");
		expect(us1.isDone()).toBe(true);
		expect(asked).toEqual([{ host: US1, authorization: undefined, form: FORM }]);
		expect(credentialsHelper.sent).toEqual([]);
		expect(credentialsHelper.stored.accessToken).toBe('');
	});

	describe('Custom URL', () => {
		it('passes when the token endpoint issues a token (a trailing slash trimmed)', async () => {
			const local = tokenEndpoint(LOCAL, issued('us-1'), 2);
			const { status, credentialsHelper } = await runCredentialTest({ ...client, cloud: 'custom', baseUrl: `${LOCAL}/` });
			expect(status).toBe('OK');
			expect(local.isDone()).toBe(true);
			expect(asked.map((request) => request.authorization)).toEqual([undefined, 'Bearer token-us-1']);
			expect(credentialsHelper.received.map((options) => options.baseURL)).toEqual([LOCAL]);
			expect(credentialsHelper.sent.map((options) => options.baseURL)).toEqual([LOCAL]);
		});

		it("a fresh credential refused (403) fails in preAuthentication, with Falcon's message rather than the 403 rule", async () => {
			const local = tokenEndpoint(LOCAL, [403, falconErrors(403, 'access denied, authorization failed'), {}]);
			const { status, message, credentialsHelper } = await runCredentialTest({ ...client, cloud: 'custom', baseUrl: LOCAL });
			expect({ status, message }).toEqual({
				status: 'Error',
				message: 'Falcon refused to issue a token (HTTP 403: access denied, authorization failed) [trace_id trace-err-1]',
			});
			expect(local.isDone()).toBe(true);
			expect(asked).toHaveLength(1);
			expect(credentialsHelper.sent).toEqual([]);
			expect(message).not.toContain(CLIENT_SECRET);
		});

		it('with a token stored for these settings, n8n mints none: the test request itself is refused (403) and the 403 rule explains it', async () => {
			const settings = { ...client, cloud: 'custom', baseUrl: LOCAL };
			const local = tokenEndpoint(LOCAL, [403, falconErrors(403, 'access denied, authorization failed'), {}]);
			const { status, message, credentialsHelper } = await runCredentialTest({
				...settings,
				accessToken: 'stored-token',
				apiBaseUrl: LOCAL,
				mintedFor: mintedFor(settings),
			});
			expect({ status, message }).toEqual({ status: 'Error', message: ruleMessage(403) });
			expect(local.isDone()).toBe(true);
			expect(asked).toEqual([{ host: LOCAL, authorization: 'Bearer stored-token', form: FORM }]);
			expect(credentialsHelper.preAuthenticationCalls).toEqual([{ expired: false, testing: false, minted: false }]);
		});
	});

	it('known limitation: a token stored for other settings (minted on US-2, Cloud now Autodiscover) is not renewed by the test: US-1 redirects the bare test request (308) and the 308 rule is shown', async () => {
		const us1 = tokenEndpoint(US1, toUs2);
		const us2 = tokenEndpoint(US2, issued('us-2'));
		const { status, message, credentialsHelper } = await runCredentialTest({
			...client,
			cloud: 'autodiscover',
			accessToken: 'stale-n8n',
			apiBaseUrl: US2,
			mintedFor: mintedFor({ ...client, cloud: 'us-2' }),
		});
		expect({ status, message }).toEqual({ status: 'Error', message: ruleMessage(308) });
		expect(us1.isDone()).toBe(true);
		// n8n runs preAuthentication only for an empty token or after a 401, and a 308 is no 401: no token is minted.
		// Its "while testing" re-mint needs a node of type n8n-nodes-base.noOp; the tester's temp node is of type noOp.
		expect(us2.isDone()).toBe(false);
		expect(credentialsHelper.preAuthenticationCalls).toEqual([{ expired: false, testing: false, minted: false }]);
		// `authenticate` withholds the token minted for other settings and sends the test to the configured host, US-1.
		expect(asked).toEqual([{ host: US1, authorization: undefined, form: FORM }]);
		expect(credentialsHelper.sent).toEqual([expect.objectContaining({ baseURL: US1 })]);
		expect(credentialsHelper.sent[0].headers).not.toHaveProperty('Authorization');
		expect(credentialsHelper.stored.accessToken).toBe('stale-n8n');
	});
});
