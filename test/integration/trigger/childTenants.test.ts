import type { IDataObject } from 'n8n-workflow';

import type { RunningSimulator } from '../../../simulator';
import { failedMintMemory } from '../../../nodes/CrowdStrikeFalcon/shared/transport/memberTokens';
import { testCredentials } from '../../harness/falcon';
import { runNode } from '../../harness/runWorkflow';
import { until } from '../../harness/runTrigger';
import {
	activationsClosedAfterEach,
	credentialsFor,
	fastSimulator,
	inject,
	repeated,
	stopLikeN8n,
	triggerParameters,
	untilCommitted,
	wait,
} from './helpers';
import {
	allGeneratedIn,
	childHealth,
	childState,
	childTenantsParameters,
	executedEvents,
	injectInto,
	untilExecuted,
} from './tenants';

// One trigger following the streams of several child tenants of an MSSP parent (the simulator's children), over
// real loopback HTTP: each child with its own token, App ID, feeds and stored position.

const TRIGGER = 'n8n-nodes-crowdstrike-falcon.crowdStrikeFalconTrigger';
let sim: RunningSimulator;
const start = activationsClosedAfterEach(() => sim);

const cidsOf = (simulator: RunningSimulator) => simulator.children.map((child) => child.cid);
const rememberedFailedMintMs = failedMintMemory.ms;
afterEach(() => {
	failedMintMemory.ms = rememberedFailedMintMs;
});

it('follows every child: each event once, tagged with its child, one token and App ID per child, never the parent', async () => {
	sim = await fastSimulator({ partitions: 2, children: 3, refreshIntervalSeconds: 0.5 });
	const children = cidsOf(sim);
	const expected = children.flatMap((cid) => injectInto(sim, cid, 4, 2));
	inject(sim, 3);
	const trigger = await start(sim, childTenantsParameters(), { executionKeys: new Set() });
	await untilExecuted([trigger], expected);
	// Long enough for sessions to be refreshed and the children to be read again.
	await wait(1_200);

	expect(executedEvents(trigger).sort()).toEqual([...expected].sort());
	for (const { json } of trigger.executions.flatMap((execution) => execution.items)) {
		const stream = json.stream as IDataObject;
		const child = sim.children.find((candidate) => candidate.cid === stream.cid)!;
		expect(stream.childName).toBe(child.name);
		expect((json.metadata as IDataObject).customerIDString).toBe(child.cid.toUpperCase());
	}
	// Keys name the child: two children have the same partitions and offsets.
	const keys = trigger.executions.map((execution) => execution.deduplicationKey!);
	expect(new Set(keys).size).toBe(keys.length);
	for (const execution of trigger.executions) {
		const cid = (execution.items[0].json.stream as IDataObject).cid as string;
		expect(execution.deduplicationKey).toMatch(new RegExp(`^falcon:n8n\\w+:${cid}:\\w+:\\d+:\\d+-\\d+$`));
	}

	// A feed may be between a refresh and its reconnect at any one instant on a loaded machine: wait for both.
	await until(() => children.every((cid) => sim.state().tenants[cid].streams.openFeeds.length === 2), 5_000, 'every child\'s two feeds open');
	const state = sim.state();
	for (const cid of children) {
		expect(state.tokensIssued.filter((token) => token.memberCid === cid)).toHaveLength(1);
		expect(state.tenants[cid].streams.openFeeds).toHaveLength(2);
		expect(state.tenants[cid].streams.refreshes.some((count) => count > 0)).toBe(true);
		expect(childState(trigger, cid).offsets).toEqual({ '0': 1, '1': 1 });
		expect(childHealth(trigger, cid)).toMatchObject({ cid, status: 'following', childName: expect.any(String) });
	}
	expect(state.tenants[sim.cid.toLowerCase()].streams.openFeeds).toEqual([]);
	const appIds = new Set(children.map((cid) => childHealth(trigger, cid).appId));
	expect(appIds.size).toBe(3);
	for (const appId of appIds) expect(appId).toMatch(/^[A-Za-z0-9]{1,32}$/);
	expect(trigger.nodeState().childTenants).toMatchObject({
		selection: 'allChildren',
		lastError: null,
		following: expect.arrayContaining(sim.children.map(({ cid, name }) => ({ cid, name }))),
	});
	expect((trigger.nodeState().childTenants as IDataObject).following).toHaveLength(3);
	// The parent's own position is untouched: the trigger follows the children only.
	expect(trigger.nodeState().offsets).toBeUndefined();

	const everything = JSON.stringify({ items: trigger.items(), state: trigger.nodeState(), persisted: trigger.persisted() });
	expect(everything).not.toContain(sim.clientSecret);
	expect(everything).not.toMatch(/sim\.[0-9a-f]{48}/);
	expect(everything).not.toMatch(/Bearer|sessionToken/i);
	expect(trigger.errors).toEqual([]);
});

