import type { IDataObject } from 'n8n-workflow';

import type { RunningSimulator } from '../../../simulator';
import { until } from '../../harness/runTrigger';
import {
	activationsClosedAfterEach,
	credentialsFor,
	executedKeys,
	fastSimulator,
	inject,
	repeated,
	stopLikeN8n,
	triggerParameters,
	untilCommitted,
	untilExecuted,
	wait,
} from './helpers';

// The credential of a running trigger pointed at another API client, with no Member CID to say which tenant it acts
// on: the events' own CID tells whether the stored position is theirs. Two simulators play two tenants.

const OTHER_CID = 'ABCDEF0123456789ABCDEF0123456789';
const sims: RunningSimulator[] = [];
const start = activationsClosedAfterEach(() => undefined);
afterEach(async () => {
	for (const sim of sims.splice(0)) await sim.close();
});

async function tenant(options: Parameters<typeof fastSimulator>[0] = {}): Promise<RunningSimulator> {
	const sim = await fastSimulator(options);
	sims.push(sim);
	return sim;
}

const stored = (persisted: IDataObject) => persisted['node:Falcon Trigger'] as IDataObject;

/**
 * A trigger run over `count` events spread over the tenant's `partitions`, until each is committed, then stopped like
 * n8n: the stored position the tests then read with another API client.
 */
async function positionedRun(sim: RunningSimulator, count: number, executionKeys?: Set<string>, partitions = 1) {
	const before = await start(sim, triggerParameters(), { executionKeys });
	const keys = inject(sim, count, partitions);
	await untilExecuted([before], keys);
	const lastOffsets: Record<string, number> = {};
	for (const [partition, offset] of keys.map((key) => key.split(':').map(Number))) {
		lastOffsets[partition] = Math.max(lastOffsets[partition] ?? 0, offset);
	}
	await untilCommitted(before, lastOffsets);
	return { before, persisted: await stopLikeN8n(before) };
}

/** A positioned run whose stored position is then marked as read by another API client of the tenant. */
async function storedByAnotherClient(sim: RunningSimulator, count: number, executionKeys: Set<string>) {
	const run = await positionedRun(sim, count, executionKeys);
	(stored(run.persisted).streamTenant as IDataObject).client = '00000000';
	return run;
}

it("another API client of another tenant: that tenant starts as a new one, its events neither skipped below the first one's offsets nor run above them as a backlog", async () => {
	const first = await tenant();
	const other = await tenant({ clientId: 'another-client', cid: OTHER_CID });
	const keys = new Set<string>();
	const { persisted } = await positionedRun(first, 5, keys);
	expect(stored(persisted).streamTenant).toMatchObject({ cid: first.cid.toLowerCase() });

	// The other tenant's stream holds more events than the first one's offsets: read from offset 5, 0-4 were skipped.
	const otherEvents = inject(other, 10);
	const after = await start(other, triggerParameters(), { credentials: credentialsFor(other), staticData: persisted, executionKeys: keys });
	// If No Stored Position (here: the oldest retained event) says where it starts: all ten, once each.
	await untilExecuted([after], otherEvents);
	await untilCommitted(after, { '0': 9 });
	expect(executedKeys(after)).toEqual(otherEvents);
	expect(after.duplicates).toEqual([]);
	expect(after.nodeState()).toMatchObject({ offsets: { '0': 9 }, streamTenant: { cid: OTHER_CID.toLowerCase() } });
	expect(after.nodeState().epoch).not.toBe(stored(persisted).epoch);
	expect(JSON.stringify(after.nodeState().health)).toContain(`tenant ${OTHER_CID.toLowerCase()}`);
	// The client ID itself is not kept in the static data.
	expect(JSON.stringify(after.nodeState())).not.toContain('another-client');
});

it('another API client of the same tenant (a rotation) goes on from the stored position: nothing runs twice, nothing is skipped', async () => {
	const sim = await tenant();
	const keys = new Set<string>();
	const { before, persisted } = await storedByAnotherClient(sim, 5, keys);
	const whileDown = inject(sim, 3);
	const after = await start(sim, triggerParameters(), { staticData: persisted, executionKeys: keys });
	await untilExecuted([after], whileDown);
	await untilCommitted(after, { '0': 7 });
	expect(executedKeys(after)).toEqual(whileDown);
	expect(repeated(executedKeys(before, after))).toEqual([]);
	expect(after.nodeState().epoch).toBe(stored(persisted).epoch);
});

