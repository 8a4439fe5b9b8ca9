import { mock } from 'jest-mock-extended';
import { ExecutionLifecycleHooks, LoadOptionsContext } from 'n8n-core';
import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { CrowdStrikeFalconHosts } from '../../../nodes/CrowdStrikeFalcon/Hosts/CrowdStrikeFalconHosts.node';
import { CrowdStrikeFalconRealTimeResponse } from '../../../nodes/CrowdStrikeFalcon/RealTimeResponse/CrowdStrikeFalconRealTimeResponse.node';
import { forgetKept } from '../../../nodes/CrowdStrikeFalcon/RealTimeResponse/shared/sessionUsers';
import { searchHosts } from '../../../nodes/CrowdStrikeFalcon/shared/hosts/searchHosts';
import { testAdditionalData } from '../../harness/additionalData';
import { FALCON_CREDENTIAL } from '../../harness/credentials';
import { envelope, testCredentials } from '../../harness/falcon';
import { TestNodeTypes } from '../../harness/nodeTypes';
import {
	byHostname,
	byId,
	device,
	DEVICES,
	falcon,
	fromList,
	HOST_A,
	HOST_B,
	HOST_C,
	HOSTS_NODE,
	items,
	json,
	LAST_SEEN,
	meta,
	RTR_NODE,
	run,
} from './helpers';

const RTR = '/real-time-response';
const SESSION = '1c5c4a4e-8f6b-4f2a-9a53-0d1f1f4e2b7a';
const REQUEST = '3e7e6c6a-0b8d-4b4c-9c75-2f3b3b6a4d9c';

const query = (ids: string[], total = ids.length, offset = 0) => ({
	meta: meta({ pagination: { offset, limit: 2, total } }),
	resources: ids,
	errors: [],
});
const sessionResource = (aid: string) => ({ session_id: SESSION, device_id: aid, offline_queued: false });
// Session Start and Run and Wait here share one session ID; a real kept session's ID is never handed out again.
afterEach(() => forgetKept(SESSION));
const sessionStart = (hostId: unknown): INodeParameters => ({
	resource: 'session',
	operation: 'start',
	hostId: hostId as INodeParameters[string],
	options: {},
});
const contain = (hostId: unknown): INodeParameters => ({
	resource: 'host',
	operation: 'contain',
	hostId: hostId as INodeParameters[string],
	options: {},
});

describe('Host picker: From List, By ID, plain strings', () => {
	it.each([
		['By ID (upper case, padded)', byId(` ${HOST_A.toUpperCase()} `)],
		['From List', fromList(HOST_A)],
		['a plain string, as older workflows stored it', HOST_A],
		['a plain string from an expression', `={{ "${HOST_A}" }}`],
	])('RTR Session > Start takes the host %s', async (_, hostId) => {
		const api = falcon().post(`${RTR}/entities/sessions/v1`, { device_id: HOST_A }).reply(201, envelope([sessionResource(HOST_A)]));
		const result = await run(sessionStart(hostId), { type: RTR_NODE });
		expect(result.error).toBeUndefined();
		expect(json(result.items)).toEqual([sessionResource(HOST_A)]);
		expect(api.isDone()).toBe(true);
	});

	it.each([
		['By ID', byId(HOST_A.toUpperCase())],
		['From List', fromList(HOST_A)],
		['a plain string', HOST_A],
	])('Host > Contain takes the host %s', async (_, hostId) => {
		const api = falcon()
			.post(DEVICES.details, { ids: [HOST_A] })
			.reply(200, envelope([device(HOST_A, 'contained')]));
		const result = await run(contain(hostId));
		expect(result.error).toBeUndefined();
		expect(json(result.items)).toEqual([expect.objectContaining({ host_id: HOST_A, result: 'already_contained' })]);
		expect(api.isDone()).toBe(true);
	});
});

