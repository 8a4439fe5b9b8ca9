import type { RunningSimulator } from '../../simulator';
import { delay } from '../../simulator/timers';
import { connect, expectEnvelope, waitFor, withSimulator, type Client, type Json } from './helpers';
import { FeedReader } from './feedReader';

const QUERY = '/alerts/queries/alerts/v2';
const ENTITIES = '/alerts/entities/alerts/v2';
const PATCH = '/alerts/entities/alerts/v3';
const COMBINED = '/alerts/combined/alerts/v1';
const DETECTION = 'EppDetectionSummaryEvent';

describe('simulator: Alerts', () => {
	let sim: RunningSimulator;
	let client: Client;
	const feeds: FeedReader[] = [];

	beforeAll(async () => {
		sim = await withSimulator({ keepAliveMs: 50 });
	});
	afterAll(() => sim.close());
	beforeEach(async () => {
		sim.reset();
		client = await connect(sim);
	});
	afterEach(() => feeds.splice(0).forEach((f) => f.close()));

	async function readFeed(target: RunningSimulator, c: Client, count: number): Promise<Json[]> {
		const [resource] = (await c.json('GET', '/sensors/entities/datafeed/v2?appId=alertsTest')).body.resources;
		const feed = await FeedReader.open(resource.dataFeedURL, resource.sessionToken.token);
		feeds.push(feed);
		await feed.until(() => feed.events().length >= count);
		return feed.events();
	}

	async function alerts(compositeIds: string[]): Promise<Json[]> {
		const res = await client.json('POST', ENTITIES, { composite_ids: compositeIds });
		expect(res.status).toBe(200);
		return res.body.resources;
	}

	async function query(params: Record<string, string>): Promise<{ status: number; body: Json; ids: string[] }> {
		const res = await client.json('GET', `${QUERY}?${new URLSearchParams(params)}`);
		return { status: res.status, body: res.body, ids: res.body.resources };
	}

	async function patch(compositeIds: string[], actions: Array<{ name: string; value: unknown }>): Promise<{ status: number; body: Json }> {
		return client.json('PATCH', PATCH, { composite_ids: compositeIds, action_parameters: actions });
	}

	async function state(): Promise<Json> {
		return (await fetch(`${sim.url}/_simulator/state`)).json();
	}

	it('raises one alert per injected detection, filling a CompositeId that the emitted event carries too', async () => {
		const host = sim.fleet[1];
		const injected = sim.injectEvent({ eventType: DETECTION, event: { AgentId: host.aid, Severity: 70 } });
		expect(injected).toMatchObject({ partition: 0, offset: 0, agentId: host.aid, compositeId: expect.stringContaining(host.aid) });
		sim.injectEvent({ eventType: 'UserActivityAuditEvent' });
		const [event] = await readFeed(sim, client, 2);
		expect(event.event).toMatchObject({
			AgentId: host.aid,
			SensorId: host.aid,
			Hostname: host.hostname,
			ComputerName: host.hostname,
			CompositeId: injected.compositeId,
			Severity: 70,
			SeverityName: 'High',
		});
		expect(event.event.FalconHostLink).toContain(encodeURIComponent(injected.compositeId as string));

		const all = await query({});
		expect(all.ids).toEqual([injected.compositeId]);
		const [alert] = await alerts(all.ids);
		expect(alert).toMatchObject({
			composite_id: injected.compositeId,
			agent_id: host.aid,
			cid: sim.cid.toLowerCase(),
			status: 'new',
			severity: 70,
			severity_name: 'High',
			tactic: event.event.Tactic,
			technique: event.event.Technique,
			name: event.event.Name,
			display_name: event.event.Name,
			description: event.event.Description,
			aggregate_id: event.event.AggregateId,
			product: 'epp',
			type: 'ldt',
			show_in_ui: true,
			tags: [],
			comments: [],
			platform: host.platform,
			device: { device_id: host.aid, hostname: host.hostname, platform_name: host.platform, local_ip: host.localIp, status: 'normal' },
		});
		expect(alert).not.toHaveProperty('assigned_to_name');
		expect(alert.created_timestamp).toBe(alert.updated_timestamp);
		expect(Math.abs(Date.parse(alert.created_timestamp) - Date.now())).toBeLessThan(60_000);
		expect((await state()).alerts[0]).toMatchObject({
			composite_id: injected.compositeId,
			agent_id: host.aid,
			hostname: host.hostname,
			status: 'new',
			comments: [],
			assigned_to_name: null,
			event: { eventType: DETECTION, partition: 0, offset: 0 },
		});
	});

	it('names the host of an injected detection by hostname, keeps a given CompositeId, and accepts aids outside the fleet', async () => {
		const host = sim.fleet[2];
		const byName = sim.injectEvent({ eventType: 'DetectionSummaryEvent', event: { ComputerName: host.hostname, SeverityName: 'Critical' } });
		expect(byName.agentId).toBe(host.aid);
		const given = sim.injectEvent({ eventType: 'EPPDetectionSummaryEvent', event: { AgentId: host.aid, CompositeId: 'custom:ind:1' } });
		expect(given.compositeId).toBe('custom:ind:1');
		const stranger = 'abcdef'.repeat(5) + 'ab';
		const outside = sim.injectEvent({ eventType: DETECTION, event: { AgentId: stranger, Hostname: 'GHOST-1' } });
		const [a, b, c] = await alerts([byName.compositeId as string, 'custom:ind:1', outside.compositeId as string]);
		expect(a).toMatchObject({ agent_id: host.aid, severity_name: 'Critical', severity: 90, device: { hostname: host.hostname } });
		expect(a.device.tags).toContain('FalconGroupingTags/protected');
		expect(b).toMatchObject({ composite_id: 'custom:ind:1', agent_id: host.aid });
		expect(c).toMatchObject({ agent_id: stranger, device: { device_id: stranger, hostname: 'GHOST-1' } });
		expect(outside.compositeId).toContain(stranger);
		const blank = sim.injectEvent({ eventType: DETECTION, event: { AgentId: host.aid, CompositeId: '' } });
		expect(blank.compositeId).toMatch(new RegExp(`^${sim.cid.toLowerCase()}:ind:${host.aid}:`));
		expect((await alerts([blank.compositeId as string]))[0].agent_id).toBe(host.aid);
	});

	it('raises an alert for every generated detection event, with matching composite and agent ids', async () => {
		const generating = await withSimulator({ eventsPerSecond: 100 });
		try {
			await waitFor(async () => (generating.state().alerts.length >= 4 ? true : undefined));
			generating.setFaults({ pauseEventGeneration: true });
			await delay(30);
			const c = await connect(generating);
			const total = generating.state().streams.eventCounts[0];
			const events = await readFeed(generating, c, total);
			const detections = events.filter((e) => e.metadata.eventType === DETECTION);
			expect(detections.length).toBeGreaterThan(3);
			const alertList = generating.state().alerts;
			expect(alertList.map((a) => a.composite_id)).toEqual(detections.map((d) => d.event.CompositeId));
			expect(alertList.map((a) => a.agent_id)).toEqual(detections.map((d) => d.event.AgentId));
			expect(alertList.map((a) => a.event.offset)).toEqual(detections.map((d) => d.metadata.offset));
			const ids = (await c.json('GET', `${QUERY}?limit=10000`)).body.resources;
			expect(ids).toHaveLength(detections.length);
		} finally {
			await generating.close();
		}
	});

	it('PostCombinedAlertsV1: full alerts by FQL in the body, paged by an after token that is absent on the last page', async () => {
		const [w, l] = sim.fleet;
		const placed = [90, 30, 70, 50, 80].map(
			(Severity, index) => sim.injectEvent({ eventType: DETECTION, event: { AgentId: index % 2 ? l.aid : w.aid, Severity } }).compositeId as string,
		);
		const page = (body: Json) => client.json('POST', COMBINED, body);

		const first = await page({ filter: `agent_id:'${w.aid}'`, sort: 'severity|desc', limit: 2 });
		expectEnvelope(first.body);
		expect(first.body.resources.map((a: Json) => [a.composite_id, a.severity])).toEqual([
			[placed[0], 90],
			[placed[4], 80],
		]);
		expect(first.body.meta.pagination).toEqual({ limit: 2, total: 3, after: expect.any(String) });
		const after = (first.body.meta.pagination as unknown as { after: string }).after;
		const last = await page({ filter: `agent_id:'${w.aid}'`, sort: 'severity|desc', limit: 2, after });
		expect(last.body.resources.map((a: Json) => a.composite_id)).toEqual([placed[2]]);
		expect(last.body.meta.pagination).toEqual({ limit: 2, total: 3 });
		// The same token again (a retry) is the same page.
		const again = await page({ filter: `agent_id:'${w.aid}'`, sort: 'severity|desc', limit: 2, after });
		expect(again.body.resources.map((a: Json) => a.composite_id)).toEqual([placed[2]]);

		const newestFirst = await page({});
		expect(newestFirst.body.resources.map((a: Json) => a.composite_id)).toEqual([...placed].reverse());
		expect(newestFirst.body.meta.pagination).toEqual({ limit: 100, total: 5 });

		expect((await page({ limit: 1001 })).status).toBe(400);
		expect((await page({ limit: 0 })).status).toBe(400);
		expect((await page({ after: 'not-a-token' })).status).toBe(400);
	});

	it('PostCombinedAlertsV1 pages after the last alert handed out, by its values then: an update can move an alert past the cursor', async () => {
		const [w] = sim.fleet;
		const placed = [1, 2, 3, 4].map(() => sim.injectEvent({ eventType: DETECTION, event: { AgentId: w.aid } }).compositeId as string);
		await delay(5);
		const byUpdate = { filter: `agent_id:'${w.aid}'`, sort: 'updated_timestamp|desc', limit: 2 };
		const first = await client.json('POST', COMBINED, byUpdate);
		expect(first.body.resources.map((a: Json) => a.composite_id)).toEqual([placed[3], placed[2]]);
		// The oldest alert, due on the next page, is updated: newest by update now, ahead of the cursor.
		expect((await patch([placed[0]], [{ name: 'update_status', value: 'in_progress' }])).status).toBe(200);
		const after = (first.body.meta.pagination as unknown as { after: string }).after;
		const next = await client.json('POST', COMBINED, { ...byUpdate, after });
		expect(next.body.resources.map((a: Json) => a.composite_id)).toEqual([placed[1]]);
		expect(next.body.meta.pagination).toEqual({ limit: 2, total: 4 });
	});

	it('queries with FQL filters, sort (pipe), free text and limit 0..10000; newest first by default', async () => {
		const [w, l, m] = sim.fleet;
		const placed = [
			sim.injectEvent({ eventType: DETECTION, event: { AgentId: w.aid, Severity: 90 } }),
			sim.injectEvent({ eventType: DETECTION, event: { AgentId: l.aid, Severity: 30 } }),
			sim.injectEvent({ eventType: DETECTION, event: { AgentId: m.aid, Severity: 70, Name: 'Credential theft attempt' } }),
			sim.injectEvent({ eventType: DETECTION, event: { AgentId: w.aid, SeverityName: 'Medium' } }),
		].map((p) => p.compositeId as string);
		const ids = async (params: Record<string, string>) => (await query(params)).ids;

		const all = await query({});
		expectEnvelope(all.body);
		expect(all.ids).toEqual([...placed].reverse());
		expect(all.body.meta.pagination).toEqual({ offset: 0, limit: 100, total: 4 });
		expect(await ids({ filter: 'severity:>=70', sort: 'severity|desc' })).toEqual([placed[0], placed[2]]);
		expect(await ids({ sort: 'severity|asc' })).toEqual([placed[1], placed[3], placed[2], placed[0]]);
		expect(await ids({ filter: "severity_name:'low'" })).toEqual([placed[1]]);
		expect(await ids({ filter: `agent_id:'${w.aid}'`, sort: 'created_timestamp|asc' })).toEqual([placed[0], placed[3]]);
		expect(await ids({ filter: `device.hostname:'${m.hostname}'` })).toEqual([placed[2]]);
		expect(await ids({ filter: `device.hostname:'${m.hostname.slice(0, -1)}'` })).toContain(placed[2]);
		expect(await ids({ filter: `device.hostname:['${m.hostname.slice(0, -1)}']` })).toEqual([]);
		expect(await ids({ filter: `device.hostname:['${m.hostname}']` })).toEqual([placed[2]]);
		expect(await ids({ filter: `device.device_id:'${l.aid}'+status:'new'+product:'epp'` })).toEqual([placed[1]]);
		expect(await ids({ filter: `composite_id:'${placed[2]}'` })).toEqual([placed[2]]);
		expect(await ids({ filter: "created_timestamp:>'now-1h'", sort: 'created_timestamp.asc' })).toEqual(placed);
		expect(await ids({ q: 'credential theft' })).toEqual([placed[2]]);
		expect(await ids({ sort: 'severity|desc', offset: '1', limit: '2' })).toEqual([placed[2], placed[3]]);
		const zero = await query({ limit: '0' });
		expect(zero.status).toBe(200);
		expect(zero.ids).toEqual([]);
		expect(zero.body.meta.pagination.total).toBe(4);
		expect((await query({ limit: '10001' })).status).toBe(400);
		expect((await query({ filter: "nosuch:'x'" })).status).toBe(400);
		expect((await query({ sort: 'nosuch|asc' })).status).toBe(400);
	});

	it('applies several PATCH actions in one call, visible in a later read, in queries and in /_simulator/state', async () => {
		const a = sim.injectEvent({ eventType: DETECTION, event: { AgentId: sim.fleet[0].aid } }).compositeId as string;
		const b = sim.injectEvent({ eventType: DETECTION, event: { AgentId: sim.fleet[1].aid } }).compositeId as string;
		const [before] = await alerts([a]);
		await delay(5);
		const res = await patch([a], [
			{ name: 'update_status', value: 'in_progress' },
			{ name: 'append_comment', value: 'Contained by n8n playbook' },
			{ name: 'add_tag', value: 'soar' },
			{ name: 'assign_to_name', value: 'Alice Nguyen' },
			{ name: 'assign_to_uuid', value: '6f0b6a31-1c2e-4c53-9d7e-2b8f1a0c9e11' },
			{ name: 'assign_to_user_id', value: 'alice@example.com' },
			{ name: 'append_comment', value: 'second note' },
		]);
		expect(res.status).toBe(200);
		expect(res.body).toEqual({ meta: expect.any(Object), errors: [] });
		const [after, untouched] = await alerts([a, b]);
		expect(after).toMatchObject({
			status: 'in_progress',
			tags: ['soar'],
			assigned_to_name: 'Alice Nguyen',
			assigned_to_uuid: '6f0b6a31-1c2e-4c53-9d7e-2b8f1a0c9e11',
			assigned_to_uid: 'alice@example.com',
			comments: [
				{ value: 'Contained by n8n playbook', timestamp: expect.any(String) },
				{ value: 'second note', timestamp: expect.any(String) },
			],
		});
		expect(Date.parse(after.updated_timestamp)).toBeGreaterThan(Date.parse(before.updated_timestamp));
		expect(after.created_timestamp).toBe(before.created_timestamp);
		expect(untouched).toMatchObject({ status: 'new', tags: [], comments: [] });
		expect((await query({ filter: "status:'in_progress'+tags:'soar'+assigned_to_name:'Alice Nguyen'" })).ids).toEqual([a]);
		expect((await query({ filter: `assigned_to_uid:'alice@example.com'` })).ids).toEqual([a]);
		const summary = (await state()).alerts.find((s: Json) => s.composite_id === a);
		expect(summary).toMatchObject({
			status: 'in_progress',
			tags: ['soar'],
			assigned_to_name: 'Alice Nguyen',
			comments: [{ value: 'Contained by n8n playbook' }, { value: 'second note' }],
		});

		// Tags are removed before they are added, whatever the order in the request; unassign clears all three.
		await patch([a, b], [
			{ name: 'add_tag', value: 'soar' },
			{ name: 'add_tag', value: 'soar/contained' },
			{ name: 'remove_tags_by_prefix', value: 'soar' },
			{ name: 'unassign', value: '' },
			{ name: 'update_status', value: 'closed' },
			{ name: 'show_in_ui', value: false },
		]);
		const [closedA, closedB] = await alerts([a, b]);
		expect(closedA.tags).toEqual(['soar', 'soar/contained']);
		expect(closedB.tags).toEqual(['soar', 'soar/contained']);
		expect(closedA).toMatchObject({ status: 'closed', show_in_ui: false });
		expect(closedA).not.toHaveProperty('assigned_to_name');
		expect(closedA).not.toHaveProperty('assigned_to_uuid');
		expect((await query({ include_hidden: 'false' })).ids).toEqual([]);
		await patch([a], [{ name: 'remove_tag', value: 'soar' }, { name: 'update_status', value: 'reopened' }]);
		expect((await alerts([a]))[0]).toMatchObject({ tags: ['soar/contained'], status: 'reopened' });
	});

	it('rejects bad actions, bad values and unknown composite ids with 400 and changes nothing', async () => {
		const a = sim.injectEvent({ eventType: DETECTION }).compositeId as string;
		const badName = await patch([a], [{ name: 'update_status', value: 'closed' }, { name: 'escalate', value: 'now' }]);
		expect(badName.status).toBe(400);
		expect(badName.body.errors[0].message).toContain("'escalate'");
		const badStatus = await patch([a], [{ name: 'update_status', value: 'done' }]);
		expect(badStatus.status).toBe(400);
		expect(badStatus.body.errors[0].message).toContain('new, in_progress, reopened, closed');
		expect((await patch([a], [{ name: 'show_in_ui', value: 'maybe' }])).status).toBe(400);
		expect((await patch([a], [])).status).toBe(400);
		expect((await client.json('PATCH', PATCH, { action_parameters: [{ name: 'update_status', value: 'closed' }] })).status).toBe(400);
		const unknown = await patch([a, 'nope:ind:1'], [{ name: 'update_status', value: 'closed' }]);
		expect(unknown.status).toBe(400);
		expect(unknown.body.errors).toEqual([{ code: 400, id: 'nope:ind:1', message: expect.stringContaining('nope:ind:1') }]);
		expect((await alerts([a]))[0].status).toBe('new');

		const partly = await client.json('POST', ENTITIES, { composite_ids: [a, 'nope:ind:1'] });
		expect(partly.status).toBe(200);
		expect(partly.body.resources).toHaveLength(1);
		expect(partly.body.errors).toEqual([{ code: 404, id: 'nope:ind:1', message: expect.any(String) }]);
		expect((await client.json('POST', ENTITIES, { composite_ids: ['nope:ind:1'] })).status).toBe(404);
		expect((await client.json('POST', ENTITIES, {})).status).toBe(400);
	});

	it('applies fault knobs to the Alerts paths and clears alerts on reset', async () => {
		const a = sim.injectEvent({ eventType: DETECTION }).compositeId as string;
		sim.setFaults({ serverErrors: [{ pathPrefix: '/alerts/', count: 1, status: 500 }] });
		expect((await client.call('GET', QUERY)).status).toBe(500);
		expect((await client.call('GET', QUERY)).status).toBe(200);
		sim.setFaults({ rateLimitNext: 1 });
		const limited = await client.call('PATCH', PATCH, { composite_ids: [a], action_parameters: [{ name: 'update_status', value: 'closed' }] });
		expect(limited.status).toBe(429);
		expect(Number(limited.headers.get('x-ratelimit-retryafter'))).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000));
		expect((await alerts([a]))[0].status).toBe('new');
		sim.setFaults({ serverErrors: [{ pathPrefix: ENTITIES, count: 1, status: 403 }] });
		const denied = await client.json('POST', ENTITIES, { composite_ids: [a] });
		expect(denied.status).toBe(403);
		expect(denied.body.errors).toEqual([{ code: 403, message: 'access denied, authorization failed' }]);
		await fetch(`${sim.url}/_simulator/reset`, { method: 'POST' });
		expect((await state()).alerts).toEqual([]);
	});
});
