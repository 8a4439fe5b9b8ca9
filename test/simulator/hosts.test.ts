import { PROTECTED_TAG, type FleetHost, type RunningSimulator } from '../../simulator';
import { delay } from '../../simulator/timers';
import { connect, expectEnvelope, waitFor, withSimulator, type Client, type Json } from './helpers';

const QUERY = '/devices/queries/devices/v1';
const SCROLL = '/devices/queries/devices-scroll/v1';
const DETAILS = '/devices/entities/devices/v2';
const ACTIONS = '/devices/entities/devices-actions/v2';
const TAGS = '/devices/entities/devices/tags/v1';
// Long enough for three round trips of a loaded machine to see a host still pending.
const DELAY_MS = 600;

describe('simulator: Hosts', () => {
	let sim: RunningSimulator;
	let client: Client;
	let online: FleetHost[];
	let offline: FleetHost[];

	beforeAll(async () => {
		sim = await withSimulator({ containmentDelayMs: DELAY_MS });
		online = sim.fleet.filter((h) => h.online);
		offline = sim.fleet.filter((h) => !h.online);
	});
	afterAll(() => sim.close());
	beforeEach(async () => {
		sim.reset();
		client = await connect(sim);
	});

	async function ids(params: Record<string, string>, path = QUERY): Promise<string[]> {
		const res = await client.json('GET', `${path}?${new URLSearchParams(params)}`);
		expect(res.status).toBe(200);
		return res.body.resources;
	}

	async function details(aids: string[]): Promise<Json[]> {
		const res = await client.json('POST', DETAILS, { ids: aids });
		expect(res.status).toBe(200);
		return res.body.resources;
	}

	async function statusOf(aid: string): Promise<string> {
		return (await details([aid]))[0].status;
	}

	async function act(action: string, aids: string[]): Promise<{ status: number; body: Json }> {
		return client.json('POST', `${ACTIONS}?action_name=${action}`, { ids: aids });
	}

	async function control(path: string, body?: unknown): Promise<Json> {
		const res = await fetch(`${sim.url}/_simulator/${path}`, {
			method: body === undefined ? 'GET' : 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		return res.json();
	}

	const aidsWhere = (test: (h: FleetHost) => boolean) => sim.fleet.filter(test).map((h) => h.aid);
	const sorted = (list: string[]) => [...list].sort();

	it('lists every host with offset pagination, sorts, and validates offset and limit', async () => {
		const all = await client.json('GET', QUERY);
		expectEnvelope(all.body);
		expect(all.body.resources).toEqual(sim.fleet.map((h) => h.aid));
		expect(all.body.meta.pagination).toEqual({ offset: 0, limit: 100, total: sim.fleet.length });
		const byName = await ids({ sort: 'hostname.desc', limit: '5000' });
		const expected = [...sim.fleet].sort((a, b) => b.hostname.localeCompare(a.hostname)).map((h) => h.aid);
		expect(byName).toEqual(expected);
		expect(await ids({ sort: 'hostname.desc', offset: '2', limit: '3' })).toEqual(expected.slice(2, 5));
		expect((await client.json('GET', `${QUERY}?offset=10000`)).status).toBe(400);
		expect((await client.json('GET', `${QUERY}?limit=5001`)).status).toBe(400);
		expect((await client.json('GET', `${QUERY}?limit=0`)).status).toBe(400);
		expect((await client.json('GET', `${QUERY}?filter=${encodeURIComponent("nosuch:'x'")}`)).status).toBe(400);
	});

	it('filters with FQL over host fields: hostname (prefix quoted, whole in brackets, any case, wildcards, lists), ips, platform, tags, dates, AND/OR', async () => {
		const [first, second] = sim.fleet;
		const records = await details(sim.fleet.map((h) => h.aid));
		const record = (aid: string) => records.find((r: Json) => r.device_id === aid);
		const f = (filter: string) => ids({ filter, limit: '5000' });

		expect(await f(`hostname:'${first.hostname.toLowerCase()}'`)).toEqual([first.aid]);
		// Quoted, a hostname is a prefix (as Falcon matches it); in brackets it is matched whole.
		const start = first.hostname.slice(0, -1);
		expect(await f(`hostname:'${start}'`)).toEqual(aidsWhere((h) => h.hostname.toLowerCase().startsWith(start.toLowerCase())));
		expect(await f(`hostname:'${start}'`)).toContain(first.aid);
		expect(await f(`hostname:['${start}']`)).toEqual([]);
		expect(await f(`hostname:['${first.hostname.toLowerCase()}']`)).toEqual([first.aid]);
		expect(await f(`hostname:!'${start}'`)).not.toContain(first.aid);
		const prefix = first.hostname.split('-')[0];
		expect(await f(`hostname:'${prefix}*'`)).toEqual(aidsWhere((h) => h.hostname.startsWith(prefix)));
		const suffix = first.hostname.slice(-3);
		expect(await f(`hostname:'*${suffix}'`)).toEqual(aidsWhere((h) => h.hostname.endsWith(suffix)));
		expect(sorted(await f(`hostname:['${first.hostname}','${second.hostname}']`))).toEqual(sorted([first.aid, second.aid]));
		// In brackets a * is a character: a bracketed pattern finds nothing.
		expect(await f(`hostname:['${prefix}*']`)).toEqual([]);
		expect(await f(`tags:['FalconGroupingTags/*']`)).toEqual([]);
		expect(await f(`local_ip:'${first.localIp}'`)).toEqual([first.aid]);
		expect(await f(`local_ip.raw:*'${first.localIp.split('.').slice(0, 3).join('.')}.*'`)).toContain(first.aid);
		expect(await f(`external_ip:'${record(second.aid).external_ip}'`)).toContain(second.aid);
		expect(await f(`device_id:'${second.aid}'`)).toEqual([second.aid]);
		expect(await f("platform_name:'Linux'")).toEqual(aidsWhere((h) => h.platform === 'Linux'));
		expect(await f("platform_name:'Linux'+status:'normal'")).toEqual(aidsWhere((h) => h.platform === 'Linux'));
		expect(sorted(await f("platform_name:'Mac',platform_name:'Linux'"))).toEqual(sorted(aidsWhere((h) => h.platform !== 'Windows')));
		expect(await f("product_type_desc:'Server'")).toEqual(records.filter((r: Json) => r.product_type_desc === 'Server').map((r: Json) => r.device_id));
		expect(await f(`tags:'${PROTECTED_TAG}'`)).toEqual([sim.fleet[2].aid]);
		expect(await f(`tags:!'${PROTECTED_TAG}'`)).not.toContain(sim.fleet[2].aid);
		expect(await f("last_seen:>'now-1h'")).toEqual(online.map((h) => h.aid));
		expect(await f("last_seen:<='now-1h'")).toEqual(offline.map((h) => h.aid));
		expect(await f(`last_seen:>='${new Date(Date.now() - 3_600_000).toISOString()}'+platform_name:'Windows'`)).toEqual(
			aidsWhere((h) => h.online && h.platform === 'Windows'),
		);
	});

	it('scrolls through a larger fleet with opaque tokens: every id exactly once, retries repeat a page, unknown tokens 400', async () => {
		const big = await withSimulator({ fleetSize: 40 });
		try {
			const c = await connect(big);
			const seen: string[] = [];
			let token: string | undefined;
			let pages = 0;
			for (;;) {
				const res = await c.json('GET', `${SCROLL}?limit=7${token === undefined ? '' : `&offset=${encodeURIComponent(token)}`}`);
				expect(res.status).toBe(200);
				const p: Json = res.body.meta.pagination;
				expect(p).toEqual({ offset: expect.any(String), expires_at: expect.any(Number), limit: 7, total: 40 });
				expect(p.expires_at / 1e6).toBeGreaterThan(Date.now());
				if (token !== undefined) {
					// A retry of the same token returns the same page.
					expect((await c.json('GET', `${SCROLL}?limit=7&offset=${encodeURIComponent(token)}`)).body.resources).toEqual(res.body.resources);
				}
				seen.push(...res.body.resources);
				token = p.offset;
				pages++;
				if (seen.length >= p.total) break;
			}
			expect(pages).toBe(6);
			expect(seen).toHaveLength(40);
			expect(new Set(seen)).toEqual(new Set(big.fleet.map((h) => h.aid)));
			const past = await c.json('GET', `${SCROLL}?limit=7&offset=${encodeURIComponent(token as string)}`);
			expect(past.body.resources).toEqual([]);
			expect((await c.json('GET', `${SCROLL}?offset=not-a-token`)).status).toBe(400);
			expect((await c.json('GET', `${SCROLL}?limit=10001`)).status).toBe(400);
			const linux = await c.json('GET', `${SCROLL}?limit=100&filter=${encodeURIComponent("platform_name:'Linux'")}&sort=hostname.asc`);
			expect((linux.body.meta.pagination as Json).total).toBe(big.fleet.filter((h) => h.platform === 'Linux').length);
		} finally {
			await big.close();
		}
	});

	it('returns host details by POST body and repeated GET ids, with unknown ids as 404 errors', async () => {
		const [host] = sim.fleet;
		const unknown = '0'.repeat(32);
		const res = await client.json('POST', DETAILS, { ids: [host.aid, unknown] });
		expect(res.status).toBe(200);
		expect(res.body.resources).toHaveLength(1);
		expect(res.body.errors).toEqual([{ code: 404, id: unknown, message: expect.stringContaining(unknown) }]);
		const r = res.body.resources[0];
		expect(r).toMatchObject({
			device_id: host.aid,
			cid: sim.cid.toLowerCase(),
			hostname: host.hostname,
			status: 'normal',
			platform_name: host.platform,
			os_version: host.osVersion,
			agent_version: host.agentVersion,
			local_ip: host.localIp,
			connection_ip: host.localIp,
			mac_address: host.macAddress,
			tags: ['FalconGroupingTags/finance'],
			groups: [expect.stringMatching(/^[0-9a-f]{32}$/)],
			product_type_desc: expect.any(String),
			machine_domain: expect.any(String),
			host_hidden_status: 'visible',
		});
		expect(r.external_ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
		expect(Date.now() - Date.parse(r.last_seen)).toBeLessThan(5 * 60_000);
		for (const field of ['first_seen', 'modified_timestamp']) expect(Date.parse(r[field])).not.toBeNaN();

		const get = await client.json('GET', `${DETAILS}?ids=${offline[0].aid}&ids=${sim.fleet[2].aid}`);
		expect(get.body.resources.map((h: Json) => h.device_id)).toEqual([offline[0].aid, sim.fleet[2].aid]);
		expect(Date.now() - Date.parse(get.body.resources[0].last_seen)).toBeGreaterThan(3_600_000);
		expect(get.body.resources[1].tags).toContain(PROTECTED_TAG);

		const none = await client.json('GET', `${DETAILS}?ids=${unknown}`);
		expect(none.status).toBe(404);
		expect(none.body.errors[0]).toMatchObject({ code: 404, id: unknown });
		const tooMany = Array.from({ length: 101 }, (_, i) => `ids=${i.toString(16).padStart(32, '0')}`).join('&');
		expect((await client.json('GET', `${DETAILS}?${tooMany}`)).status).toBe(400);
		expect((await client.json('POST', DETAILS, {})).status).toBe(400);

		const states = await client.json('GET', `/devices/entities/online-state/v1?ids=${online[0].aid}&ids=${offline[0].aid}`);
		expect(states.body.resources).toEqual([
			{ id: online[0].aid, state: 'online' },
			{ id: offline[0].aid, state: 'offline' },
		]);
	});

	it('contains an online host after the delay and lifts it back to normal; contain again is a 409', async () => {
		const host = online[0];
		const res = await act('contain', [host.aid]);
		expect(res.status).toBe(202);
		expectEnvelope(res.body);
		expect(res.body.resources).toEqual([{ id: host.aid, path: '' }]);
		expect(await statusOf(host.aid)).toBe('containment_pending');
		const again = await act('contain', [host.aid]);
		expect(again.status).toBe(409);
		expect(again.body.errors).toEqual([{ code: 409, id: host.aid, message: expect.stringContaining('containment_pending') }]);
		await waitFor(async () => ((await statusOf(host.aid)) === 'contained' ? true : undefined));
		expect(await ids({ filter: "status:'contained'" })).toEqual([host.aid]);

		const lift = await act('lift_containment', [host.aid]);
		expect(lift.status).toBe(202);
		expect(await statusOf(host.aid)).toBe('lift_containment_pending');
		await waitFor(async () => ((await statusOf(host.aid)) === 'normal' ? true : undefined));
		expect((await act('lift_containment', [host.aid])).status).toBe(409);
	});

	it('keeps an offline host containment_pending until it is back online, then finishes the transition', async () => {
		const host = online[1];
		sim.setFaults({ offlineHosts: [host.aid] });
		expect((await act('contain', [host.aid])).status).toBe(202);
		await delay(DELAY_MS * 2);
		expect(await statusOf(host.aid)).toBe('containment_pending');
		const state = await control('state');
		expect(state.hosts.find((h: Json) => h.device_id === host.aid)).toMatchObject({ online: false, status: 'containment_pending' });
		await control('faults', { offlineHosts: [] });
		expect(await statusOf(host.aid)).toBe('contained');

		// A seeded-offline host comes online through the onlineHosts knob.
		const down = offline[0];
		expect((await act('contain', [down.aid])).status).toBe(202);
		await delay(DELAY_MS * 2);
		expect(await statusOf(down.aid)).toBe('containment_pending');
		sim.setFaults({ onlineHosts: [down.aid] });
		expect(await statusOf(down.aid)).toBe('contained');
		expect((await client.json('GET', `/devices/entities/online-state/v1?ids=${down.aid}`)).body.resources[0].state).toBe('online');
	});

	it('reports per-id results: unknown ids 404 next to accepted ones, all-unknown 404, mixed conflicts 202, bad requests 400', async () => {
		const unknown = 'f'.repeat(32);
		const mixed = await act('contain', [online[0].aid, unknown]);
		expect(mixed.status).toBe(202);
		expect(mixed.body.resources).toEqual([{ id: online[0].aid, path: '' }]);
		expect(mixed.body.errors).toEqual([{ code: 404, id: unknown, message: expect.stringContaining(unknown) }]);
		const partial = await act('contain', [online[0].aid, online[1].aid]);
		expect(partial.status).toBe(202);
		expect(partial.body.resources.map((r: Json) => r.id)).toEqual([online[1].aid]);
		expect(partial.body.errors.map((e: Json) => [e.code, e.id])).toEqual([[409, online[0].aid]]);
		expect((await act('contain', [unknown])).status).toBe(404);
		const bogus = await act('reboot', [online[0].aid]);
		expect(bogus.status).toBe(400);
		expect(bogus.body.errors[0].message).toContain('action_name');
		expect((await client.json('POST', ACTIONS, { ids: [online[0].aid] })).status).toBe(400);
		const many = Array.from({ length: 101 }, (_, i) => i.toString(16).padStart(32, '0'));
		const tooMany = await act('contain', many);
		expect(tooMany.status).toBe(400);
		expect(tooMany.body.errors[0].message).toContain('100');
		expect((await client.json('POST', `${ACTIONS}?action_name=contain`, { ids: [online[0].aid], action_parameters: 'x' })).status).toBe(400);
	});

	it('hides and unhides hosts (hidden hosts leave the host queries) and suppresses detections', async () => {
		const host = online[0];
		expect((await act('hide_host', [host.aid])).status).toBe(202);
		expect(await ids({ limit: '5000' })).not.toContain(host.aid);
		expect(await ids({}, '/devices/queries/devices-hidden/v1')).toEqual([host.aid]);
		expect((await details([host.aid]))[0].host_hidden_status).toBe('hidden');
		await act('unhide_host', [host.aid]);
		expect(await ids({ limit: '5000' })).toContain(host.aid);
		await act('detection_suppress', [host.aid]);
		expect((await details([host.aid]))[0].detection_suppression_status).toBe('suppressed');
		expect((await control('state')).hosts.find((h: Json) => h.device_id === host.aid).detection_suppressed).toBe(true);
	});

	it('adds and removes FalconGroupingTags, reporting updated per device, and rejects other tags', async () => {
		const [a, b] = sim.fleet;
		const unknown = '1'.repeat(32);
		const added = await client.json('PATCH', TAGS, { action: 'add', device_ids: [a.aid, b.aid, unknown], tags: ['FalconGroupingTags/quarantine-review'] });
		expect(added.status).toBe(202);
		expect(added.body.resources).toEqual([
			{ device_id: a.aid, updated: true },
			{ device_id: b.aid, updated: true },
			{ device_id: unknown, updated: false, code: 404, error: expect.stringContaining(unknown) },
		]);
		expect(sorted(await ids({ filter: "tags:'FalconGroupingTags/quarantine-review'" }))).toEqual(sorted([a.aid, b.aid]));
		const removed = await client.json('PATCH', TAGS, { action: 'remove', device_ids: [a.aid], tags: ['FalconGroupingTags/finance', 'FalconGroupingTags/quarantine-review'] });
		expect(removed.status).toBe(202);
		expect((await details([a.aid]))[0].tags).toEqual([]);
		const state = await control('state');
		expect(state.hosts.find((h: Json) => h.device_id === b.aid).tags).toContain('FalconGroupingTags/quarantine-review');
		expect(state.hosts.find((h: Json) => h.tags.includes(PROTECTED_TAG))).toMatchObject({ device_id: sim.fleet[2].aid, online: true });

		const badTag = await client.json('PATCH', TAGS, { action: 'add', device_ids: [a.aid], tags: ['quarantine'] });
		expect(badTag.status).toBe(400);
		expect(badTag.body.errors[0].message).toContain('FalconGroupingTags/');
		expect((await client.json('PATCH', TAGS, { action: 'replace', device_ids: [a.aid], tags: ['FalconGroupingTags/x'] })).status).toBe(400);
	});

	it('applies fault knobs to the Hosts paths and resets host state', async () => {
		sim.setFaults({ serverErrors: [{ pathPrefix: '/devices/', count: 1, status: 503 }] });
		expect((await client.call('GET', QUERY)).status).toBe(503);
		expect((await client.call('GET', QUERY)).status).toBe(200);
		sim.setFaults({ rateLimitNext: 1 });
		const limited = await client.call('POST', `${ACTIONS}?action_name=contain`, { ids: [online[0].aid] });
		expect(limited.status).toBe(429);
		expect(limited.headers.get('x-ratelimit-retryafter')).toMatch(/^\d+$/);
		expect(await statusOf(online[0].aid)).toBe('normal');

		await act('contain', [online[0].aid]);
		await client.json('PATCH', TAGS, { action: 'add', device_ids: [online[0].aid], tags: ['FalconGroupingTags/x'] });
		await control('reset', {});
		const after = (await control('state')).hosts.find((h: Json) => h.device_id === online[0].aid);
		expect(after).toMatchObject({ status: 'normal', tags: ['FalconGroupingTags/finance'], online: true });
	});
});