describe('Host picker: By Hostname', () => {
	it('RTR Session > Start looks the hostname up once (limit 2), then opens the session on that host', async () => {
		const api = falcon()
			.get(DEVICES.query)
			.query({ filter: "hostname:['WKS-100']", limit: '10', sort: 'last_seen.desc' })
			.reply(200, query([HOST_A.toUpperCase()]))
			.post(`${RTR}/entities/sessions/v1`, { device_id: HOST_A })
			.reply(201, envelope([sessionResource(HOST_A)]));
		const result = await run(sessionStart(byHostname(' WKS-100 ')), { type: RTR_NODE });
		expect(result.error).toBeUndefined();
		expect(json(result.items)).toEqual([sessionResource(HOST_A)]);
		expect(api.isDone()).toBe(true);
	});

	it('several items naming the same hostname cost one look-up per run (RTR, one request per item)', async () => {
		const api = falcon()
			.get(DEVICES.query)
			.query({ filter: "hostname:['WKS-100']", limit: '10', sort: 'last_seen.desc' })
			.once()
			.reply(200, query([HOST_A]))
			.post(`${RTR}/entities/sessions/v1`, { device_id: HOST_A })
			.times(3)
			.reply(201, envelope([sessionResource(HOST_A)]));
		const result = await run(sessionStart(byHostname('={{ $json.host }}')), {
			type: RTR_NODE,
			input: items(['WKS-100', 'WKS-100', 'WKS-100']),
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(api.isDone()).toBe(true);
	});

	it('Run and Wait resolves the hostname before it opens the session', async () => {
		const api = falcon()
			.get(DEVICES.query)
			.query({ filter: "hostname:['WKS-100']", limit: '10', sort: 'last_seen.desc' })
			.reply(200, query([HOST_A]))
			.post(`${RTR}/entities/sessions/v1`, { device_id: HOST_A })
			.query(true)
			.reply(201, envelope([sessionResource(HOST_A)]))
			.post(`${RTR}/entities/command/v1`, { session_id: SESSION, base_command: 'ps', command_string: 'ps' })
			.reply(201, envelope([{ session_id: SESSION, cloud_request_id: REQUEST, queued_command_offline: false }]))
			.get(`${RTR}/entities/command/v1`)
			.query({ cloud_request_id: REQUEST, sequence_id: '0' })
			.reply(200, envelope([{ complete: true, stdout: 'explorer.exe', stderr: '', sequence_id: 0 }]))
			.delete(`${RTR}/entities/sessions/v1`)
			.query({ session_id: SESSION })
			.reply(204);
		const result = await run(
			{
				resource: 'command',
				operation: 'runAndWait',
				hostId: byHostname('WKS-100'),
				commandTier: 'readOnly',
				baseCommand: 'ps',
				commandLine: 'ps',
				options: { pollIntervalSeconds: 0.1, deadlineSeconds: 5 },
			},
			{ type: RTR_NODE },
		);
		expect(result.error).toBeUndefined();
		expect(json(result.items)).toEqual([expect.objectContaining({ host_id: HOST_A, status: 'success', stdout: 'explorer.exe' })]);
		expect(api.isDone()).toBe(true);
	});

	it('Contain resolves every item first: one look-up per hostname, then one details read and one action', async () => {
		const api = falcon()
			.get(DEVICES.query)
			.query({ filter: "hostname:['WKS-100']", limit: '10', sort: 'last_seen.desc' })
			.once()
			.reply(200, query([HOST_A]))
			.get(DEVICES.query)
			.query({ filter: "hostname:['WKS-200']", limit: '10', sort: 'last_seen.desc' })
			.once()
			.reply(200, query([HOST_B]))
			.post(DEVICES.details, { ids: [HOST_A, HOST_B] })
			.reply(200, envelope([device(HOST_A, 'normal'), device(HOST_B, 'normal')]))
			.post(DEVICES.action, { ids: [HOST_A, HOST_B] })
			.query({ action_name: 'contain' })
			.reply(202, { meta: meta(), resources: [{ id: HOST_A }, { id: HOST_B }], errors: [] })
			.post(DEVICES.details, { ids: [HOST_A, HOST_B] })
			.reply(200, envelope([device(HOST_A, 'containment_pending'), device(HOST_B, 'containment_pending')]));
		const result = await run(contain(byHostname('={{ $json.host }}')), { input: items(['WKS-100', 'WKS-200', 'WKS-100']) });
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => [item.json.host_id, item.json.hostname, item.json.result, item.pairedItem])).toEqual([
			[HOST_A, 'WKS-100', 'containment_pending', [{ item: 0 }, { item: 2 }]],
			[HOST_B, 'WKS-200', 'containment_pending', { item: 1 }],
		]);
		expect(api.isDone()).toBe(true);
	});

	// n8n swaps a message holding a system error code (EPERM, EACCES, ECONNRESET…) for its own generic text.
	it.each(['SLEEPERMAN', 'DEEPERMIND-01', 'PEACCESS'])('the error names a hostname %s that holds a system error code', async (hostname) => {
		falcon()
			.get(DEVICES.query)
			.query({ filter: `hostname:['${hostname}']`, limit: '10', sort: 'last_seen.desc' })
			.reply(200, query([]));
		const result = await run(contain(byHostname('={{ $json.host }}')), { input: items([hostname]) });
		expect(result.error?.message).toBe(`No host is named "${hostname}" in this Falcon tenant`);
	});

	it('a hostname with no host fails the node, naming it, before any host is touched', async () => {
		const api = falcon()
			.get(DEVICES.query)
			.query({ filter: "hostname:['WKS-404']", limit: '10', sort: 'last_seen.desc' })
			.reply(200, query([]));
		const result = await run(contain(byHostname('={{ $json.host }}')), { input: items(['WKS-404']) });
		expect(result.error?.message).toBe('No host is named "WKS-404" in this Falcon tenant');
		expect(result.error?.description).toContain('pick the host "From List" or "By ID" instead');
		expect(result.error?.context?.itemIndex).toBe(0);
		expect(api.isDone()).toBe(true);
	});

	it('a hostname shared by several hosts fails, listing them most recently seen first, with when each was last seen', async () => {
		const api = falcon()
			.get(DEVICES.query)
			.query({ filter: "hostname:['WKS-DUP']", limit: '10', sort: 'last_seen.desc' })
			.once()
			.reply(200, query([HOST_B, HOST_A], 12))
			.post(DEVICES.details, { ids: [HOST_B, HOST_A] })
			.reply(
				200,
				envelope([
					device(HOST_A, 'normal', { last_seen: '2026-08-01T09:00:00Z' }),
					device(HOST_B, 'normal', { last_seen: '2026-12-05T04:00:00Z' }),
				]),
			);
		const result = await run(sessionStart(byHostname('WKS-DUP')), { type: RTR_NODE });
		expect(result.error?.message).toBe(
			`Several hosts are named "WKS-DUP": ${HOST_B} (last seen 2026-12-05T04:00:00Z), ${HOST_A} (last seen 2026-08-01T09:00:00Z) and 10 more`,
		);
		expect(result.error?.description).toContain('stale record with the same name');
		expect(result.items).toEqual([]);
		expect(api.isDone()).toBe(true);
	});

	it('when the last_seen of the hosts sharing a hostname cannot be read, the error still names the host IDs found', async () => {
		falcon()
			.get(DEVICES.query)
			.query({ filter: "hostname:['WKS-DUP']", limit: '10', sort: 'last_seen.desc' })
			.reply(200, query([HOST_A, HOST_B]))
			.post(DEVICES.details, { ids: [HOST_A, HOST_B] })
			.reply(403, { meta: meta(), resources: [], errors: [{ code: 403, message: 'access denied' }] });
		const result = await run(sessionStart(byHostname('WKS-DUP')), { type: RTR_NODE });
		expect(result.error?.message).toBe(`Several hosts are named "WKS-DUP": ${HOST_A}, ${HOST_B}`);
	});

	it('with Continue On Fail, unresolved hostnames become error items and the other items are contained', async () => {
		const api = falcon()
			.get(DEVICES.query)
			.query({ filter: "hostname:['WKS-404']", limit: '10', sort: 'last_seen.desc' })
			.reply(200, query([]))
			.get(DEVICES.query)
			.query({ filter: "hostname:['WKS-100']", limit: '10', sort: 'last_seen.desc' })
			.reply(200, query([HOST_A]))
			.get(DEVICES.query)
			.query({ filter: "hostname:['WKS-DUP']", limit: '10', sort: 'last_seen.desc' })
			.once()
			.reply(200, query([HOST_B, HOST_C]))
			.post(DEVICES.details, { ids: [HOST_B, HOST_C] })
			.once()
			.reply(200, envelope([device(HOST_B, 'normal'), device(HOST_C, 'normal', { last_seen: undefined })]))
			.post(DEVICES.details, { ids: [HOST_A] })
			.reply(200, envelope([device(HOST_A, 'normal')]))
			.post(DEVICES.action, { ids: [HOST_A] })
			.query({ action_name: 'contain' })
			.reply(202, { meta: meta(), resources: [{ id: HOST_A }], errors: [] })
			.post(DEVICES.details, { ids: [HOST_A] })
			.reply(200, envelope([device(HOST_A, 'contained')]));
		const result = await run(contain(byHostname('={{ $json.host }}')), {
			input: items(['WKS-404', 'WKS-100', 'WKS-DUP', 'WKS-404', 'WKS-DUP']),
			continueOnFail: true,
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => [item.json.error ?? item.json.result, item.pairedItem])).toEqual([
			['No host is named "WKS-404" in this Falcon tenant', { item: 0 }],
			['contained', { item: 1 }],
			[`Several hosts are named "WKS-DUP": ${HOST_B} (last seen ${LAST_SEEN}), ${HOST_C} (last seen unknown)`, { item: 2 }],
			['No host is named "WKS-404" in this Falcon tenant', { item: 3 }],
			[`Several hosts are named "WKS-DUP": ${HOST_B} (last seen ${LAST_SEEN}), ${HOST_C} (last seen unknown)`, { item: 4 }],
		]);
		expect(api.isDone()).toBe(true);
	});

	it('with Continue On Fail, an RTR item whose hostname is unknown becomes an error item and the next still runs', async () => {
		const api = falcon()
			.get(DEVICES.query)
			.query({ filter: "hostname:['GHOST']", limit: '10', sort: 'last_seen.desc' })
			.reply(200, query([]))
			.get(DEVICES.query)
			.query({ filter: "hostname:['WKS-100']", limit: '10', sort: 'last_seen.desc' })
			.reply(200, query([HOST_A]))
			.post(`${RTR}/entities/sessions/v1`, { device_id: HOST_A })
			.reply(201, envelope([sessionResource(HOST_A)]));
		const result = await run(sessionStart(byHostname('={{ $json.host }}')), {
			type: RTR_NODE,
			input: items(['GHOST', 'WKS-100']),
			continueOnFail: true,
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toEqual([
			{
				json: {
					error: 'No host is named "GHOST" in this Falcon tenant',
					description: expect.stringContaining("matched whole, as FQL matches hostname:['…']"),
				},
				pairedItem: { item: 0 },
			},
			{ json: sessionResource(HOST_A), pairedItem: { item: 1 } },
		]);
		expect(api.isDone()).toBe(true);
	});
});

describe('searchHosts (listSearch of the host picker)', () => {
	const node: INode = {
		id: 'falcon-node',
		name: 'Falcon',
		type: HOSTS_NODE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [FALCON_CREDENTIAL]: { id: '1', name: 'Falcon API' } },
	};

	/** A real n8n-core load-options context: authenticated requests go through the test credentials helper. */
	function loadOptionsContext(): LoadOptionsContext {
		const workflow = new Workflow({ id: 'wf', nodes: [node], connections: {}, nodeTypes: new TestNodeTypes(), active: false });
		const additionalData = testAdditionalData(testCredentials(), new ExecutionLifecycleHooks('internal', 'lo', mock()));
		return new LoadOptionsContext(workflow, node, additionalData, 'parameters.hostId');
	}

	const page = (ids: string[], offset: number, total: number) => ({
		meta: meta({ pagination: { offset, limit: 50, total } }),
		resources: ids,
		errors: [],
	});

	it('is the listSearch method of both nodes with a host picker', () => {
		expect(new CrowdStrikeFalconHosts().methods.listSearch.searchHosts).toBe(searchHosts);
		expect(new CrowdStrikeFalconRealTimeResponse().methods.listSearch.searchHosts).toBe(searchHosts);
	});

	it('finds hostnames starting with what was typed, A-Z, named with platform and status, and pages on', async () => {
		const api = falcon()
			.get(DEVICES.query)
			.query({ filter: "hostname:'WKS*'", limit: '50', offset: '0', sort: 'hostname.asc' })
			.reply(200, page([HOST_A, HOST_B], 0, 3))
			.post(DEVICES.details, { ids: [HOST_A, HOST_B] })
			.reply(200, envelope([device(HOST_A, 'normal'), device(HOST_B, 'contained')]))
			.get(DEVICES.query)
			.query({ filter: "hostname:'WKS*'", limit: '50', offset: '2', sort: 'hostname.asc' })
			.reply(200, page([HOST_C], 2, 3))
			.post(DEVICES.details, { ids: [HOST_C] })
			.reply(200, envelope([device(HOST_C, 'normal', { hostname: 'WKS-300', platform_name: 'Linux' })]));
		const context = loadOptionsContext();
		const first = await searchHosts.call(context, ' WKS ');
		expect(first).toEqual({
			results: [
				{ name: 'WKS-100 (Windows, normal)', value: HOST_A },
				{ name: 'WKS-200 (Windows, contained)', value: HOST_B },
			],
			paginationToken: '2',
		});
		const second = await searchHosts.call(context, ' WKS ', first.paginationToken as string);
		expect(second).toEqual({ results: [{ name: 'WKS-300 (Linux, normal)', value: HOST_C }], paginationToken: undefined });
		expect(api.isDone()).toBe(true);
	});

	it('offers no page past offset 10,000, which the query endpoint refuses: the user types more instead', async () => {
		const aids = Array.from({ length: 50 }, (_, n) => (n + 1).toString(16).padStart(32, 'c'));
		const api = falcon()
			.get(DEVICES.query)
			.query({ limit: '50', offset: '9950', sort: 'hostname.asc' })
			.reply(200, page(aids, 9950, 25000))
			.post(DEVICES.details, { ids: aids })
			.reply(200, envelope(aids.map((aid) => device(aid, 'normal'))));
		const result = await searchHosts.call(loadOptionsContext(), undefined, '9950');
		expect(result.results).toHaveLength(50);
		expect(result.paginationToken).toBeUndefined();
		expect(api.isDone()).toBe(true);
	});

	it('strips wildcards, quotes and backslashes from what was typed, so it stays one prefix match', async () => {
		const api = falcon()
			.get(DEVICES.query)
			.query({ filter: "hostname:'SRV-1*'", limit: '50', offset: '0', sort: 'hostname.asc' })
			.reply(200, page([], 0, 0));
		const result = await searchHosts.call(loadOptionsContext(), "*'SRV\\-1\"*");
		expect(result).toEqual({ results: [], paginationToken: undefined });
		expect(api.isDone()).toBe(true);
	});

	it('without a filter lists every host, and names a host without hostname by its ID', async () => {
		const api = falcon()
			.get(DEVICES.query)
			.query({ limit: '50', offset: '0', sort: 'hostname.asc' })
			.reply(200, page([HOST_A], 0, 1))
			.post(DEVICES.details, { ids: [HOST_A] })
			.reply(200, envelope([{ device_id: HOST_A }]));
		const result = await searchHosts.call(loadOptionsContext());
		expect(result).toEqual({
			results: [{ name: `${HOST_A} (unknown platform, unknown status)`, value: HOST_A }],
			paginationToken: undefined,
		});
		expect(api.isDone()).toBe(true);
	});

	it('keeps the A-Z order of the query even when the details come back in another order', async () => {
		falcon()
			.get(DEVICES.query)
			.query({ filter: "hostname:'WKS*'", limit: '50', offset: '0', sort: 'hostname.asc' })
			.reply(200, page([HOST_A, HOST_B], 0, 2))
			.post(DEVICES.details, { ids: [HOST_A, HOST_B] })
			.reply(200, envelope([device(HOST_B, 'normal'), device(HOST_A, 'normal')]));
		const result = await searchHosts.call(loadOptionsContext(), 'WKS');
		expect(result.results.map((entry) => entry.value)).toEqual([HOST_A, HOST_B]);
	});

	it('surfaces a Falcon error instead of an empty list', async () => {
		falcon()
			.get(DEVICES.query)
			.query(true)
			.reply(403, { meta: meta(), resources: [], errors: [{ code: 403, message: 'access denied, authorization failed' }] });
		await expect(searchHosts.call(loadOptionsContext(), 'WKS')).rejects.toThrow(/access denied/);
	});
});

describe('values that pass through every mode', () => {
	it.each([
		['list', fromList(HOST_B.toUpperCase()) as IDataObject],
		['id', byId(HOST_B.toUpperCase()) as IDataObject],
	])('mode %s is lower-cased as Falcon stores host IDs', async (_, hostId) => {
		const api = falcon().post(`${RTR}/entities/sessions/v1`, { device_id: HOST_B }).reply(201, envelope([sessionResource(HOST_B)]));
		const result = await run(sessionStart(hostId), { type: RTR_NODE });
		expect(result.error).toBeUndefined();
		expect(api.isDone()).toBe(true);
	});
});
