import type { IDataObject } from 'n8n-workflow';

import type { FaultConfig, RunningSimulator } from '../../../simulator';
import { partitionRecheck } from '../../../nodes/CrowdStrikeFalcon/shared/stream/consumer';
import { retryPolicy } from '../../../nodes/CrowdStrikeFalcon/shared/transport/retryPolicy';
import { until, type RunningTrigger } from '../../harness/runTrigger';
import {
	activate,
	credentialsFor,
	allGenerated,
	emittedKeys,
	fastSimulator,
	inject,
	triggerParameters,
	untilCommitted,
	untilEmitted,
	wait,
} from './helpers';

let sim: RunningSimulator;
let trigger: RunningTrigger | undefined;

afterEach(async () => {
	await trigger?.close();
	trigger = undefined;
	await sim?.close();
});

/**
 * Each fault plays out while events keep arriving on two partitions: the trigger must emit every generated event at
 * least once, commit the last offset of each partition, and never report a configuration error.
 */
async function survives(
	fault: Partial<FaultConfig>,
	{ before = 10, during = 20, after = 10, partitions = 2, simOptions = {} } = {},
) {
	sim = await fastSimulator({ partitions, ...simOptions });
	inject(sim, before, partitions);
	trigger = await activate(sim, triggerParameters());
	await untilEmitted(trigger, allGenerated(sim));
	sim.setFaults(fault);
	for (let index = 0; index < during; index++) {
		inject(sim, index % 2 === 1 ? 2 : 1, partitions);
		await wait(15);
	}
	await wait(100);
	inject(sim, after, partitions);
	const generated = allGenerated(sim);
	await untilEmitted(trigger, generated, 15_000);
	const lastOffsets = Object.fromEntries(
		(sim.state() as unknown as { streams: { eventCounts: number[] } }).streams.eventCounts.map((count, partition) => [
			String(partition),
			count - 1,
		]),
	);
	await untilCommitted(trigger, lastOffsets);
	expect(new Set(emittedKeys(trigger))).toEqual(new Set(generated));
	expect(trigger.errors).toEqual([]);
	// The fault really happened: every counted knob was used up.
	const left = sim.state().faults;
	for (const key of ['dropFeedMidLine', 'feed401', 'refresh5xx', 'emptyDiscovery', 'rateLimitNext'] as const) {
		if (fault[key]) expect(left[key]).toBe(0);
	}
	for (const serverError of left.serverErrors) expect(serverError.count).toBe(0);
	return trigger.nodeState().health as IDataObject;
}

it('reconnects after the feed is cut in the middle of a line, and never emits the torn line', async () => {
	const health = await survives({ dropFeedMidLine: 3 });
	const partitions = health.partitions as Record<string, IDataObject>;
	expect(Number(partitions['0'].reconnects) + Number(partitions['1'].reconnects)).toBeGreaterThanOrEqual(3);
	expect((health.dropped as IDataObject).unreadable).toBe(0);
});

it('a feed that opens and fails at once, again and again, is an outage: Alert After Down records it', async () => {
	sim = await fastSimulator();
	inject(sim, 3, 1);
	sim.setFaults({ dropFeedMidLine: 1_000_000 });
	trigger = await activate(sim, triggerParameters({}, { alertAfterDownMinutes: 0.01 }));
	const running = trigger;
	await until(() => running.failures.length > 0, 10_000, 'the outage to be recorded');
	expect(running.failures[0].message).toMatch(/^The Falcon event stream has been unavailable for \d+ s: the feed failed/);
	expect(running.items()).toEqual([]);
});

// A healthy feed makes no further API calls, so the faults that hit reconnects come with one cut feed.
it('rediscovers after the feed answers 401 (stale session token)', async () => {
	await survives({ dropFeedMidLine: 1, feed401: 3 });
});