it('a child whose token is refused is reported in its health and retried alone; the others keep delivering', async () => {
	// The transport remembers a refusal for a while (10 s) before it asks again: shortened here.
	failedMintMemory.ms = 500;
	sim = await fastSimulator({ children: 3 });
	const [first, refused, third] = cidsOf(sim);
	sim.setFaults({ refusedMemberCids: [refused] });
	injectInto(sim, refused, 2);
	const trigger = await start(
		sim,
		childTenantsParameters({ tenants: 'childList', childCids: `${first.toUpperCase()}-AB, ${refused}, ${third}` }, { alertAfterDownMinutes: 0.01 }),
	);
	await untilExecuted([trigger], [...injectInto(sim, first, 2), ...injectInto(sim, third, 2)]);
	await until(() => childHealth(trigger, refused).status === 'failing', 5_000, 'the refused child to be reported');
	expect(childHealth(trigger, refused)).toMatchObject({
		cid: refused,
		lastError: expect.stringMatching(new RegExp(`refused a token for member CID ${refused} \\(HTTP 403`)),
		retryAt: expect.any(String),
	});
	// After "Alert After Down", one failed execution names the child (an error workflow can alert on it).
	await until(() => trigger.failures.length > 0, 5_000, 'the outage to be recorded');
	expect(trigger.failures[0].message).toContain(refused);

	// While it fails, the other children keep delivering.
	await untilExecuted([trigger], injectInto(sim, third, 3));
	expect(executedEvents(trigger).some((key) => key.startsWith(refused))).toBe(false);

	sim.setFaults({ refusedMemberCids: [] });
	await untilExecuted([trigger], allGeneratedIn(sim, refused), 20_000);
	expect(childHealth(trigger, refused).status).toBe('following');
	expect(trigger.errors).toEqual([]);
	expect(repeated(executedEvents(trigger))).toEqual([]);
});

it('a restart while events arrive resumes every child from its own stored offsets: none lost, none run twice', async () => {
	sim = await fastSimulator({ partitions: 2, children: 3 });
	const children = cidsOf(sim);
	const parameters = childTenantsParameters({}, { maxInFlight: 2 });
	let traffic = true;
	const arriving = (async () => {
		while (traffic) {
			for (const cid of children) injectInto(sim, cid, 1 + Math.floor(Math.random() * 2), 2);
			await wait(10 + Math.random() * 10);
		}
	})();
	const keys = new Set<string>();
	const options = { executionKeys: keys, executionMs: () => 15 + Math.random() * 30 };
	const first = await start(sim, parameters, options);
	await until(() => first.executions.length >= 20 && first.inFlight() > 0, 10_000, 'executions in flight');
	const saved = await stopLikeN8n(first);
	const savedChildren = (saved['node:Falcon Trigger'] as IDataObject).tenants as IDataObject;
	expect(Object.keys(savedChildren).sort()).toEqual([...children].sort());

	const second = await start(sim, parameters, { ...options, staticData: saved });
	await wait(300);
	traffic = false;
	await arriving;
	const all = children.flatMap((cid) => allGeneratedIn(sim, cid));
	await untilExecuted([first, second], all, 20_000);

	expect(repeated(executedEvents(first, second))).toEqual([]);
	expect(new Set(executedEvents(first, second))).toEqual(new Set(all));
	expect(second.duplicates.length).toBeGreaterThan(0);
	for (const cid of children) {
		const last = (partition: number) => sim.state().tenants[cid].streams.eventCounts[partition] - 1;
		await until(() => {
			const offsets = childState(second, cid).offsets as IDataObject;
			return offsets?.['0'] === last(0) && offsets?.['1'] === last(1);
		}, 5_000, `child ${cid} to commit its last offsets`);
	}
});

