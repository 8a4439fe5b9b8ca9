import { mock } from 'jest-mock-extended';
import { ExecutionLifecycleHooks, LoadOptionsContext } from 'n8n-core';
import type { INode, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { sleep, Workflow } from 'n8n-workflow';
import nock from 'nock';

import { searchHosts } from '../../../nodes/CrowdStrikeFalcon/shared/hosts/searchHosts';
import { falconRequest } from '../../../nodes/CrowdStrikeFalcon/shared/transport/falconRequest';
import { credentialsOf } from '../../../nodes/CrowdStrikeFalcon/shared/transport/memberRequest';
import { clearMemberTokens, tokenCacheLimit } from '../../../nodes/CrowdStrikeFalcon/shared/transport/memberTokens';
import { testAdditionalData } from '../../harness/additionalData';
import { FALCON_CREDENTIAL } from '../../harness/credentials';
import {
	API,
	CLIENT_SECRET,
	envelope,
	falconErrors,
	mockToken,
	testCredentials,
} from '../../harness/falcon';
import { TestNodeTypes } from '../../harness/nodeTypes';
import { runNode } from '../../harness/runWorkflow';

const INSTALLATION_NODE = 'n8n-nodes-crowdstrike-falcon.crowdStrikeFalconInstallationTokens';
const HOSTS_NODE = 'n8n-nodes-crowdstrike-falcon.crowdStrikeFalconHosts';
const SETTINGS = '/installation-tokens/entities/customer-settings/v1';
const QUERY_PATH = '/installation-tokens/queries/tokens/v1';
const CHILD_A = '0123456789abcdef0123456789abcdef';
const CHILD_B = 'fedcba9876543210fedcba9876543210';
const settings = (tokensRequired: boolean) =>
	envelope([{ tokens_required: tokensRequired, max_active_tokens: 10 }]);

/** Settings > Get with the Member CID taken from each item's `cid`. */
const perItemSettings: INodeParameters = {
	resource: 'settings',
	operation: 'get',
	tenant: { memberCid: '={{ $json.cid }}' },
};
const cids = (...values: string[]): INodeExecutionData[] =>
	values.map((cid) => ({ json: { cid } }));

/** Falcon's token endpoint for one member CID: the form must carry it, and the secret. */
function memberToken(cid: string, token: string, { times = 1, expiresIn = 1799 } = {}) {
	return nock(API)
		.post(
			'/oauth2/token',
			(body: Record<string, string>) =>
				body.member_cid === cid && body.client_secret === CLIENT_SECRET,
		)
		.times(times)
		.reply(
			201,
			{ access_token: token, token_type: 'bearer', expires_in: expiresIn },
			{ 'X-CS-Region': 'us-1' },
		);
}

function api(token: string) {
	return nock(API, { reqheaders: { authorization: `Bearer ${token}` } });
}

beforeEach(() => clearMemberTokens());

describe('Member CID per item', () => {
	it("mints one token per child across items, operations and executions, and acts on each item's child", async () => {
		const tokenA = memberToken(CHILD_A, 'token-A');
		const tokenB = memberToken(CHILD_B, 'token-B');
		const inA = api('token-A').get(SETTINGS).times(2).reply(200, settings(true));
		const inB = api('token-B').get(SETTINGS).times(2).reply(200, settings(false));
		const credentials = testCredentials();

		const first = await runNode(INSTALLATION_NODE, perItemSettings, credentials, {
			input: cids(CHILD_A, CHILD_B, CHILD_A, CHILD_B),
		});
		expect(first.error).toBeUndefined();
		expect(first.items.map((item) => [item.json.tokens_required, item.pairedItem])).toEqual([
			[true, { item: 0 }],
			[false, { item: 1 }],
			[true, { item: 2 }],
			[false, { item: 3 }],
		]);

		const queryA = api('token-A')
			.get(QUERY_PATH)
			.query(true)
			.reply(200, envelope([], { pagination: { offset: 0, limit: 50, total: 0 } }));
		const queryB = api('token-B')
			.get(QUERY_PATH)
			.query(true)
			.reply(200, envelope([], { pagination: { offset: 0, limit: 50, total: 0 } }));
		const second = await runNode(
			INSTALLATION_NODE,
			{ resource: 'token', operation: 'getAll', tenant: { memberCid: '={{ $json.cid }}' } },
			credentials,
			{ input: cids(CHILD_B, CHILD_A) },
		);
		expect(second.error).toBeUndefined();
		expect(
			tokenA.isDone() &&
				tokenB.isDone() &&
				inA.isDone() &&
				inB.isDone() &&
				queryA.isDone() &&
				queryB.isDone(),
		).toBe(true);
		expect(nock.pendingMocks()).toEqual([]);
		// The credential's own token was never needed, and no child token was written into it.
		expect(credentials.preAuthentications).toEqual([]);
		expect(credentials.stored.accessToken).toBe('');
	});

	it("leaves an empty Member CID to the credential's own token (today's behaviour)", async () => {
		let form: Record<string, string> = {};
		nock(API)
			.post('/oauth2/token', (body: Record<string, string>) => {
				form = body;
				return true;
			})
			.reply(201, { access_token: 'token-1', expires_in: 1799 });
		const call = api('token-1').get(SETTINGS).times(2).reply(200, settings(true));
		const credentials = testCredentials();
		for (const tenant of [{}, { memberCid: '' }]) {
			const { error } = await runNode(
				INSTALLATION_NODE,
				{ resource: 'settings', operation: 'get', tenant },
				credentials,
			);
			expect(error).toBeUndefined();
		}
		expect(call.isDone()).toBe(true);
		expect(form.member_cid).toBeUndefined();
		// One token for both executions, from the transport's cache: n8n's handling of the credential is not used.
		expect(credentials.preAuthentications).toEqual([]);
	});

	it('refuses an item whose Member CID expression gives nothing, rather than acting on another tenant', async () => {
		const token = mockToken();
		const child = memberToken(CHILD_A, 'token-A');
		const { error } = await runNode(INSTALLATION_NODE, perItemSettings, testCredentials(), {
			input: [{ json: { cid: CHILD_A } }, { json: { hostname: 'WKS-1' } }],
		});
		expect(error?.message).toBe('"Tenant > Member CID" is empty for this item');
		expect(error?.context?.itemIndex).toBe(1);
		expect(token.isDone() || child.isDone()).toBe(false);
	});

	it('sends the CID as Falcon takes it: lower case, without the -XX checksum', async () => {
		const token = memberToken(CHILD_A, 'token-A');
		api('token-A').get(SETTINGS).reply(200, settings(true));
		const { error } = await runNode(
			INSTALLATION_NODE,
			{
				resource: 'settings',
				operation: 'get',
				tenant: { memberCid: `${CHILD_A.toUpperCase()}-4F` },
			},
			testCredentials(),
		);
		expect(error).toBeUndefined();
		expect(token.isDone()).toBe(true);
	});

	it('mints again when the token nears its expiry', async () => {
		const token = memberToken(CHILD_A, 'short-lived', { times: 2, expiresIn: 0.05 });
		api('short-lived').get(SETTINGS).times(2).reply(200, settings(true));
		const credentials = testCredentials();
		await runNode(INSTALLATION_NODE, perItemSettings, credentials, { input: cids(CHILD_A) });
		await sleep(80);
		await runNode(INSTALLATION_NODE, perItemSettings, credentials, { input: cids(CHILD_A) });
		expect(token.isDone()).toBe(true);
	});
});

describe('the token cache', () => {
	const CHILD_C = '00112233445566778899aabbccddeeff';
	const limitBefore = tokenCacheLimit.entries;
	afterEach(() => (tokenCacheLimit.entries = limitBefore));

	it('when full, drops the token used least recently, not the one minted first', async () => {
		tokenCacheLimit.entries = 2;
		const mintedA = memberToken(CHILD_A, 'token-A');
		const mintedB = memberToken(CHILD_B, 'token-B');
		const mintedC = memberToken(CHILD_C, 'token-C');
		api('token-A').get(SETTINGS).times(3).reply(200, settings(true));
		api('token-B').get(SETTINGS).reply(200, settings(true));
		api('token-C').get(SETTINGS).reply(200, settings(false));
		// A is used again before C comes: B is the one to go.
		const { items, error } = await runNode(INSTALLATION_NODE, perItemSettings, testCredentials(), { input: cids(CHILD_A, CHILD_B, CHILD_A, CHILD_C, CHILD_A) });
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.tokens_required)).toEqual([true, true, true, false, true]);
		expect([mintedA, mintedB, mintedC].every((minted) => minted.isDone())).toBe(true);
		expect(nock.pendingMocks()).toEqual([]);
	});
});

