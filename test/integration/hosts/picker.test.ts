import { mock } from 'jest-mock-extended';
import { ExecutionLifecycleHooks, LoadOptionsContext } from 'n8n-core';
import type { INode, INodeParameters } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { searchHosts } from '../../../nodes/CrowdStrikeFalcon/shared/hosts/searchHosts';
import type { RunningSimulator } from '../../../simulator';
import { testAdditionalData } from '../../harness/additionalData';
import { FALCON_CREDENTIAL } from '../../harness/credentials';
import { TestNodeTypes } from '../../harness/nodeTypes';
import {
	byHostname,
	credentialsFor,
	DEVICES,
	hostState,
	HOSTS_NODE,
	items,
	json,
	requests,
	roles,
	runHosts,
	runRtr,
	startHostsSimulator,
} from './helpers';

const RTR_SESSIONS = '/real-time-response/entities/sessions/v1';

let sim: RunningSimulator;

beforeAll(async () => {
	sim = await startHostsSimulator();
});
afterAll(async () => await sim.close());
beforeEach(() => sim.reset());

const runAndWait = (hostId: unknown, commandLine = 'ls /'): INodeParameters => ({
	resource: 'command',
	operation: 'runAndWait',
	hostId: hostId as INodeParameters[string],
	commandTier: 'readOnly',
	baseCommand: commandLine.split(' ')[0],
	commandLine,
	options: { pollIntervalSeconds: 0.2, deadlineSeconds: 20 },
});
const contain = (hostId: unknown): INodeParameters => ({
	resource: 'host',
	operation: 'contain',
	hostId: hostId as INodeParameters[string],
	options: { wait: true, deadlineSeconds: 10, pollIntervalSeconds: 0.5 },
});

/** The hostname look-ups the node made: GET QueryDevicesByFilter with a hostname filter. */
const hostnameQueries = () => requests(sim, 'GET', DEVICES.query);

