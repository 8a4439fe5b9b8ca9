import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { getAll } from '../../../nodes/CrowdStrikeFalcon/Hosts/host/getAll.operation';
import { PROTECTED_TAG, type HostSummary, type RunningSimulator } from '../../../simulator';
import { byId, DEVICES, json, requests, roles, runHosts, startHostsSimulator } from './helpers';

let sim: RunningSimulator;

beforeAll(async () => {
	sim = await startHostsSimulator({ fleetSize: 40 });
});
afterAll(async () => await sim.close());
beforeEach(() => sim.reset());

const getMany = (parameters: INodeParameters = {}): INodeParameters => ({
	resource: 'host',
	operation: 'getAll',
	returnAll: true,
	filters: {},
	options: {},
	...parameters,
});

async function hostsFound(parameters: INodeParameters): Promise<IDataObject[]> {
	const { items, error } = await runHosts(sim, getMany(parameters));
	expect(error).toBeUndefined();
	return json(items);
}

/** The simulator's own answer: its fleet state, in fleet order (the order the scroll returns without a sort). */
const simulatorHosts = (keep: (host: HostSummary) => boolean = () => true): string[] =>
	sim.state().hosts.filter(keep).map((host) => host.device_id);

const ids = (hosts: IDataObject[]) => hosts.map((host) => host.device_id);

/** The scroll page size the node asks for; lowered to walk a 40-host fleet in several pages. */
async function withScrollPageSize<T>(size: number, body: () => Promise<T>): Promise<T> {
	const original = getAll.paginate!.maxPageSize;
	getAll.paginate!.maxPageSize = size;
	try {
		return await body();
	} finally {
		getAll.paginate!.maxPageSize = original;
	}
}