it('reconnects when the session refresh keeps failing', async () => {
	// Three 503s in a row outlast the transport's two retries, so the refresh fails and the round restarts.
	const health = await survives({ refresh5xx: 3 }, { during: 40, partitions: 1, simOptions: { refreshIntervalSeconds: 0.3 } });
	const refreshCalls = sim.state().requests.filter((request) => request.path.startsWith('/sensors/entities/datafeed-actions/'));
	expect(refreshCalls.filter((request) => request.status === 503)).toHaveLength(3);
	const partitions = health.partitions as Record<string, IDataObject>;
	// Whichever comes first ends the connection: the failed refresh, or Falcon closing the unrefreshed feed (EOF).
	expect(Number(partitions['0'].reconnects)).toBeGreaterThanOrEqual(1);
});

it('waits out empty discoveries, then recovers', async () => {
	await survives({ dropFeedMidLine: 1, emptyDiscovery: 4 });
});

// Falcon offers no stream to an App ID for a while after its consumer closed: the trigger's own reconnect (every
// feed closed, then discovery) meets that hold, and must wait it out without a configuration error.
it('reconnects through the hold Falcon keeps on its App ID after the feed closed', async () => {
	const health = await survives({ dropFeedMidLine: 1 }, { simOptions: { appIdReleaseMs: 1_500 } });
	const partitions = health.partitions as Record<string, IDataObject>;
	expect(Number(partitions['0'].reconnects) + Number(partitions['1'].reconnects)).toBeGreaterThanOrEqual(1);
	// Discovery offered nothing while the App ID was held, at least once.
	expect(sim.state().streams.discoveries).toBeGreaterThan(2);
});

it('rides out a 429 storm on every path', async () => {
	// The transport waits until X-RateLimit-RetryAfter (seconds away); capping that wait makes each 429 fail fast,
	// so this exercises the trigger's own back-off rather than the transport's patience. Until that time every call
	// of the client is held back unsent, so each 429 of the storm costs a second or two.
	retryPolicy.maxRateLimitWaitMs = 20;
	await survives({ dropFeedMidLine: 1, rateLimitNext: 4 });
	const limited = sim.state().requests.filter((request) => request.status === 429);
	expect(limited).toHaveLength(4);
	// Held back, not sent: no call reached Falcon within a second of a 429 told it to wait.
	const times = sim.state().requests.map((request) => Date.parse(request.time));
	for (const request of limited) {
		const at = Date.parse(request.time);
		expect(times.filter((time) => time > at && time < at + 900)).toEqual([]);
	}
});

it('rides out 5xx on discovery', async () => {
	await survives({
		dropFeedMidLine: 1,
		serverErrors: [{ pathPrefix: '/sensors/entities/datafeed/v2', count: 5, status: 502 }],
	});
});

it('reconnects when the feed goes silent past the watchdog', async () => {
	sim = await fastSimulator({ partitions: 2 });
	inject(sim, 4, 2);
	trigger = await activate(sim, triggerParameters());
	await untilEmitted(trigger, allGenerated(sim));
	sim.setFaults({ feedSilence: true });
	inject(sim, 6, 2);
	await wait(1_300);
	const health = trigger.nodeState().health as IDataObject;
	const partitions = health.partitions as Record<string, IDataObject>;
	expect(String(partitions['0'].lastError ?? partitions['1'].lastError)).toMatch(/silent/);
	sim.setFaults({ feedSilence: false });
	inject(sim, 4, 2);
	await untilEmitted(trigger, allGenerated(sim));
	await untilCommitted(trigger, { '0': 6, '1': 6 });
});

it('gives up a feed that accepts the connection and never answers, as a silent one, and reconnects', async () => {
	sim = await fastSimulator({ partitions: 2 });
	inject(sim, 4, 2);
	sim.setFaults({ feedUnanswered: 1 });
	trigger = await activate(sim, triggerParameters());
	await untilEmitted(trigger, allGenerated(sim));
	await untilCommitted(trigger, { '0': 1, '1': 1 });
	const partitions = (trigger.nodeState().health as IDataObject).partitions as Record<string, IDataObject>;
	expect(Object.values(partitions).map((partition) => String(partition.lastError ?? ''))).toContainEqual(expect.stringMatching(/silent/));
	expect(sim.state().requests.filter((request) => request.path.startsWith('/sensors/entities/datafeed/v1/')).length).toBeGreaterThanOrEqual(3);
});