it('after a restart while Flight Control is down, follows the children the last read listed, and keeps that listing', async () => {
	sim = await fastSimulator({ children: 2 });
	const children = cidsOf(sim);
	const parameters = childTenantsParameters();
	// n8n's execution keys: what the first activation ran, the second is refused as a repeat.
	const executionKeys = new Set<string>();
	const first = await start(sim, parameters, { executionKeys });
	for (const cid of children) injectInto(sim, cid, 2);
	await untilExecuted([first], children.flatMap((cid) => allGeneratedIn(sim, cid)));
	const saved = await stopLikeN8n(first);

	sim.setFaults({ serverErrors: [{ pathPrefix: '/mssp/', count: 1_000, status: 503 }] });
	const second = await start(sim, parameters, { staticData: saved, executionKeys });
	for (const cid of children) injectInto(sim, cid, 2);
	// Before, no child was followed until Flight Control answered.
	await untilExecuted([first, second], children.flatMap((cid) => allGeneratedIn(sim, cid)), 5_000);
	const overview = second.nodeState().childTenants as IDataObject;
	expect(overview.lastError).toMatch(/503/);
	expect((overview.following as IDataObject[]).map(({ cid }) => cid).sort()).toEqual([...children].sort());
	expect(repeated(executedEvents(first, second))).toEqual([]);
});

it('back on the credential\'s tenant, the stored state of children once followed is stamped as left and dropped in time', async () => {
	sim = await fastSimulator({ children: 2 });
	const [recent, old] = cidsOf(sim);
	const longAgo = Date.now() - 31 * 24 * 60 * 60_000;
	const saved = {
		'node:Falcon Trigger': { epoch: 'e0', tenants: { [recent]: { offsets: { '0': 4 } }, [old]: { offsets: { '0': 9 }, leftAt: longAgo } } },
	};
	const trigger = await start(sim, triggerParameters(), { staticData: saved });
	const tenants = trigger.nodeState().tenants as IDataObject;
	expect(Object.keys(tenants)).toEqual([recent]);
	expect((tenants[recent] as IDataObject).leftAt).toEqual(expect.any(Number));
});

it('reads the stored position of a workflow from before child tenants existed as the credential tenant', async () => {
	sim = await fastSimulator({ children: 2 });
	inject(sim, 5);
	// Static data as the single-tenant trigger wrote it: the position at the top level of the node's data.
	const saved = {
		'node:Falcon Trigger': {
			offsets: { '0': 2 },
			openBatches: [],
			epoch: 'preUpgr1',
			health: { appId: 'n8nold', partitions: { '0': { committedOffset: 2 } } },
		},
	};
	const upgraded = await start(sim, triggerParameters(), { staticData: saved });
	await untilCommitted(upgraded, { '0': 4 });
	expect(upgraded.executions.map((execution) => execution.deduplicationKey)).toEqual([
		expect.stringMatching(/^falcon:n8n\w+:preUpgr1:0:3-3$/),
		expect.stringMatching(/^falcon:n8n\w+:preUpgr1:0:4-4$/),
	]);
	expect(upgraded.nodeState()).toMatchObject({ offsets: { '0': 4 }, epoch: 'preUpgr1' });
	expect(upgraded.nodeState().tenants).toBeUndefined();
	expect((upgraded.items()[0].stream as IDataObject).cid).toBeNull();

	// The same workflow switched to its children keeps the credential tenant's position beside theirs.
	const persisted = await stopLikeN8n(upgraded);
	const [child] = cidsOf(sim);
	const children = await start(sim, childTenantsParameters(), { staticData: persisted });
	await untilExecuted([children], injectInto(sim, child, 1));
	await until(() => (childState(children, child)?.offsets as IDataObject)?.['0'] === 0, 5_000, 'the child to commit');
	const before = persisted['node:Falcon Trigger'] as IDataObject;
	expect(children.nodeState()).toMatchObject({
		offsets: before.offsets,
		openBatches: before.openBatches,
		epoch: 'preUpgr1',
		tenants: { [child]: { offsets: { '0': 0 } } },
	});
});