describe('401 with a member token', () => {
	it('mints a new token for that child and repeats the call once', async () => {
		const tokens = nock(API)
			.post('/oauth2/token', (body: Record<string, string>) => body.member_cid === CHILD_A)
			.reply(201, { access_token: 'stale-A', expires_in: 1799 })
			.post('/oauth2/token', (body: Record<string, string>) => body.member_cid === CHILD_A)
			.reply(201, { access_token: 'fresh-A', expires_in: 1799 });
		const rejected = api('stale-A')
			.get(SETTINGS)
			.reply(401, falconErrors(401, 'access denied, invalid bearer token'));
		const accepted = api('fresh-A').get(SETTINGS).times(2).reply(200, settings(true));
		const credentials = testCredentials();
		const { items, error } = await runNode(INSTALLATION_NODE, perItemSettings, credentials, {
			input: cids(CHILD_A, CHILD_A),
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(2);
		expect(tokens.isDone() && rejected.isDone() && accepted.isDone()).toBe(true);
		expect(credentials.preAuthentications).toEqual([]);
	});

	it('does not loop when the fresh token is refused too', async () => {
		const tokens = memberToken(CHILD_A, 'token-A', { times: 2 });
		const calls = api('token-A')
			.get(SETTINGS)
			.twice()
			.reply(401, falconErrors(401, 'access denied, invalid bearer token', 'trace-401'));
		const { error } = await runNode(INSTALLATION_NODE, perItemSettings, testCredentials(), {
			input: cids(CHILD_A),
		});
		expect(tokens.isDone() && calls.isDone()).toBe(true);
		expect(nock.pendingMocks()).toEqual([]);
		expect(error?.message).toBe('Falcon API error 401: access denied, invalid bearer token');
		expect(JSON.stringify(error)).not.toContain('token-A');
	});
});

describe('a child the parent does not manage', () => {
	it('fails that item with a 403 naming the child, not a missing scope; the other items carry on', async () => {
		nock(API)
			.post('/oauth2/token', (body: Record<string, string>) => body.member_cid === CHILD_B)
			.reply(403, falconErrors(403, 'access denied, authorization failed', 'trace-403'));
		memberToken(CHILD_A, 'token-A');
		api('token-A').get(SETTINGS).reply(200, settings(true));
		const { items, error } = await runNode(INSTALLATION_NODE, perItemSettings, testCredentials(), {
			input: cids(CHILD_B, CHILD_A),
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toEqual({
			error: `Falcon refused a token for member CID ${CHILD_B} (HTTP 403: access denied, authorization failed)`,
			http_status: 403,
			code: 403,
			trace_id: 'trace-403',
			errors: [{ code: 403, message: 'access denied, authorization failed' }],
			description: expect.stringContaining('Flight Control > Child > Get Many'),
		});
		expect(items[1].json).toMatchObject({ tokens_required: true });
		const everything = JSON.stringify(items);
		expect(everything).not.toContain('needs the API scope');
		expect(everything).not.toContain(CLIENT_SECRET);
		expect(everything).not.toContain('token-A');
	});

	it("a wrong secret refused with the same 403 is not blamed on the child: Falcon's words say it is the client", async () => {
		nock(API)
			.post('/oauth2/token')
			.reply(403, falconErrors(403, 'Failed to issue access token - Client authentication failed', 'trace-403'));
		const { items } = await runNode(INSTALLATION_NODE, perItemSettings, testCredentials(), {
			input: cids(CHILD_B),
			continueOnFail: true,
		});
		expect(items[0].json.error).toBe(
			`Falcon refused a token for member CID ${CHILD_B} (HTTP 403: Failed to issue access token - Client authentication failed)`,
		);
		expect(items[0].json.description).toContain('Client ID and Secret');
		expect(String(items[0].json.description)).not.toContain('Flight Control > Child > Get Many');
	});

	it('stops the node with the same error without Continue On Fail, the secret nowhere in it', async () => {
		nock(API)
			.post('/oauth2/token')
			.reply(403, falconErrors(403, 'access denied, authorization failed'));
		const { error } = await runNode(INSTALLATION_NODE, perItemSettings, testCredentials(), {
			input: cids(CHILD_B),
		});
		expect(error?.message).toBe(
			`Falcon refused a token for member CID ${CHILD_B} (HTTP 403: access denied, authorization failed)`,
		);
		expect(error?.httpCode).toBe('403');
		expect(JSON.stringify(error)).not.toContain(CLIENT_SECRET);
		expect(String(error?.stack)).not.toContain(CLIENT_SECRET);
	});
});

describe('a token endpoint that fails for a child (5xx) after its retries', () => {
	it('says so, not that the CID may be no child of the parent', async () => {
		const tried = nock(API)
			.post('/oauth2/token', (body: Record<string, string>) => body.member_cid === CHILD_B)
			.times(3)
			.reply(503, falconErrors(503, 'service unavailable', 'trace-503'));
		const { items } = await runNode(INSTALLATION_NODE, perItemSettings, testCredentials(), {
			input: cids(CHILD_B),
			continueOnFail: true,
		});
		expect(tried.isDone()).toBe(true);
		expect(items[0].json).toMatchObject({
			error: `Falcon could not issue a token for member CID ${CHILD_B} (HTTP 503: service unavailable)`,
			description: expect.stringContaining('this is not about the CID or the client'),
		});
		expect(String(items[0].json.description)).not.toContain('Flight Control > Child > Get Many');
	});
	it('fails the next items of that child at once, for a short while, instead of waiting out the retries for each', async () => {
		const tried = nock(API)
			.post('/oauth2/token', (body: Record<string, string>) => body.member_cid === CHILD_B)
			.times(3)
			.reply(503, falconErrors(503, 'service unavailable', 'trace-503'));
		memberToken(CHILD_A, 'token-A');
		api('token-A').get(SETTINGS).reply(200, settings(true));
		const { items } = await runNode(INSTALLATION_NODE, perItemSettings, testCredentials(), {
			input: cids(CHILD_B, CHILD_B, CHILD_A, CHILD_B),
			continueOnFail: true,
		});
		expect(tried.isDone()).toBe(true);
		expect(items.map((item) => item.json.error ?? item.json.tokens_required)).toEqual([
			`Falcon could not issue a token for member CID ${CHILD_B} (HTTP 503: service unavailable)`,
			`Falcon could not issue a token for member CID ${CHILD_B} (HTTP 503: service unavailable)`,
			true,
			`Falcon could not issue a token for member CID ${CHILD_B} (HTTP 503: service unavailable)`,
		]);
	});
	it('is remembered for that node run only: a run right after it (n8n\'s Retry On Fail) asks Falcon again', async () => {
		nock(API)
			.post('/oauth2/token', (body: Record<string, string>) => body.member_cid === CHILD_B)
			.times(3)
			.reply(503, falconErrors(503, 'service unavailable'));
		const credentials = testCredentials();
		const failed = await runNode(INSTALLATION_NODE, perItemSettings, credentials, { input: cids(CHILD_B), continueOnFail: true });
		expect(failed.items[0].json.error).toContain('HTTP 503');
		memberToken(CHILD_B, 'token-B');
		api('token-B').get(SETTINGS).reply(200, settings(true));
		const retried = await runNode(INSTALLATION_NODE, perItemSettings, credentials, { input: cids(CHILD_B) });
		expect(retried.error).toBeUndefined();
		expect(retried.items[0].json).toMatchObject({ tokens_required: true });
	});

	it('while it is remembered, a token not yet expired goes on serving', async () => {
		memberToken(CHILD_A, 'token-A', { expiresIn: 60 });
		const renewals = nock(API)
			.post('/oauth2/token', (body: Record<string, string>) => body.member_cid === CHILD_A)
			.times(3)
			.reply(503, falconErrors(503, 'service unavailable'));
		const inA = api('token-A').get(SETTINGS).times(3).reply(200, settings(true));
		const credentials = testCredentials();
		await runNode(INSTALLATION_NODE, perItemSettings, credentials, { input: cids(CHILD_A) });
		// 55 s later, past 90 % of its 60 s: each call waits for its successor, whose minting fails. The clock is moved
		// rather than waited on, so a loaded machine cannot carry the second run past the token's real expiry.
		const realNow = Date.now.bind(Date);
		const later = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + 55_000);
		let items: Awaited<ReturnType<typeof runNode>>['items'];
		try {
			({ items } = await runNode(INSTALLATION_NODE, perItemSettings, credentials, { input: cids(CHILD_A, CHILD_A) }));
		} finally {
			later.mockRestore();
		}
		expect(items.map((item) => item.json.error ?? item.json.tokens_required)).toEqual([true, true]);
		expect(renewals.isDone()).toBe(true);
		expect(inA.isDone()).toBe(true);
	});
});

describe('a token endpoint that rate-limits a child', () => {
	const inSeconds = (seconds: number) => String(Math.ceil(Date.now() / 1000) + seconds);

	it('past the longest wait: says so, not that the CID may be no child of the parent', async () => {
		const tried = nock(API)
			.post('/oauth2/token', (body: Record<string, string>) => body.member_cid === CHILD_B)
			.reply(429, falconErrors(429, 'API rate limit exceeded.'), { 'X-RateLimit-RetryAfter': inSeconds(600) });
		const { items } = await runNode(INSTALLATION_NODE, perItemSettings, testCredentials(), {
			input: cids(CHILD_B),
			continueOnFail: true,
		});
		expect(tried.isDone()).toBe(true);
		expect(items[0].json).toMatchObject({
			error: `Falcon could not issue a token for member CID ${CHILD_B} (HTTP 429: API rate limit exceeded.)`,
			description: expect.stringContaining('too many token requests'),
		});
		expect(String(items[0].json.description)).not.toContain('Flight Control > Child > Get Many');
	});

	it('a cancelled execution stops waiting at once; the token arrives in the background and serves the next run', async () => {
		let asked = 0;
		nock(API)
			.post('/oauth2/token', (body: Record<string, string>) => body.member_cid === CHILD_A)
			.times(2)
			.reply(() => {
				asked++;
				return asked === 1
					? [429, falconErrors(429, 'API rate limit exceeded.'), { 'X-RateLimit-RetryAfter': inSeconds(2) }]
					: [201, { access_token: 'token-A', token_type: 'bearer', expires_in: 1799 }, { 'X-CS-Region': 'us-1' }];
			});
		let cancelledAt = 0;
		const cancel = (async () => {
			while (asked === 0) await sleep(5);
			await sleep(100);
			cancelledAt = Date.now();
		})();
		const { run } = await runNode(INSTALLATION_NODE, perItemSettings, testCredentials(), { input: cids(CHILD_A), cancelWhen: cancel });
		expect(run.status).toBe('canceled');
		expect(Date.now() - cancelledAt).toBeLessThan(1_000);
		expect(asked).toBe(1);

		while (asked < 2) await sleep(20);
		const inA = api('token-A').get(SETTINGS).reply(200, settings(true));
		const { items, error } = await runNode(INSTALLATION_NODE, perItemSettings, testCredentials(), { input: cids(CHILD_A) });
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ tokens_required: true });
		expect(inA.isDone()).toBe(true);
		expect(asked).toBe(2);
	}, 15_000);
});

describe('a malformed Member CID', () => {
	it.each([['xyz'], [`${CHILD_A}0`], [`${CHILD_A}-4`], ['{{ not a cid }}']])(
		'%s stops the node before any request, naming the field and the item',
		async (bad) => {
			const token = mockToken();
			const child = memberToken(CHILD_A, 'token-A');
			const { error } = await runNode(INSTALLATION_NODE, perItemSettings, testCredentials(), {
				input: cids(CHILD_A, bad),
			});
			expect(error?.message).toBe(
				`Invalid "Tenant > Member CID": must be a CID of 32 hexadecimal characters, optionally with its -XX checksum (got ${JSON.stringify(bad)})`,
			);
			expect(error?.context?.itemIndex).toBe(1);
			expect(token.isDone() || child.isDone()).toBe(false);
		},
	);
});

describe('flows over all items', () => {
	const HOST_A = '4f1c6a2b9d3e4f5a8b7c6d5e4f3a2b1c';
	const HOST_B = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
	const device = (aid: string, status: string) => ({
		device_id: aid,
		hostname: `host-${aid.slice(0, 4)}`,
		status,
	});

	it('contain once per child: each child gets its own PerformActionV2 with its own token', async () => {
		memberToken(CHILD_A, 'token-A');
		memberToken(CHILD_B, 'token-B');
		const inA = api('token-A')
			.post('/devices/entities/devices/v2', { ids: [HOST_A] })
			.reply(200, envelope([device(HOST_A, 'normal')]))
			.post('/devices/entities/devices-actions/v2', { ids: [HOST_A] })
			.query({ action_name: 'contain' })
			.reply(202, envelope([{ id: HOST_A }]))
			.post('/devices/entities/devices/v2', { ids: [HOST_A] })
			.reply(200, envelope([device(HOST_A, 'containment_pending')]));
		const inB = api('token-B')
			.post('/devices/entities/devices/v2', { ids: [HOST_B] })
			.reply(200, envelope([device(HOST_B, 'normal')]))
			.post('/devices/entities/devices-actions/v2', { ids: [HOST_B] })
			.query({ action_name: 'contain' })
			.reply(202, envelope([{ id: HOST_B }]))
			.post('/devices/entities/devices/v2', { ids: [HOST_B] })
			.reply(200, envelope([device(HOST_B, 'containment_pending')]));
		const { items, error } = await runNode(
			HOSTS_NODE,
			{
				resource: 'host',
				operation: 'contain',
				hostId: '={{ $json.host }}',
				options: {},
				tenant: { memberCid: '={{ $json.cid }}' },
			},
			testCredentials(),
			{
				input: [{ json: { cid: CHILD_A, host: HOST_A } }, { json: { cid: CHILD_B, host: HOST_B } }],
			},
		);
		expect(error).toBeUndefined();
		expect(inA.isDone() && inB.isDone()).toBe(true);
		expect(items.map((item) => [item.json.host_id, item.json.result, item.pairedItem])).toEqual([
			[HOST_A, 'containment_pending', { item: 0 }],
			[HOST_B, 'containment_pending', { item: 1 }],
		]);
	});
});

describe('requests outside an execution', () => {
	const node: INode = {
		id: 'hosts',
		name: 'Hosts',
		type: HOSTS_NODE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [FALCON_CREDENTIAL]: { id: '1', name: 'Falcon API' } },
	};

	function loadOptionsContext(parameters: INodeParameters): LoadOptionsContext {
		const withParameters = { ...node, parameters };
		const workflow = new Workflow({
			id: 'wf',
			nodes: [withParameters],
			connections: {},
			nodeTypes: new TestNodeTypes(),
			active: false,
		});
		const additionalData = testAdditionalData(
			testCredentials(),
			new ExecutionLifecycleHooks('internal', 'lo', mock()),
		);
		return new LoadOptionsContext(workflow, withParameters, additionalData, 'parameters.hostId');
	}

	it("the host picker lists the node's child when its Member CID is a CID", async () => {
		memberToken(CHILD_A, 'token-A');
		const calls = api('token-A')
			.get('/devices/queries/devices/v1')
			.query(true)
			.reply(200, envelope([], { pagination: { offset: 0, limit: 50, total: 0 } }));
		const context = loadOptionsContext({
			resource: 'host',
			operation: 'contain',
			tenant: { memberCid: CHILD_A },
		});
		await expect(searchHosts.call(context)).resolves.toEqual({
			results: [],
			paginationToken: undefined,
		});
		expect(calls.isDone()).toBe(true);
	});

	it('the host picker says so when the Member CID is an expression it cannot evaluate', async () => {
		const token = mockToken();
		const context = loadOptionsContext({
			resource: 'host',
			operation: 'contain',
			tenant: { memberCid: '={{ $json.cid }}' },
		});
		await expect(searchHosts.call(context)).rejects.toThrow(
			'"Tenant > Member CID" cannot be evaluated here',
		);
		expect(token.isDone()).toBe(false);
	});

	it('a caller without items (a trigger) can name the child of each request', async () => {
		memberToken(CHILD_B, 'token-B');
		const call = api('token-B').get(SETTINGS).reply(200, settings(false));
		const context = loadOptionsContext({});
		const { body } = await falconRequest.call(context, {
			method: 'GET',
			path: SETTINGS,
			memberCid: CHILD_B,
		});
		expect(body.resources).toEqual([{ tokens_required: false, max_active_tokens: 10 }]);
		expect(call.isDone()).toBe(true);
	});
});

