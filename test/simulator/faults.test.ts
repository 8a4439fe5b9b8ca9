import type { RunningSimulator } from '../../simulator';
import { delay } from '../../simulator/timers';
import { connect, withSimulator, type Client, type Json } from './helpers';
import { FeedReader } from './feedReader';

const DISCOVER = '/sensors/entities/datafeed/v2';
const QUERY = '/installation-tokens/queries/tokens/v1';

describe('simulator: fault knobs and control endpoints', () => {
	let sim: RunningSimulator;
	let client: Client;
	const feeds: FeedReader[] = [];

	beforeAll(async () => {
		sim = await withSimulator({ keepAliveMs: 40 });
	});
	afterAll(() => sim.close());
	beforeEach(async () => {
		sim.reset();
		client = await connect(sim);
	});
	afterEach(() => feeds.splice(0).forEach((f) => f.close()));

	async function control(path: string, body?: unknown): Promise<Json> {
		const res = await fetch(`${sim.url}/_simulator/${path}`, {
			method: body === undefined ? 'GET' : 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		return res.json();
	}

	async function openFeed(appId = 'faultApp'): Promise<{ feed: FeedReader; resource: Json }> {
		const [resource] = (await client.json('GET', `${DISCOVER}?appId=${appId}`)).body.resources;
		const feed = await FeedReader.open(resource.dataFeedURL, resource.sessionToken.token);
		feeds.push(feed);
		return { feed, resource };
	}

	it('drops the feed mid-line: the client sees half a JSON record and a broken stream', async () => {
		const { feed } = await openFeed();
		sim.injectEvent({ eventType: 'UserActivityAuditEvent' });
		await feed.until(() => feed.events().length === 1);
		await control('faults', { dropFeedMidLine: 1 });
		sim.injectEvent({ eventType: 'EppDetectionSummaryEvent' });
		await feed.until(() => feed.ended !== 'open');
		expect(feed.ended).toBe('error');
		expect(feed.partial.startsWith('{"metadata":{')).toBe(true);
		expect(() => JSON.parse(feed.partial)).toThrow();
		// Offsets survive: a reconnect replays the torn event.
		await delay(30);
		const again = await openFeed();
		await again.feed.until(() => again.feed.events().length === 2);
		expect(again.feed.events()[1].metadata.offset).toBe(1);
	});

	it('401s the feed, fails refreshes with 5xx and empties discovery N times, then recovers', async () => {
		sim.setFaults({ feed401: 1, refresh5xx: 2, emptyDiscovery: 2 });
		expect((await client.json('GET', `${DISCOVER}?appId=a1`)).body.resources).toEqual([]);
		expect((await client.json('GET', `${DISCOVER}?appId=a1`)).body.resources).toEqual([]);
		const [resource] = (await client.json('GET', `${DISCOVER}?appId=a1`)).body.resources;
		expect((await FeedReader.open(resource.dataFeedURL, resource.sessionToken.token)).status).toBe(401);
		const feed = await FeedReader.open(resource.dataFeedURL, resource.sessionToken.token);
		feeds.push(feed);
		expect(feed.status).toBe(200);
		const refresh = () =>
			fetch(resource.refreshActiveSessionURL, { method: 'POST', headers: { Authorization: `Bearer ${client.token}`, 'Content-Type': 'application/json' }, body: '{}' });
		expect((await refresh()).status).toBe(503);
		expect((await refresh()).status).toBe(503);
		expect((await refresh()).status).toBe(200);
	});

	it('silences the feed (no events, no keep-alives) and resumes where it stopped', async () => {
		const { feed } = await openFeed();
		await feed.until(() => feed.keepAlives() >= 1);
		sim.setFaults({ feedSilence: true });
		await delay(20);
		const before = feed.lines.length;
		sim.injectEvent({ eventType: 'UserActivityAuditEvent' });
		await delay(200);
		expect(feed.lines.length).toBe(before);
		expect(feed.partial).toBe('');
		sim.setFaults({ feedSilence: false });
		await feed.until(() => feed.events().length === 1);
		expect(feed.events()[0].metadata.offset).toBe(0);
	});

	it('pauses event generation without closing feeds, and 403s a path like a missing scope', async () => {
		const generating = await withSimulator({ eventsPerSecond: 200 });
		try {
			await delay(100);
			generating.setFaults({ pauseEventGeneration: true });
			await delay(30);
			const head = generating.state().streams.partitions[0];
			expect(head.nextOffset).toBeGreaterThan(0);
			await delay(100);
			expect(generating.state().streams.partitions[0]).toEqual(head);
			generating.setFaults({ pauseEventGeneration: false });
			await delay(100);
			expect(generating.state().streams.partitions[0].nextOffset).toBeGreaterThan(head.nextOffset);
		} finally {
			await generating.close();
		}
		sim.setFaults({ serverErrors: [{ pathPrefix: DISCOVER, count: 1, status: 403 }] });
		const denied = await client.json('GET', `${DISCOVER}?appId=scopeTest`);
		expect(denied.status).toBe(403);
		expect(denied.body.errors).toEqual([{ code: 403, message: 'access denied, authorization failed' }]);
	});

	it('produces 429 storms by count and by duration, with RetryAfter', async () => {
		await control('faults', { rateLimitNext: 2 });
		const statuses = [];
		for (let i = 0; i < 3; i++) statuses.push((await client.call('GET', QUERY)).status);
		expect(statuses).toEqual([429, 429, 200]);
		sim.setFaults({ rateLimitForMs: 1_000 });
		const limited = await client.call('GET', QUERY);
		expect(limited.status).toBe(429);
		expect(Number(limited.headers.get('x-ratelimit-retryafter'))).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000));
		await delay(1_050);
		expect((await client.call('GET', QUERY)).status).toBe(200);
	});

	it('fails a path prefix with 5xx N times and adds latency', async () => {
		sim.setFaults({ serverErrors: [{ pathPrefix: '/installation-tokens/', count: 2, status: 502 }] });
		expect((await client.call('GET', QUERY)).status).toBe(502);
		expect((await client.call('GET', '/real-time-response/queries/sessions/v1')).status).toBe(200);
		expect((await client.call('GET', QUERY)).status).toBe(502);
		expect((await client.call('GET', QUERY)).status).toBe(200);
		sim.setFaults({ latencyMs: 120 });
		const started = Date.now();
		await client.call('GET', QUERY);
		expect(Date.now() - started).toBeGreaterThanOrEqual(110);
	});

	it('runs Falcon\'s clock ahead of or behind the machine\'s: the Date header and new events\' creation times', async () => {
		const hourBehind = -3_600_000;
		sim.setFaults({ clockAheadMs: hourBehind });
		const discovered = await client.json('GET', `${DISCOVER}?appId=clockApp`);
		// The header counts whole seconds.
		expect(Math.abs(Date.parse(String(discovered.headers.get('date'))) - (Date.now() + hourBehind))).toBeLessThan(2_000);
		const { feed } = await openFeed('clockApp');
		const { offset } = sim.injectEvent({ eventType: 'EppDetectionSummaryEvent' });
		const injected = () => feed.events().find((e) => e.metadata.offset === offset);
		await feed.until(() => injected() !== undefined);
		const event = injected() as Json;
		expect(Math.abs(Number(event.metadata.eventCreationTime) - (Date.now() + hourBehind))).toBeLessThan(2_000);
	});

	it('exposes state (requests without secrets, tokens, events), injects events and resets over HTTP', async () => {
		const injected = await fetch(`${sim.url}/_simulator/events`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ eventType: 'IncidentSummaryEvent', event: { State: 'open' } }),
		});
		expect(injected.status).toBe(201);
		expect(await injected.json()).toEqual({ partition: 0, offset: 0 });
		await client.call('GET', `${QUERY}?filter=${encodeURIComponent("status:'valid'")}`);
		const state = await control('state');
		expect(state.streams.eventCounts).toEqual([1]);
		expect(state.tokensIssued).toHaveLength(1);
		const tokenCall = state.requests.find((r: Json) => r.path === '/oauth2/token');
		expect(tokenCall.body).toEqual({ client_id: sim.clientId, client_secret: '***' });
		expect(state.requests.find((r: Json) => r.path === QUERY).query).toEqual({ filter: "status:'valid'" });
		expect(state.requests.some((r: Json) => r.path.startsWith('/_simulator'))).toBe(false);
		expect((await control('faults', { feed401: 3 })).feed401).toBe(3);
		expect((await control('faults', { feed404: 1 })).errors[0].message).toContain('feed404');
		await control('reset', {});
		const after = await control('state');
		expect(after.requests).toEqual([]);
		expect(after.streams.eventCounts).toEqual([0]);
		expect(after.faults.feed401).toBe(0);
		expect((await client.call('GET', QUERY)).status).toBe(401);
	});
});