it("a credential edited to act on another child starts that child's stream as a new tenant, not at the first one's offsets", async () => {
	sim = await fastSimulator({ children: 2 });
	const [first, second] = cidsOf(sim);
	const actingOn = (cid: string) => testCredentials({ baseUrl: sim.url, clientId: sim.clientId, clientSecret: sim.clientSecret, memberCid: cid });
	const executionKeys = new Set<string>();
	const before = await start(sim, triggerParameters(), { credentials: actingOn(first), executionKeys });
	await untilExecuted([before], injectInto(sim, first, 30));
	await untilCommitted(before, { '0': 29 });
	const persisted = await stopLikeN8n(before);

	// The second child's events sit below the offsets read in the first child's stream.
	const secondEvents = injectInto(sim, second, 10);
	const after = await start(sim, triggerParameters(), { credentials: actingOn(second), staticData: persisted, executionKeys });
	await untilExecuted([after], secondEvents);
	expect(executedEvents(after)).toEqual(secondEvents);
	// A new epoch: the first child's execution keys (same offsets) do not make n8n refuse the second child's events.
	expect(after.duplicates).toEqual([]);
	await untilCommitted(after, { '0': 9 });
	expect(after.nodeState()).toMatchObject({ credentialTenant: second, offsets: { '0': 9 } });
	expect(after.nodeState().epoch).not.toBe((persisted['node:Falcon Trigger'] as IDataObject).epoch);
});

// n8n saves the static data after activation, then only as the trigger emits: a restart before any child had an
// event must still find each child's start.
it.each([
	['If No Stored Position: new events', childTenantsParameters({}, { whenNothingStored: 'latest' })],
	['an explicit Latest', childTenantsParameters({ startFrom: 'latest' })],
])('children started at %s keep their start through a restart before any event: what arrived meanwhile runs', async (_start, parameters) => {
	sim = await fastSimulator({ children: 2 });
	const [child] = cidsOf(sim);
	const first = await start(sim, parameters);
	await until(() => childHealth(first, child).status === 'following', 5_000, 'the child to be followed');
	const persisted = await stopLikeN8n(first);
	const whileDown = injectInto(sim, child, 3);
	const second = await start(sim, parameters, { staticData: persisted });
	await untilExecuted([second], whileDown);
	expect(executedEvents(second)).toEqual(whileDown);
});

it('children whose stored positions were erased by another node (queue mode) say why in their health; stored ones do not', async () => {
	sim = await fastSimulator({ children: 2 });
	const [child] = cidsOf(sim);
	// What a worker saves after a Code node wrote $getWorkflowStaticData('global'): only its own keys.
	const erased = { global: { seen: 3 } };
	const first = await start(sim, childTenantsParameters(), { staticData: erased });
	await untilExecuted([first], injectInto(sim, child, 1));
	const warning = /No stored position was found, but other nodes .* keep workflow static data \(global: seen\)/;
	await until(() => ((childHealth(first, child).warnings ?? []) as string[]).some((text) => warning.test(text)), 5_000, 'the warning');
	const persisted = await stopLikeN8n(first);
	expect(persisted.global).toEqual({ seen: 3 });
	const second = await start(sim, childTenantsParameters(), { staticData: persisted });
	// Until the children are read again, the health is the one stored by the first activation.
	await untilExecuted([second], injectInto(sim, child, 1));
	expect(((childHealth(second, child).warnings ?? []) as string[]).join('\n')).not.toMatch(warning);
});

it('follows a child that joins after activation, at the next read of the children', async () => {
	sim = await fastSimulator({ children: [{ name: 'Northwind Traders' }], acceptAnyMemberCid: true });
	const trigger = await start(sim, childTenantsParameters());
	const [known] = cidsOf(sim);
	await untilExecuted([trigger], injectInto(sim, known, 1));

	// A token for a new member CID makes it a child of the parent in the simulator (as a new Flight Control link).
	const joined = 'abcdefabcdefabcdefabcdefabcdef12';
	const response = await fetch(`${sim.url}/oauth2/token`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ client_id: sim.clientId, client_secret: sim.clientSecret, member_cid: joined }),
	});
	expect(response.status).toBe(201);
	const [event] = injectInto(sim, joined, 1);
	await untilExecuted([trigger], [event]);
	const item = trigger.items().find((json) => (json.stream as IDataObject).cid === joined)!;
	expect((item.stream as IDataObject).childName).toBe(`Child ${joined.slice(0, 8)}`);
});