it('reads a partition a reconnect\'s discovery left out, once a later discovery offers it', async () => {
	sim = await fastSimulator({ partitions: 2 });
	inject(sim, 4, 2);
	trigger = await activate(sim, triggerParameters());
	await untilEmitted(trigger, allGenerated(sim));
	// Partition 0's feed is cut; the next discovery offers partition 0 only, and its feed stays healthy.
	sim.setFaults({ dropFeedMidLine: 1, partialDiscovery: 1 });
	sim.injectEvent({ eventType: 'EppDetectionSummaryEvent', partition: 0 });
	await until(() => sim.state().faults.partialDiscovery === 0, 5_000, 'the partial discovery');
	inject(sim, 4, 2);
	await untilEmitted(trigger, allGenerated(sim), 5_000);
	await untilCommitted(trigger, { '0': 4, '1': 3 });
	// The first discovery, the one after the cut, and the one asked again for partition 1.
	expect(sim.state().requests.filter((request) => request.path === '/sensors/entities/datafeed/v2').length).toBeGreaterThanOrEqual(3);
});

it('"Start With New Events": a partition the first discovery left out is read from what arrived since the activation once offered, not from its newest event', async () => {
	sim = await fastSimulator({ partitions: 2 });
	sim.injectEvent({ eventType: 'EppDetectionSummaryEvent', partition: 1, createdAt: Date.now() - 10 * 60_000 });
	sim.setFaults({ partialDiscovery: 1 });
	trigger = await activate(sim, triggerParameters({}, { whenNothingStored: 'latest' }));
	await until(() => (sim.state() as unknown as { streams: { openFeeds: unknown[] } }).streams.openFeeds.length === 1, 5_000, "partition 0's feed");
	const sinceActivation = inject(sim, 6, 2);
	await untilEmitted(trigger, sinceActivation.filter((key) => key.startsWith('0:')), 5_000);
	// Partition 0's feed is cut: the next discovery offers both.
	sim.setFaults({ dropFeedMidLine: 1 });
	sim.injectEvent({ eventType: 'EppDetectionSummaryEvent', partition: 0 });
	await untilEmitted(trigger, sinceActivation, 5_000);
	// The event from before the activation is not delivered.
	expect(emittedKeys(trigger)).not.toContain('1:0');
});

it('after a restart, reads a partition with a stored position that the first discovery left out', async () => {
	sim = await fastSimulator({ partitions: 2 });
	inject(sim, 6, 2);
	sim.setFaults({ partialDiscovery: 1 });
	trigger = await activate(sim, triggerParameters(), {
		staticData: { 'node:Falcon Trigger': { epoch: 'e0', offsets: { '0': 0, '1': 0 } } },
	});
	await untilEmitted(trigger, ['0:1', '0:2', '1:1', '1:2'], 5_000);
	expect(sim.state().faults.partialDiscovery).toBe(0);
	expect(emittedKeys(trigger)).not.toContain('1:0');
});

it('forgets a stored partition that five discoveries in a row left out: no more rounds end to ask for it', async () => {
	const minMsBefore = partitionRecheck.minMs;
	partitionRecheck.minMs = 20;
	try {
		sim = await fastSimulator({ partitions: 2 });
		inject(sim, 4, 2);
		// Partition 2 has a stored position, but the stream has no such partition (any more).
		trigger = await activate(sim, triggerParameters({}, { reconnectMaxDelaySeconds: 0.02 }), {
			staticData: { 'node:Falcon Trigger': { epoch: 'e0', offsets: { '0': 0, '1': 0, '2': 7 } } },
		});
		const discoveries = () => sim.state().requests.filter((request) => request.path === '/sensors/entities/datafeed/v2').length;
		await untilEmitted(trigger, ['0:1', '1:1'], 5_000);
		// The first discovery, then one after each of the five rechecks (waits of 20, 40, 80, 160 and 320 ms).
		await until(() => discoveries() >= 6, 5_000, 'five rechecks');
		const settled = discoveries();
		await wait(1_500);
		expect(discoveries()).toBe(settled);
		// The partitions that exist are read on as before.
		inject(sim, 2, 2);
		await untilEmitted(trigger, ['0:2', '1:2'], 5_000);
		expect(discoveries()).toBe(settled);
		// Nor is it reported as one of the stream's partitions.
		expect(Object.keys((trigger.nodeState().health as IDataObject).partitions as IDataObject)).toEqual(['0', '1']);
	} finally {
		partitionRecheck.minMs = minMsBefore;
	}
});