it("another tenant whose offsets are below the stored ones is recognised at once, and its new events run from the first activation with that client, also across a restart before any of them", async () => {
	const first = await tenant();
	const other = await tenant({ clientId: 'another-client', cid: OTHER_CID });
	const newEvents = triggerParameters({}, { whenNothingStored: 'latest' });
	const keys = new Set<string>();
	const { persisted } = await positionedRun(first, 15, keys);

	// The other tenant's backlog, from before the switch: offsets 0-2, below the stored 14.
	for (let index = 0; index < 3; index++) other.injectEvent({ eventType: 'EppDetectionSummaryEvent', createdAt: Date.now() - 10 * 60_000 });
	const switched = await start(other, newEvents, { credentials: credentialsFor(other), staticData: persisted, executionKeys: keys });
	await until(() => switched.nodeState().epoch !== stored(persisted).epoch, 5_000, 'the other tenant to be recognised');
	// Stopped before any event of the other tenant ran: n8n saved the static data with the activation only.
	const savedAtActivation = await stopLikeN8n(switched);
	const whileDown = inject(other, 2);
	const after = await start(other, newEvents, { credentials: credentialsFor(other), staticData: savedAtActivation, executionKeys: keys });
	await untilExecuted([after], whileDown);
	const live = inject(other, 1);
	await untilExecuted([after], live);
	expect(executedKeys(switched, after)).toEqual([...whileDown, ...live]);
	expect(after.nodeState()).toMatchObject({ streamTenant: { cid: OTHER_CID.toLowerCase() } });
});

it('"Start From: Latest" set with the switch to another tenant applies to it: nothing to confirm, the first new event runs', async () => {
	const first = await tenant();
	const other = await tenant({ clientId: 'another-client', cid: OTHER_CID });
	const { persisted } = await positionedRun(first, 5);
	inject(other, 8);
	const after = await start(other, triggerParameters({ startFrom: 'latest' }), { credentials: credentialsFor(other), staticData: persisted });
	await until(() => (after.nodeState().health as IDataObject | undefined)?.status === 'following', 5_000, 'the feed');
	const fresh = inject(other, 1);
	await untilExecuted([after], fresh);
	expect(executedKeys(after)).toEqual(fresh);
});

it("the look at whose stream it is uses an App ID of its own: the trigger's is not released, so Falcon's hold on it does not keep the stream away", async () => {
	const sim = await tenant({ appIdReleaseMs: 1_000 });
	const keys = new Set<string>();
	const { persisted } = await storedByAnotherClient(sim, 3, keys);
	// n8n down for longer than the hold its own stop left (counted from when the simulator saw the feed close).
	await wait(2_000);
	const whileDown = inject(sim, 2);
	const after = await start(sim, triggerParameters(), { staticData: persisted, executionKeys: keys });
	await untilExecuted([after], whileDown);
	expect(String((after.nodeState().health as IDataObject).lastError ?? '')).not.toMatch(/offered no stream/);
});

it("another tenant's follower does not look for the first tenant's partitions, nor show their offsets", async () => {
	const first = await tenant({ partitions: 2 });
	const other = await tenant({ clientId: 'another-client', cid: OTHER_CID });
	const { persisted } = await positionedRun(first, 10, undefined, 2);
	const otherEvents = inject(other, 3);
	const after = await start(other, triggerParameters(), { credentials: credentialsFor(other), staticData: persisted });
	await untilExecuted([after], otherEvents);
	await untilCommitted(after, { '0': 2 });
	expect(Object.keys((after.nodeState().health as IDataObject).partitions as IDataObject)).toEqual(['0']);
	expect(after.items().map((item) => (item.stream as IDataObject).committedOffset)).not.toContain(4);
});

it("another tenant's new events count from the switch on Falcon's clock as it stood then: a server clock corrected before a restart moves nothing", async () => {
	const first = await tenant();
	const other = await tenant({ clientId: 'another-client', cid: OTHER_CID });
	const { persisted } = await positionedRun(first, 5);
	// n8n's clock 30 minutes ahead of Falcon's at the switch; one old event of the other tenant tells whose stream it is.
	other.setFaults({ clockAheadMs: -30 * 60_000 });
	other.injectEvent({ eventType: 'EppDetectionSummaryEvent', createdAt: Date.now() - 30 * 60_000 - 10 * 60_000 });
	const newEvents = triggerParameters({}, { whenNothingStored: 'latest' });
	const switched = await start(other, newEvents, { credentials: credentialsFor(other), staticData: persisted });
	// What n8n saved is what the activation left.
	const saved = switched.persisted();
	await stopLikeN8n(switched);
	const since = stored(saved).tenantCheckSince as number;
	// The clocks agree after the restart. An event created 10 minutes after the switch, on Falcon's clock.
	other.setFaults({ clockAheadMs: 0 });
	const afterSwitch = other.injectEvent({ eventType: 'EppDetectionSummaryEvent', createdAt: since - 30 * 60_000 + 10 * 60_000 });
	const after = await start(other, newEvents, { credentials: credentialsFor(other), staticData: saved });
	await untilExecuted([after], [`0:${afterSwitch.offset}`]);
	expect(executedKeys(after)).toEqual([`0:${afterSwitch.offset}`]);
});
