import type { RunningSimulator } from '../../simulator';
import { delay } from '../../simulator/timers';
import { connect, expectEnvelope, waitFor, withSimulator, type Client, type Json } from './helpers';
import { FeedReader } from './feedReader';

const DISCOVER = '/sensors/entities/datafeed/v2';

describe('simulator: Event Streams', () => {
	let sim: RunningSimulator;
	let client: Client;
	const feeds: FeedReader[] = [];

	beforeAll(async () => {
		sim = await withSimulator({ partitions: 2, keepAliveMs: 60, refreshIntervalSeconds: 30 });
	});
	afterAll(() => sim.close());
	beforeEach(async () => {
		sim.reset();
		client = await connect(sim);
	});
	afterEach(() => feeds.splice(0).forEach((f) => f.close()));

	async function discover(appId = 'testApp1'): Promise<Json> {
		const res = await client.json('GET', `${DISCOVER}?appId=${appId}&format=json`);
		expect(res.status).toBe(200);
		return res.body;
	}

	async function open(resource: Json, params = ''): Promise<FeedReader> {
		const feed = await FeedReader.open(`${resource.dataFeedURL}${params}`, resource.sessionToken.token);
		feeds.push(feed);
		return feed;
	}

	it('discovers one stream per partition pointing back at the simulator', async () => {
		const body = await discover();
		expectEnvelope(body);
		expect(body.resources).toHaveLength(2);
		body.resources.forEach((r: Json, partition: number) => {
			expect(r.dataFeedURL).toBe(`${sim.url}/sensors/entities/datafeed/v1/${partition}?appId=testApp1`);
			expect(r.refreshActiveSessionURL).toBe(
				`${sim.url}/sensors/entities/datafeed-actions/v1/${partition}?appId=testApp1&action_name=refresh_active_stream_session`,
			);
			expect(r.refreshActiveSessionInterval).toBe(30);
			expect(Date.parse(r.sessionToken.expiration)).toBeGreaterThan(Date.now());
			expect(typeof r.sessionToken.token).toBe('string');
		});
		expect((await client.json('GET', `${DISCOVER}?appId=bad-app-id`)).status).toBe(400);
		expect((await client.json('GET', `${DISCOVER}?appId=${'a'.repeat(33)}`)).status).toBe(400);
		expect((await client.json('GET', DISCOVER)).status).toBe(400);
	});

	it('streams NDJSON with per-partition offsets, honours offset (inclusive) and eventType, and writes keep-alives', async () => {
		for (let i = 0; i < 3; i++) sim.injectEvent({ eventType: 'EppDetectionSummaryEvent' });
		sim.injectEvent({ eventType: 'AuthActivityAuditEvent', event: { UserId: 'eve@example.com' } });
		expect(sim.injectEvent({ eventType: 'IncidentSummaryEvent', partition: 1 })).toEqual({ partition: 1, offset: 0 });

		const [p0] = (await discover()).resources;
		const feed = await open(p0);
		expect(feed.status).toBe(200);
		await feed.until(() => feed.events().length === 4);
		const events = feed.events();
		expect(events.map((e) => e.metadata.offset)).toEqual([0, 1, 2, 3]);
		expect(events[0].metadata).toMatchObject({ customerIDString: sim.cid, eventType: 'EppDetectionSummaryEvent', version: '1.0' });
		expect(Math.abs(events[0].metadata.eventCreationTime - Date.now())).toBeLessThan(60_000);
		const detection = events[0].event;
		expect(sim.fleet.map((h) => h.aid)).toContain(detection.SensorId);
		expect(detection.ComputerName).toBe(sim.fleet.find((h) => h.aid === detection.SensorId)?.hostname);
		expect(['Informational', 'Low', 'Medium', 'High', 'Critical']).toContain(detection.SeverityName);
		expect(typeof detection.Severity).toBe('number');
		expect(detection.Tactic).toEqual(expect.any(String));
		expect(detection.Technique).toEqual(expect.any(String));
		expect(events[3].event.UserId).toBe('eve@example.com');

		const live = sim.injectEvent({ eventType: 'UserActivityAuditEvent' });
		await feed.until(() => feed.events().length === 5);
		expect(feed.events()[4].metadata.offset).toBe(live.offset);
		await feed.until(() => feed.keepAlives() >= 2, 1000);
		feed.close();
		await delay(20);

		const replay = await open(p0, '&offset=2&eventType=EppDetectionSummaryEvent,UserActivityAuditEvent');
		await replay.until(() => replay.events().length === 2);
		expect(replay.events().map((e) => [e.metadata.offset, e.metadata.eventType])).toEqual([
			[2, 'EppDetectionSummaryEvent'],
			[4, 'UserActivityAuditEvent'],
		]);
	});

	it('requires the Token header of the right session and gives an appId in use no streams until it is released', async () => {
		const [p0, p1] = (await discover()).resources;
		const noToken = await fetch(p0.dataFeedURL);
		expect(noToken.status).toBe(401);
		const bearer = await fetch(p0.dataFeedURL, { headers: { Authorization: `Bearer ${client.token}` } });
		expect(bearer.status).toBe(401);
		expect((await FeedReader.open(p1.dataFeedURL, p0.sessionToken.token)).status).toBe(401);

		const feed = await open(p0);
		expect(feed.status).toBe(200);
		expect((await discover()).resources).toEqual([]);
		expect((await discover('otherApp')).resources).toHaveLength(2);
		feed.close();
		// Released once the server has seen the socket close, which a loaded machine can take a while to get to.
		expect(await waitFor(async () => ((await discover()).resources.length === 2 ? true : undefined))).toBe(true);
	});

	it('refresh needs Bearer auth and application/json, answers meta-only, and keeps a feed alive past the interval', async () => {
		const quick = await withSimulator({ refreshIntervalSeconds: 0.5, keepAliveMs: 40 });
		try {
			const c = await connect(quick);
			const resources = (await c.json('GET', `${DISCOVER}?appId=refreshTest`)).body.resources;
			const kept = await FeedReader.open(resources[0].dataFeedURL, resources[0].sessionToken.token);
			const url = resources[0].refreshActiveSessionURL;
			const post = (headers: Record<string, string>) => fetch(url, { method: 'POST', headers, body: headers['Content-Type'] ? '{}' : undefined });
			expect((await post({ 'Content-Type': 'application/json' })).status).toBe(401);
			expect((await post({ Authorization: `Bearer ${c.token}` })).status).toBe(400);
			for (let i = 0; i < 4; i++) {
				const ok = await post({ Authorization: `Bearer ${c.token}`, 'Content-Type': 'application/json' });
				expect(ok.status).toBe(200);
				const body = (await ok.json()) as Json;
				expect(body).not.toHaveProperty('resources');
				expectEnvelope(body);
				await delay(150);
			}
			expect(kept.ended).toBe('open');
			expect(quick.state().streams.refreshes[0]).toBe(4);
			await kept.until(() => kept.ended !== 'open', 1000);
			expect(kept.ended).toBe('eof');
			expect((await FeedReader.open(resources[0].dataFeedURL, resources[0].sessionToken.token)).status).toBe(401);
		} finally {
			await quick.close();
		}
	});

	it('generates events at the configured rate, deterministically for a seed', async () => {
		const a = await withSimulator({ eventsPerSecond: 200, seed: 99 });
		const b = await withSimulator({ eventsPerSecond: 200, seed: 99 });
		try {
			await delay(200);
			const countA = a.state().streams.eventCounts[0];
			expect(countA).toBeGreaterThan(10);
			const read = async (sim: RunningSimulator) => {
				const c = await connect(sim);
				const [r] = (await c.json('GET', `${DISCOVER}?appId=gen`)).body.resources;
				const feed = await FeedReader.open(r.dataFeedURL, r.sessionToken.token);
				await feed.until(() => feed.events().length >= 10);
				feed.close();
				return feed.events().slice(0, 10);
			};
			const [ea, eb] = [await read(a), await read(b)];
			expect(ea.map((e) => e.metadata.eventType)).toEqual(eb.map((e) => e.metadata.eventType));
			const stable = (e: Json) => e.event.SensorId ?? e.event.AgentIdString ?? e.event.UserId ?? e.event.IncidentId;
			expect(ea.map(stable)).toEqual(eb.map(stable));
			expect(a.fleet).toEqual(b.fleet);
		} finally {
			await a.close();
			await b.close();
		}
	});
});
