import type { RunningSimulator } from '../../simulator';
import {
	connect,
	expectEnvelope,
	HEX32,
	requestToken,
	waitFor,
	withSimulator,
	type Envelope,
} from './helpers';

const OUTSIDER = 'abcdefabcdefabcdefabcdefabcdef12';

describe('simulator: Flight Control parent with child tenants', () => {
	let sim: RunningSimulator;
	beforeAll(async () => {
		sim = await withSimulator({
			children: [{ name: 'Acme', status: 'active' }, { name: 'Globex' }, {}],
		});
	});
	afterAll(() => sim.close());
	beforeEach(() => sim.reset());

	it('seeds the children it is given, filling CID, name and status from the seed', async () => {
		expect(sim.children.map((child) => [child.name, child.status])).toEqual([
			['Acme', 'active'],
			['Globex', 'active'],
			['Fabrikam Retail', 'active'],
		]);
		for (const child of sim.children) {
			expect(child.cid).toMatch(HEX32);
			expect(child.child_of).toBe(sim.cid.toLowerCase());
			expect(child.checksum).toMatch(/^[0-9A-F]{2}$/);
			expect(child.fleet.length).toBe(sim.fleet.length);
			expect(child.fleet.map((host) => host.aid)).not.toEqual(sim.fleet.map((host) => host.aid));
		}
		const again = await withSimulator({
			children: [{ name: 'Acme', status: 'active' }, { name: 'Globex' }, {}],
		});
		try {
			expect(again.children.map((child) => child.cid)).toEqual(
				sim.children.map((child) => child.cid),
			);
		} finally {
			await again.close();
		}
	});

	it('lists the children with queryChildren (offset paging) and reads them with getChildren v1 and v2', async () => {
		const parent = await connect(sim);
		const first = await parent.json('GET', '/mssp/queries/children/v1?limit=2');
		expect(first.status).toBe(200);
		expectEnvelope(first.body);
		expect(first.body.meta.pagination).toEqual({ offset: 0, limit: 2, total: 3 });
		const second = await parent.json('GET', '/mssp/queries/children/v1?limit=2&offset=2');
		const ids = [...first.body.resources, ...second.body.resources] as string[];
		expect([...ids].sort()).toEqual(sim.children.map((child) => child.cid).sort());

		const query = ids.map((id) => `ids=${id}`).join('&');
		const v1 = await parent.json('GET', `/mssp/entities/children/v1?${query}`);
		expect(v1.status).toBe(200);
		const links = sim.state().children;
		expect(v1.body.resources).toEqual(ids.map((id) => links.find((link) => link.child_cid === id)));
		expect(links.map((link) => link.name)).toEqual(sim.children.map((child) => child.name));
		const v2 = await parent.json('POST', '/mssp/entities/children/GET/v2', { ids });
		expect(v2.body.resources).toEqual(v1.body.resources);
		expect((await parent.json('GET', '/mssp/queries/children/v1?limit=0')).status).toBe(400);
		// queryChildren's sort is an enum of the pipe form; the dot form other queries take is refused.
		expect((await parent.json('GET', '/mssp/queries/children/v1?sort=last_modified_timestamp|asc')).status).toBe(200);
		expect((await parent.json('GET', '/mssp/queries/children/v1?sort=last_modified_timestamp.asc')).status).toBe(400);
	});

	it('answers 207 naming the unknown ids, and accepts a CID with its checksum', async () => {
		const parent = await connect(sim);
		const [child] = sim.children;
		const res = await parent.json(
			'GET',
			`/mssp/entities/children/v1?ids=${child.cid}-${child.checksum}&ids=${OUTSIDER}`,
		);
		expect(res.status).toBe(207);
		expect(
			(res.body as Envelope).resources.map((link: { child_cid: string }) => link.child_cid),
		).toEqual([child.cid]);
		expect(res.body.errors).toEqual([
			{ code: 404, id: OUTSIDER, message: `child CID not found: ${OUTSIDER}` },
		]);
	});

	it("issues tokens for a managed child only: another CID gets 403 with Falcon's message", async () => {
		const refused = await requestToken(sim, { member_cid: OUTSIDER });
		expect(refused.status).toBe(403);
		expect(((await refused.json()) as Envelope).errors).toEqual([
			{ code: 403, message: 'access denied, authorization failed' },
		]);
		const [child] = sim.children;
		expect(
			(await requestToken(sim, { member_cid: `${child.cid.toUpperCase()}-${child.checksum}` }))
				.status,
		).toBe(201);
		expect(sim.state().children).toHaveLength(3);
	});

	it('refuses the tokens of the children named by the refusedMemberCids fault, until it is cleared', async () => {
		const [refused, other] = sim.children;
		const before = await connect(sim, { member_cid: refused.cid });
		sim.setFaults({ refusedMemberCids: [`${refused.cid.toUpperCase()}-${refused.checksum}`] });
		expect((await requestToken(sim, { member_cid: refused.cid })).status).toBe(403);
		expect((await requestToken(sim, { member_cid: other.cid })).status).toBe(201);
		// A token issued before keeps working, as Falcon's would until it expires.
		expect((await before.json('GET', '/sensors/entities/datafeed/v2?appId=stillValid1')).status).toBe(200);
		sim.setFaults({ refusedMemberCids: [] });
		expect((await requestToken(sim, { member_cid: refused.cid })).status).toBe(201);
	});

	it('keeps installation tokens, hosts, RTR sessions and alerts apart per child', async () => {
		const [a, b] = sim.children;
		const childA = await connect(sim, { member_cid: a.cid });
		const childB = await connect(sim, { member_cid: b.cid });
		const parent = await connect(sim);

		await childA.json('POST', '/installation-tokens/entities/tokens/v1', { label: 'only in A' });
		const labels = async (client: typeof parent) => {
			const ids = (await client.json('GET', '/installation-tokens/queries/tokens/v1')).body
				.resources as string[];
			const query = ids.map((id) => `ids=${id}`).join('&');
			return (
				(await client.json('GET', `/installation-tokens/entities/tokens/v1?${query}`)).body
					.resources as Array<{ label: string }>
			).map((token) => token.label);
		};
		expect(await labels(childA)).toContain('only in A');
		expect(await labels(childB)).not.toContain('only in A');
		expect(await labels(parent)).not.toContain('only in A');

		const hostIds = async (client: typeof parent) =>
			(await client.json('GET', '/devices/queries/devices/v1?limit=100')).body
				.resources as string[];
		expect((await hostIds(childA)).sort()).toEqual(a.fleet.map((host) => host.aid).sort());
		expect((await hostIds(childB)).sort()).toEqual(b.fleet.map((host) => host.aid).sort());
		const foreign = await childB.json('POST', '/devices/entities/devices/v2', {
			ids: [a.fleet[0].aid],
		});
		expect(foreign.status).toBe(404);

		const session = await childA.json('POST', '/real-time-response/entities/sessions/v1', {
			device_id: a.fleet[0].aid,
		});
		expect(session.status).toBe(201);
		expect(
			(
				await childB.json('POST', '/real-time-response/entities/sessions/v1', {
					device_id: a.fleet[0].aid,
				})
			).status,
		).toBe(404);

		const state = sim.state();
		expect(state.tenants[a.cid].rtr.sessions).toBe(1);
		expect(state.tenants[b.cid].rtr.sessions).toBe(0);
		expect(state.rtr.sessions).toBe(0);
		expect(state.tenants[a.cid].installationTokens).toBe(state.installationTokens + 1);
	});

	it("injects events into one child's stream: its feed, its alerts, its CID", async () => {
		const [a, b] = sim.children;
		const placed = sim.injectEvent({
			cid: a.cid,
			eventType: 'EppDetectionSummaryEvent',
			event: { AgentId: a.fleet[0].aid },
		});
		expect(placed).toMatchObject({ partition: 0, offset: 0, agentId: a.fleet[0].aid });
		expect(placed.compositeId).toContain(a.cid);
		const state = sim.state();
		expect(state.tenants[a.cid].streams.eventCounts).toEqual([1]);
		expect(state.tenants[b.cid].streams.eventCounts).toEqual([0]);
		expect(state.streams.eventCounts).toEqual([0]);
		expect(state.tenants[a.cid].alerts.map((alert) => alert.composite_id)).toEqual([
			placed.compositeId,
		]);

		const childA = await connect(sim, { member_cid: a.cid });
		const discovery = await childA.json('GET', '/sensors/entities/datafeed/v2?appId=msspTest');
		const [stream] = discovery.body.resources as Array<{
			dataFeedURL: string;
			sessionToken: { token: string };
		}>;
		const feed = await fetch(stream.dataFeedURL, {
			headers: { Authorization: `Token ${stream.sessionToken.token}` },
		});
		const reader = feed.body!.getReader();
		let text = '';
		while (!text.includes('\n')) text += new TextDecoder().decode((await reader.read()).value);
		await reader.cancel();
		const event = JSON.parse(text.split('\n')[0]) as {
			metadata: { customerIDString: string; offset: number };
		};
		expect(event.metadata).toMatchObject({ customerIDString: a.cid.toUpperCase(), offset: 0 });

		expect(() => sim.injectEvent({ cid: OUTSIDER, eventType: 'UserActivityAuditEvent' })).toThrow(
			/no tenant/,
		);
	});

	it('shows a member token no children of its own', async () => {
		const childA = await connect(sim, { member_cid: sim.children[0].cid });
		expect((await childA.json('GET', '/mssp/queries/children/v1')).body.resources).toEqual([]);
	});
});

describe('simulator: generated events per child', () => {
	it('generates events only on the streams told to (children default to none)', async () => {
		const sim = await withSimulator({ children: [{ eventsPerSecond: 100 }, {}] });
		try {
			const [busy, quiet] = sim.children;
			await waitFor(async () =>
				sim.state().tenants[busy.cid].streams.eventCounts[0] >= 3 ? true : undefined,
			);
			const state = sim.state();
			expect(state.tenants[quiet.cid].streams.eventCounts).toEqual([0]);
			expect(state.streams.eventCounts).toEqual([0]);
		} finally {
			await sim.close();
		}
	});
});

describe('simulator: default children', () => {
	it('has three seeded children and, without the option, admits any member CID as a new child', async () => {
		const sim = await withSimulator();
		try {
			expect(sim.children).toHaveLength(3);
			expect((await requestToken(sim, { member_cid: OUTSIDER })).status).toBe(201);
			expect(sim.state().children.map((child) => child.child_cid)).toContain(OUTSIDER);
			sim.reset();
			expect(sim.state().children).toHaveLength(3);
		} finally {
			await sim.close();
		}
	});
});