describe('the credential as a long-lived context reads it (a trigger\'s lives as long as its activation)', () => {
	const node = { name: 'Falcon Trigger' } as INode;
	const contextReading = (answers: Array<Record<string, unknown> | Error>) => {
		const getCredentials = jest.fn(async () => {
			const answer = answers.shift()!;
			if (answer instanceof Error) throw answer;
			return answer;
		});
		return { context: { getNode: () => node, getCredentials: getCredentials as never, helpers: {} }, getCredentials };
	};
	const credentialNamesChild = async (context: Parameters<typeof credentialsOf>[0]) =>
		String((await credentialsOf(context, undefined)).memberCid ?? '') !== '';

	it('reads it again after a read that failed, instead of failing every later call', async () => {
		const { context, getCredentials } = contextReading([new Error('database unavailable'), { memberCid: CHILD_A }]);
		await expect(credentialNamesChild(context)).rejects.toThrow('database unavailable');
		await expect(credentialNamesChild(context)).resolves.toBe(true);
		expect(getCredentials).toHaveBeenCalledTimes(2);
	});

	it('reads it once a minute at most, so an edit (a new secret) reaches it', async () => {
		const { context, getCredentials } = contextReading([{ memberCid: CHILD_A }, { memberCid: '' }]);
		const now = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
		try {
			await expect(credentialNamesChild(context)).resolves.toBe(true);
			now.mockReturnValue(1_000_000 + 59_000);
			await expect(credentialNamesChild(context)).resolves.toBe(true);
			expect(getCredentials).toHaveBeenCalledTimes(1);
			now.mockReturnValue(1_000_000 + 61_000);
			await expect(credentialNamesChild(context)).resolves.toBe(false);
			expect(getCredentials).toHaveBeenCalledTimes(2);
		} finally {
			now.mockRestore();
		}
	});
});