describe('Host > Get Many over the scroll endpoint (fleetSize 40)', () => {
	it('Return All returns every host exactly once, with full details', async () => {
		const hosts = await hostsFound({});
		expect(hosts).toHaveLength(40);
		expect(new Set(ids(hosts)).size).toBe(40);
		expect(ids(hosts)).toEqual(simulatorHosts());
		expect(hosts[0]).toMatchObject({
			device_id: sim.fleet[0].aid,
			hostname: sim.fleet[0].hostname,
			platform_name: 'Windows',
			status: 'normal',
			tags: ['FalconGroupingTags/finance'],
		});
		expect(hosts[0].last_seen).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
		expect(requests(sim, 'GET', DEVICES.scroll)).toHaveLength(1);
	});

	it('Return All follows the scroll tokens page by page when the fleet is larger than a page', async () => {
		const hosts = await withScrollPageSize(15, () => hostsFound({}));
		expect(ids(hosts)).toEqual(simulatorHosts());
		expect(new Set(ids(hosts)).size).toBe(40);

		const pages = requests(sim, 'GET', DEVICES.scroll);
		expect(pages.map((page) => page.status)).toEqual([200, 200, 200]);
		expect(pages[0].query.offset).toBeUndefined();
		const tokens = pages.slice(1).map((page) => page.query.offset);
		expect(tokens.every((token) => typeof token === 'string' && token !== '')).toBe(true);
		expect(new Set(tokens).size).toBe(2);
		// The result set was fixed at the first call; the details were read once for all 40.
		expect(requests(sim, 'POST', DEVICES.details).map((entry) => (entry.body as { ids: string[] }).ids.length)).toEqual([40]);
	});

	it('a 503 on a later scroll page is retried with the same token: still every host exactly once', async () => {
		sim.setFaults({ latencyMs: 150 });
		const running = withScrollPageSize(15, () => hostsFound({}));
		// Once the first page is answered, the next page request is already in the simulator's latency: fail it once.
		const until = Date.now() + 10_000;
		while (requests(sim, 'GET', DEVICES.scroll).length === 0 && Date.now() < until) await sleep(2);
		sim.setFaults({ serverErrors: [{ pathPrefix: DEVICES.scroll, count: 1, status: 503 }] });
		const hosts = await running;
		expect(ids(hosts)).toEqual(simulatorHosts());

		const pages = requests(sim, 'GET', DEVICES.scroll);
		expect(pages.map((page) => page.status)).toEqual([200, 503, 200, 200]);
		expect(pages[2].query.offset).toBe(pages[1].query.offset);
	});

	it('Limit 7 returns 7 hosts (asking Falcon for no more than 7)', async () => {
		const hosts = await hostsFound({ returnAll: false, limit: 7 });
		expect(ids(hosts)).toEqual(simulatorHosts().slice(0, 7));
		const [page] = requests(sim, 'GET', DEVICES.scroll);
		expect(page.query.limit).toBe('7');
	});

	it('Limit 7 across scroll pages of 5 returns 7 hosts', async () => {
		const hosts = await withScrollPageSize(5, () => hostsFound({ returnAll: false, limit: 7 }));
		expect(ids(hosts)).toEqual(simulatorHosts().slice(0, 7));
		expect(requests(sim, 'GET', DEVICES.scroll).map((page) => page.query.limit)).toEqual(['5', '2']);
	});

	it('Platform filter matches the simulator', async () => {
		for (const platform of ['Windows', 'Linux', 'Mac']) {
			const hosts = await hostsFound({ filters: { platform } });
			expect(hosts.length).toBeGreaterThan(0);
			expect(ids(hosts)).toEqual(simulatorHosts((host) => host.platform_name === platform));
		}
	});

	it('Hostname filter with a wildcard matches the simulator', async () => {
		const hosts = await hostsFound({ filters: { hostname: 'SRV-*' } });
		expect(hosts.length).toBeGreaterThan(3);
		expect(ids(hosts)).toEqual(simulatorHosts((host) => /^SRV-/i.test(host.hostname)));

		const exact = await hostsFound({ filters: { hostname: sim.fleet[7].hostname } });
		expect(ids(exact)).toEqual([sim.fleet[7].aid]);
	});

	it('Local IP filter with a wildcard (local_ip.raw) and several hostnames match the simulator', async () => {
		const prefix = sim.fleet[0].localIp.replace(/\.\d+$/, '.*');
		const byIp = await hostsFound({ filters: { localIp: prefix } });
		expect(ids(byIp)).toContain(sim.fleet[0].aid);
		const inRange = sim.fleet.filter((host) => host.localIp.startsWith(prefix.slice(0, -1))).map((host) => host.aid);
		expect(new Set(ids(byIp))).toEqual(new Set(inRange));

		const named = await hostsFound({ filters: { hostname: `${sim.fleet[3].hostname}, ${sim.fleet[7].hostname}` } });
		expect(new Set(ids(named))).toEqual(new Set([sim.fleet[3].aid, sim.fleet[7].aid]));
	});

	it('Tag "protected" finds the protected host (fleet[2])', async () => {
		const hosts = await hostsFound({ filters: { tag: 'protected' } });
		expect(ids(hosts)).toEqual([sim.fleet[2].aid]);
		expect(ids(hosts)).toEqual(simulatorHosts((host) => host.tags.includes(PROTECTED_TAG)));
		expect(hosts[0].tags).toContain(PROTECTED_TAG);

		const prefixed = await hostsFound({ filters: { tag: 'FalconGroupingTags/finance' } });
		expect(ids(prefixed)).toEqual(simulatorHosts((host) => host.tags.includes('FalconGroupingTags/finance')));
		expect(prefixed).toHaveLength(2);
	});

	it('Containment Status filter after a contain matches the simulator', async () => {
		const { windows, linux } = roles(sim);
		const contained = await runHosts(sim, {
			resource: 'host',
			operation: 'contain',
			hostId: byId('={{ $json.host }}'),
			options: { wait: true, deadlineSeconds: 10, pollIntervalSeconds: 0.5 },
		}, { input: [{ json: { host: windows.aid } }, { json: { host: linux.aid } }] });
		expect(contained.error).toBeUndefined();

		const hosts = await hostsFound({ filters: { status: 'contained' } });
		expect(ids(hosts)).toEqual([windows.aid, linux.aid]);
		expect(ids(hosts)).toEqual(simulatorHosts((host) => host.status === 'contained'));
		expect(hosts.every((host) => host.status === 'contained')).toBe(true);

		const normal = await hostsFound({ filters: { status: 'normal' } });
		expect(ids(normal)).toEqual(simulatorHosts((host) => host.status === 'normal'));
		expect(normal).toHaveLength(38);
	});

	it('filters combine with AND, and the sort option orders the result', async () => {
		const hosts = await hostsFound({ filters: { platform: 'Windows', hostname: 'SRV-SQL*' }, options: { sort: 'hostname.desc' } });
		const expected = sim
			.state()
			.hosts.filter((host) => host.platform_name === 'Windows' && host.hostname.startsWith('SRV-SQL'))
			.sort((a, b) => b.hostname.localeCompare(a.hostname));
		expect(hosts.map((host) => host.hostname)).toEqual(expected.map((host) => host.hostname));
		expect(hosts.length).toBeGreaterThan(2);
		const [page] = requests(sim, 'GET', DEVICES.scroll);
		expect(page.query.sort).toBe('hostname.desc');
		expect(String(page.query.filter).split('+').sort()).toEqual(["hostname:'SRV-SQL*'", "platform_name:'Windows'"]);
	});

	it('Last Seen Within (Days) keeps every online host and only offline hosts seen in that window', async () => {
		const hosts = await hostsFound({ filters: { lastSeenWithinDays: 1 } });
		const online = simulatorHosts((host) => host.online);
		expect(ids(hosts)).toEqual(expect.arrayContaining(online));
		const dayAgo = Date.now() - 24 * 3600_000 - 60_000;
		expect(hosts.every((host) => Date.parse(String(host.last_seen)) >= dayAgo)).toBe(true);
		// The offline hosts left out were last seen before the window.
		const all = await hostsFound({});
		const leftOut = all.filter((host) => !ids(hosts).includes(host.device_id));
		expect(leftOut.every((host) => Date.parse(String(host.last_seen)) < Date.now() - 24 * 3600_000 + 60_000)).toBe(true);
	});

	it('a filter that matches nothing returns no items and reads no details', async () => {
		const hosts = await hostsFound({ filters: { hostname: 'NO-SUCH-HOST' } });
		expect(hosts).toEqual([]);
		expect(requests(sim, 'POST', DEVICES.details)).toHaveLength(0);
	});
});