it('a reader waiting for an owed batch that spans another partition does not hold up the reconnect that brings that partition', async () => {
	sim = await fastSimulator({ partitions: 2 });
	inject(sim, 8, 2);
	// Owed from before the restart: one batch across both partitions. The first discovery leaves partition 1 out, so
	// partition 0's reader waits at 0:2 for the batch, which needs partition 1: the recheck's new round must start.
	sim.setFaults({ partialDiscovery: 1 });
	trigger = await activate(sim, triggerParameters(), {
		staticData: { 'node:Falcon Trigger': { epoch: 'e0', offsets: { '0': 0, '1': 0 }, openBatches: ['0:1-1,1:1-1'] } },
	});
	await untilEmitted(trigger, ['0:1', '0:2', '0:3', '1:1', '1:2', '1:3'], 8_000);
	await untilCommitted(trigger, { '0': 3, '1': 3 });
	expect(emittedKeys(trigger).slice(0, 2)).toEqual(['0:1', '1:1']);
});

it('survives slow API responses', async () => {
	await survives({ dropFeedMidLine: 2, latencyMs: 40 }, { during: 10 });
});

it('refreshes every partition on its own timer while no event arrives, without reconnecting', async () => {
	// Refreshed at 90 % of 2 s: 200 ms before Falcon would end a session, enough for a loaded machine's timers.
	sim = await fastSimulator({ partitions: 3, refreshIntervalSeconds: 2, keepAliveMs: 50 });
	trigger = await activate(sim, triggerParameters());
	const refreshes = () => (sim.state() as unknown as { streams: { refreshes: number[] } }).streams.refreshes;
	const connections = () =>
		JSON.stringify(
			Object.values((trigger!.nodeState().health as IDataObject).partitions as Record<string, IDataObject>).map(
				(partition) => [partition.connectedAt, partition.reconnects],
			),
		);
	await until(() => refreshes().every((count) => count >= 1), 10_000, 'a first refresh per partition');
	const before = connections();
	const counted = refreshes();
	await until(() => refreshes().every((count, index) => count >= counted[index] + 2), 10_000, 'two more refreshes');
	// Refreshed in time, with no traffic at all: the same connections stayed open throughout.
	expect(connections()).toBe(before);
	expect((sim.state() as unknown as { streams: { openFeeds: unknown[] } }).streams.openFeeds).toHaveLength(3);
});

it('renews the OAuth token as it nears its expiry, and keeps refreshing the stream', async () => {
	sim = await fastSimulator({ tokenLifetimeSeconds: 1, refreshIntervalSeconds: 0.6 });
	const credentials = credentialsFor(sim);
	trigger = await activate(sim, triggerParameters(), { credentials });
	const refreshes = () => (sim.state() as unknown as { streams: { refreshes: number[] } }).streams.refreshes[0];
	await until(() => refreshes() >= 4, 8_000, 'four refreshes');
	// Tokens of a second each, each asked for again before it expired (a refused one would be asked for too).
	expect(sim.state().requests.filter((request) => request.path === '/oauth2/token').length).toBeGreaterThanOrEqual(2);
	expect(credentials.preAuthentications).toEqual([]);
	expect(trigger.errors).toEqual([]);
});
