import type { IDataObject, INode, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { sleep } from 'n8n-workflow';

import { tenantConcurrency } from '../../../nodes/CrowdStrikeFalcon/shared/engine/executeOperations';
import { startSimulator, type RunningSimulator } from '../../../simulator';
import { clearMemberTokens } from '../../../nodes/CrowdStrikeFalcon/shared/transport/memberTokens';
import { FALCON_CREDENTIAL, TestCredentialsHelper } from '../../harness/credentials';
import { PACKAGE } from '../../harness/nodeTypes';
import { runNode, runWorkflow } from '../../harness/runWorkflow';

const FLIGHT_CONTROL = `${PACKAGE}.crowdStrikeFalconFlightControl`;
const TOKENS = `${PACKAGE}.crowdStrikeFalconInstallationTokens`;
const HOSTS = `${PACKAGE}.crowdStrikeFalconHosts`;
const RTR = `${PACKAGE}.crowdStrikeFalconRealTimeResponse`;
const OUTSIDER = 'abcdefabcdefabcdefabcdefabcdef12';

let sim: RunningSimulator;
let credentials: TestCredentialsHelper;

beforeAll(async () => {
	// Explicit children: a member CID outside them is refused, as Falcon does.
	sim = await startSimulator({
		seed: 31,
		children: [
			{ name: 'Northwind Traders' },
			{ name: 'Contoso Health' },
			{ name: 'Retired Co', status: 'inactive' },
		],
		containmentDelayMs: 200,
		commandCompleteAfterMs: 150,
	});
});
afterAll(async () => await sim.close());
beforeEach(() => {
	sim.reset();
	clearMemberTokens();
	credentials = new TestCredentialsHelper({
		cloud: 'custom',
		baseUrl: sim.url,
		clientId: sim.clientId,
		clientSecret: sim.clientSecret,
	});
});

const node = (name: string, type: string, parameters: INode['parameters'], x = 0): INode => ({
	id: name,
	name,
	type,
	typeVersion: 1,
	position: [x, 0],
	parameters,
	credentials: { [FALCON_CREDENTIAL]: { id: '1', name: 'Falcon' } },
});
const json = (items: INodeExecutionData[]): IDataObject[] => items.map((item) => item.json);
/** Contain with Wait, each item's host (`host`) in its child (`cid`). */
const containInItemsChild = (deadlineSeconds: number): INodeParameters => ({
	resource: 'host',
	operation: 'contain',
	hostId: '={{ { __rl: true, mode: "id", value: $json.host } }}',
	options: { wait: true, deadlineSeconds, pollIntervalSeconds: 0.5 },
	tenant: { memberCid: '={{ $json.cid }}' },
});
/** Run on Hosts (`ps`), each item's host (`host`) in its child (`cid`). */
const psInItemsChild = (options: INodeParameters = {}): INodeParameters => ({
	resource: 'batch',
	operation: 'runOnHosts',
	hostIds: '={{ $json.host }}',
	commandTier: 'readOnly',
	baseCommand: 'ps',
	commandLine: 'ps',
	options,
	tenant: { memberCid: '={{ $json.cid }}' },
});

describe('Flight Control', () => {
	it("Child > Get Many lists exactly the simulator's children, with names and status", async () => {
		const { items, error } = await runNode(
			FLIGHT_CONTROL,
			{ resource: 'child', operation: 'getAll', returnAll: true, options: {} },
			credentials,
		);
		expect(error).toBeUndefined();
		const byCid = (links: IDataObject[]) =>
			[...links].sort((a, b) => String(a.child_cid).localeCompare(String(b.child_cid)));
		expect(byCid(json(items))).toEqual(byCid(sim.state().children as unknown as IDataObject[]));
		expect(
			json(items)
				.map((child) => child.status)
				.sort(),
		).toEqual(['active', 'active', 'inactive']);
	});

	it.each([
		['Oldest First', 'last_modified_timestamp|asc', 1],
		['Newest First', 'last_modified_timestamp|desc', -1],
	])('Child > Get Many sorted %s: in the sort value Falcon takes', async (_, sort, direction) => {
		const { items, error } = await runNode(FLIGHT_CONTROL, { resource: 'child', operation: 'getAll', returnAll: true, options: { sort } }, credentials);
		expect(error).toBeUndefined();
		const times = json(items).map((child) => Date.parse(String(child.last_modified_timestamp)));
		expect(times).toHaveLength(3);
		expect(times).toEqual([...times].sort((a, b) => direction * (a - b)));
	});

	it("lists the parent's children even when the credential's Member CID names a default child", async () => {
		const child = sim.children[0].cid;
		const childCredential = new TestCredentialsHelper({
			cloud: 'custom',
			baseUrl: sim.url,
			clientId: sim.clientId,
			clientSecret: sim.clientSecret,
			memberCid: child,
		});
		const { items, error } = await runNode(FLIGHT_CONTROL, { resource: 'child', operation: 'getAll', returnAll: true, options: {} }, childCredential);
		expect(error).toBeUndefined();
		expect(json(items).map((link) => link.child_cid).sort()).toEqual(sim.children.map((link) => link.cid).sort());
		// The Flight Control calls went with a token minted for the API client itself, without member_cid.
		const tokens = sim.state().requests.filter((request) => request.path === '/oauth2/token');
		expect(tokens.some((request) => !(request.body as IDataObject | undefined)?.member_cid)).toBe(true);
	});

	it('Child > Get reads children by CID, checksum or not, and pages Get Many with a small limit', async () => {
		const [first, second] = sim.children;
		const got = await runNode(
			FLIGHT_CONTROL,
			{
				resource: 'child',
				operation: 'get',
				childCids: `${first.cid.toUpperCase()}-${first.checksum}, ${second.cid}`,
			},
			credentials,
		);
		expect(json(got.items).map((child) => child.name)).toEqual([
			'Northwind Traders',
			'Contoso Health',
		]);
		const limited = await runNode(
			FLIGHT_CONTROL,
			{ resource: 'child', operation: 'getAll', returnAll: false, limit: 2, options: {} },
			credentials,
		);
		expect(limited.items).toHaveLength(2);
	});
});

describe('one workflow acting on several children', () => {
	it('loops over the children Flight Control lists: each child gets its own installation token', async () => {
		const before = sim.state().tenants;
		const workflow = {
			nodes: [
				node('Children', FLIGHT_CONTROL, {
					resource: 'child',
					operation: 'getAll',
					returnAll: true,
					options: {},
				}),
				node(
					'Token per child',
					TOKENS,
					{
						resource: 'token',
						operation: 'create',
						label: '=n8n for {{ $json.name }}',
						expires: 'never',
						tenant: { memberCid: '={{ $json.child_cid }}' },
					},
					200,
				),
			],
			connections: {
				Children: { main: [[{ node: 'Token per child', type: 'main' as const, index: 0 }]] },
			},
		};
		const result = await runWorkflow(workflow, credentials);
		expect(result.error).toBeUndefined();
		expect(
			result
				.output('Token per child')
				.map((item) => item.json.label)
				.sort(),
		).toEqual(['n8n for Contoso Health', 'n8n for Northwind Traders', 'n8n for Retired Co']);
		const after = sim.state().tenants;
		for (const child of sim.children)
			expect(after[child.cid].installationTokens).toBe(before[child.cid].installationTokens + 1);
		expect(after[sim.cid.toLowerCase()].installationTokens).toBe(
			before[sim.cid.toLowerCase()].installationTokens,
		);
		// One token per child, whatever the number of requests; the parent's own only for Flight Control.
		const minted = sim.state().tokensIssued;
		expect(
			minted
				.filter((token) => token.memberCid)
				.map((token) => token.memberCid)
				.sort(),
		).toEqual(sim.children.map((child) => child.cid).sort());
		expect(minted.filter((token) => !token.memberCid)).toHaveLength(1);
	});

	it("contains and investigates each event's host in the event's child, by item", async () => {
		const [a, b] = sim.children;
		const events = [
			{ json: { cid: a.cid, host: a.fleet[0].aid } },
			{ json: { cid: b.cid.toUpperCase(), hostname: b.fleet[1].hostname } },
		];
		const contain = await runNode(
			HOSTS,
			{
				resource: 'host',
				operation: 'contain',
				hostId:
					'={{ $json.host ? { __rl: true, mode: "id", value: $json.host } : { __rl: true, mode: "hostname", value: $json.hostname } }}',
				options: { wait: true, deadlineSeconds: 10, pollIntervalSeconds: 0.5 },
				tenant: { memberCid: '={{ $json.cid }}' },
			},
			credentials,
			{ input: events },
		);
		expect(contain.error).toBeUndefined();
		expect(json(contain.items).map((item) => [item.host_id, item.result])).toEqual([
			[a.fleet[0].aid, 'contained'],
			[b.fleet[1].aid, 'contained'],
		]);
		const tenants = sim.state().tenants;
		expect(tenants[a.cid].hosts.find((host) => host.device_id === a.fleet[0].aid)?.status).toBe(
			'contained',
		);
		expect(tenants[b.cid].hosts.find((host) => host.device_id === b.fleet[1].aid)?.status).toBe(
			'contained',
		);
		expect(sim.state().hosts.every((host) => host.status === 'normal')).toBe(true);

		const investigate = await runNode(
			RTR,
			{
				resource: 'command',
				operation: 'runAndWait',
				hostId: '={{ $json.host }}',
				commandTier: 'readOnly',
				baseCommand: 'ps',
				commandLine: 'ps',
				options: { pollIntervalSeconds: 0.2, deadlineSeconds: 20 },
				tenant: { memberCid: '={{ $json.cid }}' },
			},
			credentials,
			{
				input: [
					{ json: { cid: a.cid, host: a.fleet[0].aid } },
					{ json: { cid: b.cid, host: b.fleet[1].aid } },
				],
			},
		);
		expect(investigate.error).toBeUndefined();
		expect(
			json(investigate.items).map((item) => [item.host_id ?? item.device_id, item.status]),
		).toEqual([
			[a.fleet[0].aid, 'success'],
			[b.fleet[1].aid, 'success'],
		]);
		const rtrRequests = sim
			.state()
			.requests.filter(
				(entry) =>
					entry.path === '/real-time-response/entities/sessions/v1' && entry.method === 'POST',
			);
		expect(
			rtrRequests.map((entry) => [entry.memberCid, (entry.body as IDataObject).device_id]),
		).toEqual([
			[a.cid, a.fleet[0].aid],
			[b.cid, b.fleet[1].aid],
		]);
	});

	it('contains the hosts of every child even when one child\'s token is refused: that child\'s hosts fail, the node does not', async () => {
		const [a] = sim.children;
		const strangerHost = 'c'.repeat(32);
		const parameters = containInItemsChild(10);
		// The refused child comes first: before, it stopped the node and the next child's host was never contained.
		const { items, error } = await runNode(HOSTS, parameters, credentials, {
			input: [{ json: { cid: OUTSIDER, host: strangerHost } }, { json: { cid: a.cid, host: a.fleet[0].aid } }],
		});
		expect(error).toBeUndefined();
		expect(json(items)).toEqual([
			expect.objectContaining({
				host_id: strangerHost,
				result: 'failed',
				error: `Falcon refused a token for member CID ${OUTSIDER} (HTTP 403: access denied, authorization failed)`,
			}),
			expect.objectContaining({ host_id: a.fleet[0].aid, result: 'contained' }),
		]);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(sim.state().tenants[a.cid].hosts.find((host) => host.device_id === a.fleet[0].aid)?.status).toBe('contained');

		// Every child refused: the node fails, as one failed child alone does.
		const none = await runNode(HOSTS, parameters, credentials, { input: [{ json: { cid: OUTSIDER, host: strangerHost } }] });
		expect(none.error?.message).toBe(`Falcon refused a token for member CID ${OUTSIDER} (HTTP 403: access denied, authorization failed)`);
	});

	it('asks for a refused child\'s token once for all its items, not once per item', async () => {
		const [a] = sim.children;
		const input = [...Array.from({ length: 10 }, () => ({ json: { cid: OUTSIDER } })), { json: { cid: a.cid } }];
		const { items } = await runNode(
			TOKENS,
			{ resource: 'token', operation: 'getAll', returnAll: true, filters: {}, options: {}, tenant: { memberCid: '={{ $json.cid }}' } },
			credentials,
			{ input, continueOnFail: true },
		);
		expect(items.filter((item) => String(item.json.error ?? '').includes(`member CID ${OUTSIDER}`))).toHaveLength(10);
		const tokenCalls = sim.state().requests.filter((entry) => entry.path === '/oauth2/token').map((entry) => (entry.body as IDataObject).member_cid);
		expect(tokenCalls.filter((cid) => cid === OUTSIDER)).toHaveLength(1);
		expect(tokenCalls.filter((cid) => cid === a.cid)).toHaveLength(1);
	});

	it('asks once for all children when the refusal is about the API client (a wrong secret), not once per child', async () => {
		const wrongSecret = new TestCredentialsHelper({ cloud: 'custom', baseUrl: sim.url, clientId: sim.clientId, clientSecret: 'rotated-away' });
		const input = sim.children.flatMap((child) => [{ json: { cid: child.cid } }, { json: { cid: child.cid } }]);
		const { items } = await runNode(TOKENS, { resource: 'settings', operation: 'get', tenant: { memberCid: '={{ $json.cid }}' } }, wrongSecret, {
			input,
			continueOnFail: true,
		});
		expect(items).toHaveLength(input.length);
		expect(items.every((item) => /Client authentication failed/.test(String(item.json.error)))).toBe(true);
		expect(String(items[input.length - 1].json.description)).toContain("Check the credential's Client ID and Secret");
		expect(sim.state().requests.filter((entry) => entry.path === '/oauth2/token')).toHaveLength(1);
	});

	/** Contain in each item's child, the host given by ID (`host`) or by hostname (`hostname`). */
	const containByIdOrHostname = (): INodeParameters => ({
		...containInItemsChild(10),
		hostId:
			'={{ $json.host ? { __rl: true, mode: "id", value: $json.host } : { __rl: true, mode: "hostname", value: $json.hostname } }}',
	});

	it('contains in the other children when one child\'s hostname look-up fails (its token refused, or the name unknown there)', async () => {
		const [a, b] = sim.children;
		const parameters = containByIdOrHostname();
		// Before, the look-ups ran for every item before any child acted, and the first one failing stopped the node.
		const { items, error } = await runNode(HOSTS, parameters, credentials, {
			input: [
				{ json: { cid: OUTSIDER, hostname: 'WKS-001' } },
				{ json: { cid: b.cid, hostname: 'NO-SUCH-HOST' } },
				{ json: { cid: a.cid, host: a.fleet[0].aid } },
			],
		});
		expect(error).toBeUndefined();
		expect(json(items)).toEqual([
			expect.objectContaining({ result: 'failed', error: expect.stringContaining(`Falcon refused a token for member CID ${OUTSIDER}`) }),
			expect.objectContaining({ result: 'failed', error: expect.stringMatching(/NO-SUCH-HOST/) }),
			expect.objectContaining({ host_id: a.fleet[0].aid, result: 'contained' }),
		]);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it("an unknown hostname fails only its own item: the child's other hosts are contained, and the failed item names the hostname, with no host ID", async () => {
		const [a, b] = sim.children;
		const parameters = containByIdOrHostname();
		const { items, error } = await runNode(HOSTS, parameters, credentials, {
			input: [
				{ json: { cid: b.cid, hostname: 'NO-SUCH-HOST' } },
				{ json: { cid: b.cid, host: b.fleet[0].aid } },
				{ json: { cid: a.cid, host: a.fleet[1].aid } },
			],
		});
		expect(error).toBeUndefined();
		const [unknown, sameChild, otherChild] = json(items);
		expect(unknown).toMatchObject({ host_id: null, hostname: 'NO-SUCH-HOST', result: 'failed', code: null });
		expect(String(unknown.error)).toContain(`No host is named "NO-SUCH-HOST" in this Falcon tenant (member CID ${b.cid})`);
		expect(sameChild).toMatchObject({ host_id: b.fleet[0].aid, result: 'contained' });
		expect(sameChild.error).toBeUndefined();
		expect(otherChild).toMatchObject({ host_id: a.fleet[1].aid, result: 'contained' });
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(sim.state().tenants[b.cid].hosts.find((host) => host.device_id === b.fleet[0].aid)?.status).toBe('contained');
	});

	it('two unknown hostnames in one child beside another child: each failed item names its own hostname', async () => {
		const [a, b] = sim.children;
		const { items, error } = await runNode(HOSTS, containByIdOrHostname(), credentials, {
			input: [
				{ json: { cid: b.cid, hostname: 'NO-SUCH-ONE' } },
				{ json: { cid: b.cid, hostname: 'NO-SUCH-TWO' } },
				{ json: { cid: a.cid, host: a.fleet[0].aid } },
			],
		});
		expect(error).toBeUndefined();
		expect(json(items).map((item) => [item.hostname, item.result, String(item.error ?? '').match(/NO-SUCH-\w+/)?.[0]])).toEqual([
			['NO-SUCH-ONE', 'failed', 'NO-SUCH-ONE'],
			['NO-SUCH-TWO', 'failed', 'NO-SUCH-TWO'],
			[a.fleet[0].hostname, 'contained', undefined],
		]);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it("a child whose action fails as a whole fails its hosts with that error; its unknown hostname keeps its own", async () => {
		const [a, b] = sim.children;
		tenantConcurrency.atOnce = 1;
		try {
			// Child B's status read (before its action) is refused: the first details read after B's hostname look-up.
			sim.setFaults({ serverErrors: [{ pathPrefix: '/devices/entities/devices/v2', count: 1, status: 403 }] });
			for (const continueOnFail of [false, true]) {
				const { items, error } = await runNode(HOSTS, containByIdOrHostname(), credentials, {
					input: [
						{ json: { cid: b.cid, hostname: 'NO-SUCH-HOST' } },
						{ json: { cid: b.cid, host: b.fleet[0].aid } },
						{ json: { cid: a.cid, host: a.fleet[0].aid } },
					],
					continueOnFail,
				});
				expect(error).toBeUndefined();
				const [unknown, refused, other] = json(items);
				expect(String(unknown.error)).toContain('No host is named "NO-SUCH-HOST"');
				expect(String(refused.error)).toMatch(/403/);
				expect(other).toMatchObject({ host_id: a.fleet[0].aid });
				expect(other.error).toBeUndefined();
				sim.reset();
				clearMemberTokens();
				if (!continueOnFail) sim.setFaults({ serverErrors: [{ pathPrefix: '/devices/entities/devices/v2', count: 1, status: 403 }] });
			}
		} finally {
			tenantConcurrency.atOnce = 8;
		}
	});

	it('Update Tags stopped by a refused child says that the children before it were tagged', async () => {
		const [a, b] = sim.children;
		const { error } = await runNode(
			HOSTS,
			{ resource: 'host', operation: 'updateTags', hostId: '={{ { __rl: true, mode: "id", value: $json.host } }}', tagAction: 'add', tags: 'incident-1', tenant: { memberCid: '={{ $json.cid }}' } },
			credentials,
			{
				input: [
					{ json: { cid: a.cid, host: a.fleet[0].aid } },
					{ json: { cid: b.cid, host: b.fleet[0].aid } },
					{ json: { cid: OUTSIDER, host: 'f'.repeat(32) } },
				],
			},
		);
		expect(error?.message).toContain(OUTSIDER);
		expect(error?.description).toContain('Earlier items of this run already acted (2 output items, lost with this error)');
	});

	it('waits for containment in every child at once: two children that each wait out the deadline take one deadline, not two', async () => {
		const [a, b] = sim.children;
		const offlineA = a.fleet.find((host) => !host.online)!;
		const offlineB = b.fleet.find((host) => !host.online)!;
		const started = Date.now();
		const { items, error } = await runNode(HOSTS, containInItemsChild(3), credentials, {
			input: [{ json: { cid: a.cid, host: offlineA.aid } }, { json: { cid: b.cid, host: offlineB.aid } }],
		});
		const took = Date.now() - started;
		expect(error).toBeUndefined();
		// The children share one read of the credential.
		expect(credentials.decryptions).toBe(1);
		// Offline hosts stay pending until they reconnect: each child waits out its deadline.
		expect(json(items).map((item) => [item.host_id, item.result])).toEqual([
			[offlineA.aid, 'containment_pending'],
			[offlineB.aid, 'containment_pending'],
		]);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(took).toBeGreaterThanOrEqual(2_900);
		// The two children's waits overlap: each child's action came before the other's last status read.
		const requests = sim.state().requests;
		const actionOf = (cid: string) => requests.find((entry) => entry.path === '/devices/entities/devices-actions/v2' && entry.memberCid === cid)!;
		const lastReadOf = (cid: string) => requests.filter((entry) => entry.path === '/devices/entities/devices/v2' && entry.memberCid === cid).pop()!;
		expect((actionOf(a.cid).body as IDataObject).ids).toEqual([offlineA.aid]);
		expect((actionOf(b.cid).body as IDataObject).ids).toEqual([offlineB.aid]);
		expect(Date.parse(actionOf(b.cid).time)).toBeLessThan(Date.parse(lastReadOf(a.cid).time));
		expect(Date.parse(actionOf(a.cid).time)).toBeLessThan(Date.parse(lastReadOf(b.cid).time));
	});

	it('Get From Hosts in two children at once: each child\'s file comes back as binary data, downloaded in its own tenant', async () => {
		const [a, b] = sim.children;
		const hostA = a.fleet.find((host) => host.online)!;
		const hostB = b.fleet.find((host) => host.online)!;
		const { items, error } = await runNode(
			RTR,
			{
				resource: 'file',
				operation: 'getFromHosts',
				hostIds: '={{ $json.host }}',
				filePath: '={{ $json.path }}',
				options: { pollIntervalSeconds: 0.2, deadlineSeconds: 20 },
				tenant: { memberCid: '={{ $json.cid }}' },
			},
			credentials,
			{
				input: [
					{ json: { cid: a.cid, host: hostA.aid, path: '/tmp/a.bin' } },
					{ json: { cid: b.cid, host: hostB.aid, path: '/tmp/b.bin' } },
				],
			},
		);
		expect(error).toBeUndefined();
		expect(json(items).map((item) => [item.host_id, item.status])).toEqual([
			[hostA.aid, 'success'],
			[hostB.aid, 'success'],
		]);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(items.map((item) => item.binary?.data?.fileName)).toEqual([`${hostA.aid}_a.bin.7z`, `${hostB.aid}_b.bin.7z`]);
		for (const item of items) expect(Buffer.from(item.binary!.data.data, 'base64').subarray(0, 6).toString('hex')).toBe('377abcaf271c');
		const downloads = sim.state().requests.filter((entry) => entry.path === '/real-time-response/entities/extracted-file-contents/v1' && entry.status === 200);
		expect(downloads.map((entry) => entry.memberCid).sort()).toEqual([a.cid, b.cid].sort());
	});

	it('a cancelled execution starts no further child', async () => {
		const [a, b] = sim.children;
		const offlineA = a.fleet.find((host) => !host.online)!;
		const offlineB = b.fleet.find((host) => !host.online)!;
		const actions = () => sim.state().requests.filter((entry) => entry.path === '/devices/entities/devices-actions/v2');
		// One child at a time, so the second waits for the first; the run is cancelled while the first child waits.
		tenantConcurrency.atOnce = 1;
		try {
			const cancel = (async () => {
				const until = Date.now() + 10_000;
				while (actions().length === 0 && Date.now() < until) await sleep(5);
				await sleep(300);
			})();
			const { run } = await runNode(HOSTS, containInItemsChild(30), credentials, {
				input: [{ json: { cid: a.cid, host: offlineA.aid } }, { json: { cid: b.cid, host: offlineB.aid } }],
				cancelWhen: cancel,
			});
			expect(run.status).toBe('canceled');
			expect(actions().map((entry) => entry.memberCid)).toEqual([a.cid]);
			// The second child was not even asked for a token.
			const tokensFor = sim.state().requests.filter((entry) => entry.path === '/oauth2/token').map((entry) => (entry.body as IDataObject).member_cid);
			expect(tokensFor).toEqual([a.cid]);
		} finally {
			tenantConcurrency.atOnce = 8;
		}
	});

	it('Run on Hosts in a child whose token is refused fails that child\'s hosts; the managed child\'s hosts run', async () => {
		const [a] = sim.children;
		const online = a.fleet.find((host) => host.online)!;
		const strangerHost = 'd'.repeat(32);
		const { items, error } = await runNode(RTR, psInItemsChild(), credentials, {
			input: [{ json: { cid: OUTSIDER, host: strangerHost } }, { json: { cid: a.cid, host: online.aid } }],
		});
		expect(error).toBeUndefined();
		expect(json(items)).toEqual([
			expect.objectContaining({
				host_id: strangerHost,
				status: 'api_error',
				errors: [expect.objectContaining({ message: expect.stringContaining(`Falcon refused a token for member CID ${OUTSIDER}`) })],
			}),
			expect.objectContaining({ host_id: online.aid, status: 'success' }),
		]);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('judges Fail When over every child\'s hosts together: one child\'s hosts all offline does not stop the run', async () => {
		const [a, b] = sim.children;
		const online = a.fleet.find((host) => host.online)!;
		const offline = b.fleet.find((host) => !host.online)!;
		const runOnHosts = (failWhen: string) =>
			runNode(RTR, psInItemsChild({ failWhen }), credentials, {
				input: [{ json: { cid: a.cid, host: online.aid } }, { json: { cid: b.cid, host: offline.aid } }],
			});
		const allFailed = await runOnHosts('allFailed');
		expect(allFailed.error).toBeUndefined();
		expect(json(allFailed.items).map((item) => [item.host_id, item.status === 'success'])).toEqual([
			[online.aid, true],
			[offline.aid, false],
		]);
		const anyFailed = await runOnHosts('anyFailed');
		expect(anyFailed.error?.message).toMatch(new RegExp(`^1 of 2 hosts failed \\(${offline.aid}: `));
	});

	it('fails a child the parent does not manage with a clear 403 naming it; the managed child still runs', async () => {
		const [a] = sim.children;
		const { items, error } = await runNode(
			TOKENS,
			{ resource: 'settings', operation: 'get', tenant: { memberCid: '={{ $json.cid }}' } },
			credentials,
			{ input: [{ json: { cid: OUTSIDER } }, { json: { cid: a.cid } }], continueOnFail: true },
		);
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			error: `Falcon refused a token for member CID ${OUTSIDER} (HTTP 403: access denied, authorization failed)`,
			http_status: 403,
		});
		expect(items[1].json).toMatchObject({ max_active_tokens: expect.any(Number) });
		expect(JSON.stringify(items)).not.toContain(sim.clientSecret);

		const stopped = await runNode(
			TOKENS,
			{ resource: 'settings', operation: 'get', tenant: { memberCid: OUTSIDER } },
			credentials,
		);
		expect(stopped.error?.message).toBe(
			`Falcon refused a token for member CID ${OUTSIDER} (HTTP 403: access denied, authorization failed)`,
		);
	});
});
