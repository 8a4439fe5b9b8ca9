import type { RunningSimulator } from '../../simulator';
import { delay } from '../../simulator/timers';
import { connect, expectEnvelope, requestToken, withSimulator, type Envelope } from './helpers';

describe('simulator: OAuth2, envelope, rate limits', () => {
	let sim: RunningSimulator;
	beforeAll(async () => {
		sim = await withSimulator({ region: 'eu-1', rateLimitPerMinute: 6000 });
	});
	afterAll(() => sim.close());
	beforeEach(() => sim.reset());

	it('issues a bearer token with 201, expires_in and X-CS-Region', async () => {
		const res = await requestToken(sim);
		expect(res.status).toBe(201);
		expect(res.headers.get('x-cs-region')).toBe('eu-1');
		const body = (await res.json()) as Record<string, unknown>;
		expect(body.token_type).toBe('bearer');
		expect(body.expires_in).toBe(1799);
		expect(typeof body.access_token).toBe('string');
		expect(sim.state().tokensIssued).toHaveLength(1);
	});

	it('rejects a bad secret with the 403 envelope Falcon sends (as for a child not managed) and a missing client_id with 400', async () => {
		const bad = await fetch(`${sim.url}/oauth2/token`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: `client_id=${sim.clientId}&client_secret=wrong`,
		});
		expect(bad.status).toBe(403);
		const body = (await bad.json()) as Envelope;
		expectEnvelope(body);
		expect(body.errors).toEqual([{ code: 403, message: expect.stringContaining('Client authentication failed') }]);
		expect(body.resources).toEqual([]);
		expect(bad.headers.get('x-cs-traceid')).toBe(body.meta.trace_id);

		const missing = await fetch(`${sim.url}/oauth2/token`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: 'client_secret=x',
		});
		expect(missing.status).toBe(400);
	});

	it('requires a valid bearer on API calls and stops accepting a revoked one', async () => {
		const noAuth = await fetch(`${sim.url}/installation-tokens/queries/tokens/v1`);
		expect(noAuth.status).toBe(401);
		expect(((await noAuth.json()) as Envelope).errors[0].message).toBe('access denied, invalid bearer token');

		const client = await connect(sim);
		expect((await client.call('GET', '/installation-tokens/queries/tokens/v1')).status).toBe(200);
		const revoke = await fetch(`${sim.url}/oauth2/revoke`, {
			method: 'POST',
			headers: {
				'Content-Type': 'application/x-www-form-urlencoded',
				Authorization: `basic ${Buffer.from(`${sim.clientId}:${sim.clientSecret}`).toString('base64')}`,
			},
			body: `token=${client.token}`,
		});
		expect(revoke.status).toBe(200);
		expect((await client.call('GET', '/installation-tokens/queries/tokens/v1')).status).toBe(401);
		expect(sim.state().tokensIssued[0].revoked).toBe(true);
	});

	it('expires tokens after the configured lifetime', async () => {
		const short = await withSimulator({ tokenLifetimeSeconds: 0.05 });
		try {
			const client = await connect(short);
			await delay(80);
			expect((await client.call('GET', '/installation-tokens/queries/tokens/v1')).status).toBe(401);
		} finally {
			await short.close();
		}
	});

	it('records the member CID and scopes data to the child CID', async () => {
		const child = 'abcdefabcdefabcdefabcdefabcdef12';
		const parent = await connect(sim);
		const member = await connect(sim, { member_cid: child });
		await member.json('POST', '/installation-tokens/entities/tokens/v1', { label: 'child only' });
		const parentIds = (await parent.json('GET', '/installation-tokens/queries/tokens/v1')).body.resources as string[];
		const memberIds = (await member.json('GET', '/installation-tokens/queries/tokens/v1')).body.resources as string[];
		expect(memberIds.length).toBe(parentIds.length + 1);
		const state = sim.state();
		expect(state.memberCidsSeen).toEqual([child]);
		expect(state.requests.filter((r) => r.memberCid === child).length).toBe(2);
		expect(JSON.stringify(state.requests)).not.toContain(sim.clientSecret);
	});

	it('sends trace id and rate-limit headers on every response', async () => {
		const client = await connect(sim);
		const first = await client.call('GET', '/installation-tokens/queries/tokens/v1');
		const second = await client.call('GET', '/installation-tokens/queries/tokens/v1');
		const body = (await second.json()) as Envelope;
		expectEnvelope(body);
		expect(second.headers.get('x-cs-traceid')).toBe(body.meta.trace_id);
		expect(first.headers.get('x-cs-traceid')).not.toBe(second.headers.get('x-cs-traceid'));
		expect(second.headers.get('x-ratelimit-limit')).toBe('6000');
		expect(Number(second.headers.get('x-ratelimit-remaining'))).toBe(Number(first.headers.get('x-ratelimit-remaining')) - 1);
	});

	it('answers 429 with X-RateLimit-RetryAfter in epoch seconds once the per-minute budget is spent', async () => {
		const tight = await withSimulator({ rateLimitPerMinute: 3 });
		try {
			const client = await connect(tight);
			await client.call('GET', '/installation-tokens/queries/tokens/v1');
			await client.call('GET', '/installation-tokens/queries/tokens/v1');
			const limited = await client.call('GET', '/installation-tokens/queries/tokens/v1');
			expect(limited.status).toBe(429);
			expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
			const retryAfter = Number(limited.headers.get('x-ratelimit-retryafter'));
			const nowSeconds = Date.now() / 1000;
			expect(retryAfter).toBeGreaterThan(nowSeconds);
			expect(retryAfter).toBeLessThanOrEqual(Math.ceil(nowSeconds) + 61);
			const body = (await limited.json()) as Envelope;
			expect(body).not.toHaveProperty('resources');
			expect(body.errors[0].code).toBe(429);
		} finally {
			await tight.close();
		}
	});
});
