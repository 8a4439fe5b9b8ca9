import type { INodeParameters } from 'n8n-workflow';

import type { RunningSimulator } from '../../../simulator';
import { byHostname, byId, DEVICES, hostState, items, json, requests, roles, runHosts, startHostsSimulator } from './helpers';

let sim: RunningSimulator;

beforeAll(async () => {
	sim = await startHostsSimulator();
});
afterAll(async () => await sim.close());
beforeEach(() => sim.reset());

const updateTags = (tagAction: 'add' | 'remove', tags: string, hostId: unknown = byId('={{ $json.host }}')): INodeParameters => ({
	resource: 'host',
	operation: 'updateTags',
	hostId: hostId as INodeParameters[string],
	tagAction,
	tags,
});

const patches = () => requests(sim, 'PATCH', DEVICES.tags);

describe('Host > Update Tags against the simulator', () => {
	it('adds tags to the hosts of every item in one PATCH, visible in the simulator state', async () => {
		const { windows, linux } = roles(sim);
		const { items: output, error } = await runHosts(sim, updateTags('add', 'incident-4711, FalconGroupingTags/quarantined'), {
			input: items([windows.aid, linux.aid, windows.aid]),
		});
		expect(error).toBeUndefined();
		const tags = ['FalconGroupingTags/incident-4711', 'FalconGroupingTags/quarantined'];
		expect(output).toEqual([
			{ json: { host_id: windows.aid, action: 'add', tags, updated: true }, pairedItem: [{ item: 0 }, { item: 2 }] },
			{ json: { host_id: linux.aid, action: 'add', tags, updated: true }, pairedItem: { item: 1 } },
		]);
		expect(patches()).toHaveLength(1);
		expect(patches()[0]).toMatchObject({ status: 202, body: { action: 'add', device_ids: [windows.aid, linux.aid], tags } });

		expect(hostState(sim, windows.aid).tags).toEqual(['FalconGroupingTags/finance', ...tags]);
		expect(hostState(sim, linux.aid).tags).toEqual(['FalconGroupingTags/prod', 'FalconGroupingTags/web', ...tags]);
		// Get returns the same tags the simulator holds.
		const read = await runHosts(sim, { resource: 'host', operation: 'get', hostIds: `${windows.aid},${linux.aid}` });
		expect(json(read.items).map((host) => host.tags)).toEqual([hostState(sim, windows.aid).tags, hostState(sim, linux.aid).tags]);
	});

	it('removes tags, seeded ones included, and leaves the others', async () => {
		const { windows, mac } = roles(sim);
		await runHosts(sim, updateTags('add', 'incident-4711, keep-me'), { input: items([windows.aid]) });
		const removed = await runHosts(sim, updateTags('remove', 'incident-4711, finance'), { input: items([windows.aid]) });
		expect(removed.error).toBeUndefined();
		expect(json(removed.items)).toEqual([
			{ host_id: windows.aid, action: 'remove', tags: ['FalconGroupingTags/incident-4711', 'FalconGroupingTags/finance'], updated: true },
		]);
		expect(hostState(sim, windows.aid).tags).toEqual(['FalconGroupingTags/keep-me']);
		// Another host's tags are untouched.
		expect(hostState(sim, mac.aid).tags).toEqual(['FalconGroupingTags/protected', 'FalconGroupingTags/vip']);
	});

	it('items with different actions are sent as separate PATCH calls, each applied', async () => {
		const { windows, linux } = roles(sim);
		const { error } = await runHosts(
			sim,
			{
				resource: 'host',
				operation: 'updateTags',
				hostId: byId('={{ $json.host }}'),
				tagAction: '={{ $json.action }}',
				tags: 'web',
			},
			{ input: [{ json: { host: windows.aid, action: 'add' } }, { json: { host: linux.aid, action: 'remove' } }] },
		);
		expect(error).toBeUndefined();
		expect(patches().map((entry) => (entry.body as { action: string }).action)).toEqual(['add', 'remove']);
		expect(hostState(sim, windows.aid).tags).toContain('FalconGroupingTags/web');
		expect(hostState(sim, linux.aid).tags).toEqual(['FalconGroupingTags/prod']);
	});

	it('takes the host by hostname', async () => {
		const { mac } = roles(sim);
		const { items: output, error } = await runHosts(sim, updateTags('add', 'n8n-tested', byHostname(mac.hostname)));
		expect(error).toBeUndefined();
		expect(json(output)).toEqual([expect.objectContaining({ host_id: mac.aid, updated: true })]);
		expect(hostState(sim, mac.aid).tags).toContain('FalconGroupingTags/n8n-tested');
	});

	it("an unknown host gets Falcon's per-host answer (updated: false) while the known host is tagged", async () => {
		const { linux } = roles(sim);
		const unknown = 'deadbeefdeadbeefdeadbeefdeadbeef';
		const { items: output, error } = await runHosts(sim, updateTags('add', 'seen'), { input: items([unknown, linux.aid]) });
		expect(error).toBeUndefined();
		expect(json(output)).toEqual([
			expect.objectContaining({ host_id: unknown, updated: false, code: 404, error: expect.stringContaining('not found') }),
			expect.objectContaining({ host_id: linux.aid, updated: true }),
		]);
		expect(hostState(sim, linux.aid).tags).toContain('FalconGroupingTags/seen');
	});

	it('a tag Falcon would refuse fails before any request', async () => {
		const { windows } = roles(sim);
		const { error } = await runHosts(sim, updateTags('add', 'bad tag!'), { input: items([windows.aid]) });
		expect(error?.message).toMatch(/^Invalid "Tags": /);
		expect(sim.state().requests).toHaveLength(0);
		expect(hostState(sim, windows.aid).tags).toEqual(['FalconGroupingTags/finance']);
	});
});

describe('Host > Update Tags after a 5xx', () => {
	const added = ['FalconGroupingTags/incident-4711'];
	const statuses = () => patches().map((entry) => entry.status);

	it('sent after Falcon tagged the hosts (a gateway timeout): the hosts are read, show the tag, and nothing is sent again', async () => {
		const { windows, linux } = roles(sim);
		sim.setFaults({ serverErrors: [{ pathPrefix: DEVICES.tags, count: 1, status: 504, afterActing: true }] });
		const { items: output, error } = await runHosts(sim, updateTags('add', 'incident-4711'), { input: items([windows.aid, linux.aid]) });
		expect(error).toBeUndefined();
		expect(json(output)).toEqual([
			{ host_id: windows.aid, action: 'add', tags: added, updated: true },
			{ host_id: linux.aid, action: 'add', tags: added, updated: true },
		]);
		expect(statuses()).toEqual([504]);
		expect(hostState(sim, windows.aid).tags).toContain(added[0]);
	});

	it('sent before Falcon acted: the call is sent once more, and the hosts are tagged', async () => {
		const { windows, linux } = roles(sim);
		sim.setFaults({ serverErrors: [{ pathPrefix: DEVICES.tags, count: 1, status: 503 }] });
		const { items: output, error } = await runHosts(sim, updateTags('add', 'incident-4711'), { input: items([windows.aid, linux.aid]) });
		expect(error).toBeUndefined();
		expect(json(output).map((host) => host.updated)).toEqual([true, true]);
		expect(statuses()).toEqual([503, 202]);
		expect(hostState(sim, linux.aid).tags).toContain(added[0]);
	});
});