describe('Host picker "By Hostname" against the simulator', () => {
	it('RTR Run and Wait runs on the host with that hostname, found with one Falcon query', async () => {
		const { linux } = roles(sim);
		const { items: output, error } = await runRtr(sim, runAndWait(byHostname(linux.hostname)));
		expect(error).toBeUndefined();
		expect(json(output)).toEqual([expect.objectContaining({ host_id: linux.aid, status: 'success', complete: true })]);
		expect(String(output[0].json.stdout).length).toBeGreaterThan(0);

		const lookups = hostnameQueries();
		expect(lookups).toHaveLength(1);
		expect(lookups[0].query).toMatchObject({ filter: `hostname:['${linux.hostname}']`, limit: '10', sort: 'last_seen.desc' });
		const sessions = requests(sim, 'POST', RTR_SESSIONS);
		expect(sessions).toHaveLength(1);
		expect(sessions[0].body).toMatchObject({ device_id: linux.aid });
	});

	it('RTR Run and Wait with an unknown hostname fails naming it, before any session is opened', async () => {
		const { error } = await runRtr(sim, runAndWait(byHostname('NO-SUCH-HOST-01')));
		expect(error?.message).toBe('No host is named "NO-SUCH-HOST-01" in this Falcon tenant');
		expect(requests(sim, 'POST', RTR_SESSIONS)).toHaveLength(0);
	});

	it('Hosts Contain by hostname contains exactly that host', async () => {
		const { mac } = roles(sim);
		const { items: output, error } = await runHosts(sim, contain(byHostname(mac.hostname)));
		expect(error).toBeUndefined();
		expect(json(output)).toEqual([
			expect.objectContaining({ host_id: mac.aid, hostname: mac.hostname, status_before: 'normal', status_after: 'contained', result: 'contained' }),
		]);
		expect(requests(sim, 'POST', DEVICES.action).map((entry) => entry.body)).toEqual([{ ids: [mac.aid] }]);
		const contained = sim.state().hosts.filter((host) => host.status !== 'normal').map((host) => host.device_id);
		expect(contained).toEqual([mac.aid]);
	});

	it('a hostname that only starts another host\'s name finds no host: that other host is not contained', async () => {
		const { mac } = roles(sim);
		const prefix = mac.hostname.slice(0, -1);
		expect(sim.state().hosts.map((host) => host.hostname)).not.toContain(prefix);

		const { error } = await runHosts(sim, contain(byHostname(prefix)));
		expect(error?.message).toBe(`No host is named "${prefix}" in this Falcon tenant`);
		expect(requests(sim, 'POST', DEVICES.action)).toHaveLength(0);
		expect(sim.state().hosts.every((host) => host.status === 'normal')).toBe(true);
	});

	it('several items naming the same hostname cost one look-up and contain the host once', async () => {
		const { windows } = roles(sim);
		const { items: output, error } = await runHosts(sim, contain(byHostname('={{ $json.host }}')), {
			input: items([windows.hostname, windows.hostname, windows.hostname]),
		});
		expect(error).toBeUndefined();
		expect(json(output)).toEqual([expect.objectContaining({ host_id: windows.aid, result: 'contained' })]);
		expect(output[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(hostnameQueries()).toHaveLength(1);
		expect(requests(sim, 'POST', DEVICES.action)).toHaveLength(1);
	});

	it('Hosts Contain with an unknown hostname fails naming it, and nothing is contained', async () => {
		const { error } = await runHosts(sim, contain(byHostname('NO-SUCH-HOST-02')));
		expect(error?.message).toBe('No host is named "NO-SUCH-HOST-02" in this Falcon tenant');
		expect(error?.context?.itemIndex).toBe(0);
		expect(requests(sim, 'POST', DEVICES.action)).toHaveLength(0);
		expect(requests(sim, 'POST', DEVICES.details)).toHaveLength(0);
		expect(sim.state().hosts.every((host) => host.status === 'normal')).toBe(true);
	});

	it('with Continue On Fail, an unknown hostname becomes an error item and the other items still run', async () => {
		const { linux } = roles(sim);
		const { items: output, error } = await runHosts(sim, contain(byHostname('={{ $json.host }}')), {
			input: items(['NO-SUCH-HOST-03', linux.hostname]),
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(output).toEqual([
			{ json: expect.objectContaining({ error: 'No host is named "NO-SUCH-HOST-03" in this Falcon tenant' }), pairedItem: { item: 0 } },
			{ json: expect.objectContaining({ host_id: linux.aid, result: 'contained' }), pairedItem: { item: 1 } },
		]);
		expect(hostState(sim, linux.aid).status).toBe('contained');
	});
});

describe('Host picker "From List" (searchHosts) against the simulator', () => {
	/** A real n8n-core load-options context whose requests go to the simulator. */
	function loadOptionsContext(): LoadOptionsContext {
		const node: INode = {
			id: 'falcon-node',
			name: 'Falcon',
			type: HOSTS_NODE,
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
			credentials: { [FALCON_CREDENTIAL]: { id: '1', name: 'Falcon API' } },
		};
		const workflow = new Workflow({ id: 'wf', nodes: [node], connections: {}, nodeTypes: new TestNodeTypes(), active: false });
		const additionalData = testAdditionalData(credentialsFor(sim), new ExecutionLifecycleHooks('internal', 'lo', mock()));
		return new LoadOptionsContext(workflow, node, additionalData, 'parameters.hostId');
	}

	it('lists every host A-Z with platform and containment status', async () => {
		const { results, paginationToken } = await searchHosts.call(loadOptionsContext());
		const expected = [...sim.state().hosts].sort((a, b) => a.hostname.localeCompare(b.hostname));
		expect(results).toEqual(
			expected.map((host) => ({ name: `${host.hostname} (${host.platform_name}, ${host.status})`, value: host.device_id })),
		);
		expect(paginationToken).toBeUndefined();
	});

	it('finds hostnames starting with what was typed, and the picked value runs Contain on that host', async () => {
		const { mac } = roles(sim);
		const typed = mac.hostname.slice(0, 3);
		const { results } = await searchHosts.call(loadOptionsContext(), typed);
		const expected = sim.state().hosts.filter((host) => host.hostname.toLowerCase().startsWith(typed.toLowerCase()));
		expect(results.map((entry) => entry.value).sort()).toEqual(expected.map((host) => host.device_id).sort());
		const picked = results.find((entry) => entry.value === mac.aid);
		expect(picked?.name).toBe(`${mac.hostname} (Mac, normal)`);

		const { items: output, error } = await runHosts(sim, contain({ __rl: true, mode: 'list', value: picked!.value, cachedResultName: picked!.name }));
		expect(error).toBeUndefined();
		expect(json(output)).toEqual([expect.objectContaining({ host_id: mac.aid, result: 'contained' })]);
		// The list shows the new status.
		const after = await searchHosts.call(loadOptionsContext(), mac.hostname);
		expect(after.results).toEqual([{ name: `${mac.hostname} (Mac, contained)`, value: mac.aid }]);
	});
});