it('a child first followed after an explicit Offset was applied starts per If No Stored Position, not at an offset chosen in another child\'s stream', async () => {
	sim = await fastSimulator({ children: 2 });
	const [a, b] = cidsOf(sim);
	const aEvents = injectInto(sim, a, 5);
	const offsetThree = (childCids: string) =>
		childTenantsParameters({ tenants: 'childList', childCids, startFrom: 'offset', startOffsets: '3' }, { whenNothingStored: 'oldest' });
	const first = await start(sim, offsetThree(a));
	await untilExecuted([first], aEvents.slice(3));
	const saved = await stopLikeN8n(first);
	// Later the user adds child B; Start From is still the Offset applied before.
	const bEvents = injectInto(sim, b, 5);
	const second = await start(sim, offsetThree(`${a}, ${b}`), { staticData: saved });
	await untilExecuted([second], bEvents);
	expect(executedEvents(second).filter((key) => key.startsWith(b))).toEqual(bEvents);
	expect(executedEvents(first)).toEqual(aEvents.slice(3));
});

it('an explicit Offset that no child received (Flight Control down at the first activation) is applied after a restart', async () => {
	sim = await fastSimulator({ children: 1 });
	const [a] = cidsOf(sim);
	const events = injectInto(sim, a, 5);
	const offsetThree = childTenantsParameters({ startFrom: 'offset', startOffsets: '3' }, { whenNothingStored: 'oldest' });
	sim.setFaults({ serverErrors: [{ pathPrefix: '/mssp/queries/children', count: 1_000_000, status: 500 }] });
	const first = await start(sim, offsetThree);
	await wait(500);
	const saved = await stopLikeN8n(first);
	sim.setFaults({ serverErrors: [] });
	const second = await start(sim, offsetThree, { staticData: saved });
	await untilExecuted([second], events.slice(3));
	expect(executedEvents(second)).toEqual(events.slice(3));
});

it('a test run in the editor returns the first event of any followed child, with a test App ID', async () => {
	sim = await fastSimulator({ children: 2 });
	const [, second] = cidsOf(sim);
	injectInto(sim, second, 2);
	const test = await runNode(TRIGGER, childTenantsParameters({ filters: { minSeverity: 'informational' } }), credentialsFor(sim));
	expect(test.error).toBeUndefined();
	expect(test.items).toHaveLength(1);
	const stream = test.items[0].json.stream as IDataObject;
	expect(stream).toMatchObject({ cid: second, childName: sim.children[1].name, offset: 0 });
	expect(stream.appId).toMatch(/^[A-Za-z0-9]{1,32}$/);
});

it('a test run waits for the first event of any child though another child\'s token is refused past Alert After Down', async () => {
	sim = await fastSimulator({ children: 2 });
	const [healthy, refused] = cidsOf(sim);
	sim.setFaults({ refusedMemberCids: [refused] });
	const testing = runNode(TRIGGER, childTenantsParameters({ filters: { minSeverity: 'informational' } }, { alertAfterDownMinutes: 0.01 }), credentialsFor(sim));
	// Well past the 0.6 s outage time of the refused child: before, its outage ended the test run with an error.
	await wait(1_500);
	injectInto(sim, healthy, 1);
	const test = await testing;
	expect(test.error).toBeUndefined();
	expect((test.items[0].json.stream as IDataObject).cid).toBe(healthy);
});

it('a test run over all child tenants ends with an error when Flight Control lists no active child: no event can come', async () => {
	sim = await fastSimulator({ children: [{ name: 'Gone', status: 'inactive' }] });
	const startedAt = Date.now();
	const test = await runNode(TRIGGER, childTenantsParameters(), credentialsFor(sim));
	expect(test.error?.message).toBe('Flight Control lists no active child tenant to follow');
	expect(test.items).toEqual([]);
	expect(Date.now() - startedAt).toBeLessThan(10_000);
});

it('a child removed and listed again while an execution of its runs is followed again only after it finished: no event twice', async () => {
	sim = await fastSimulator({ children: [{ name: 'Northwind Traders' }] });
	const trigger = await start(sim, childTenantsParameters(), { executionMs: 2_500 });
	const [cid] = cidsOf(sim);
	const [first] = injectInto(sim, cid, 1);
	await until(() => trigger.executions.length === 1, 5_000, 'the first execution started');
	sim.setChildStatus(cid, 'inactive');
	await until(() => childHealth(trigger, cid).status === 'stopped', 5_000, 'the child no longer followed');
	sim.setChildStatus(cid, 'active');
	const [second] = injectInto(sim, cid, 1);
	await untilExecuted([trigger], [first, second], 15_000);
	await wait(1_000);
	expect(executedEvents(trigger).sort()).toEqual([first, second].sort());
	await until(() => childState(trigger, cid)?.offsets !== undefined && (childState(trigger, cid).offsets as IDataObject)['0'] === 1, 5_000, 'both committed');
});
