import type { IDataObject } from 'n8n-workflow';

import type { RunningSimulator } from '../../../simulator';
import { readBoundedSlice } from '../../../nodes/CrowdStrikeFalcon/shared/stream/boundedRead';
import { until } from '../../harness/runTrigger';
import { runNode } from '../../harness/runWorkflow';
import { credentialsFor, fastSimulator, inject } from '../trigger/helpers';

const NODE = 'n8n-nodes-crowdstrike-falcon.crowdStrikeFalconEventStreams';
let sim: RunningSimulator;

afterEach(async () => {
	await sim?.close();
});

/** Until the read's feeds that start at the newest event are open: an event sent sooner is not one it sees. */
async function untilFeedsOpenAtNewest(count: number): Promise<void> {
	const opened = () =>
		sim.state().requests.filter((request) => request.path.startsWith('/sensors/entities/datafeed/v1/') && request.query.whence === '2').length;
	await until(() => opened() >= count, 10_000, `${count} feeds opened at the newest event`);
}

describe('Stream', () => {
	it('lists the available streams of an App ID, one item per partition', async () => {
		sim = await fastSimulator({ partitions: 2 });
		const result = await runNode(NODE, { resource: 'stream', operation: 'listAvailable', appId: 'socPlaybooks01', format: 'flatjson' }, credentialsFor(sim));
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.partition)).toEqual([0, 1]);
		expect(result.items[0].json).toMatchObject({
			dataFeedURL: expect.stringContaining('/sensors/entities/datafeed/v1/0?appId=socPlaybooks01'),
			refreshActiveSessionInterval: 30,
		});
		const discovery = sim.state().requests.find((request) => request.path === '/sensors/entities/datafeed/v2');
		expect(discovery?.query).toMatchObject({ appId: 'socPlaybooks01', format: 'flatjson' });
	});

	it('redacts the feed\'s session token unless asked for it, keeping its expiry', async () => {
		sim = await fastSimulator({ partitions: 2 });
		const credentials = credentialsFor(sim);
		const redacted = await runNode(NODE, { resource: 'stream', operation: 'listAvailable', appId: 'socPlaybooks01' }, credentials);
		expect(redacted.error).toBeUndefined();
		for (const item of redacted.items) {
			expect(item.json.sessionToken).toEqual({ token: '[redacted]', expiration: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
		}
		expect(JSON.stringify(redacted.items)).not.toMatch(/[0-9a-f]{64}/);

		const revealed = await runNode(
			NODE,
			{ resource: 'stream', operation: 'listAvailable', appId: 'socPlaybooks02', includeSessionToken: true },
			credentials,
		);
		expect(revealed.items.map((item) => (item.json.sessionToken as IDataObject).token)).toEqual([
			expect.stringMatching(/^[0-9a-f]{64}$/),
			expect.stringMatching(/^[0-9a-f]{64}$/),
		]);
		expect(revealed.items.map((item) => item.json.partition)).toEqual([0, 1]);
	});

	it('says why no stream came back, instead of stopping the workflow without a word', async () => {
		sim = await fastSimulator({ partitions: 2 });
		sim.setFaults({ emptyDiscovery: 1 });
		const result = await runNode(NODE, { resource: 'stream', operation: 'listAvailable', appId: 'socPlaybooks01' }, credentialsFor(sim));
		expect(result.error).toBeUndefined();
		expect(result.items).toEqual([]);
		expect(result.run.data.resultData.runData.Falcon[0].hints).toEqual([
			expect.objectContaining({ type: 'warning', message: expect.stringMatching(/^Falcon offered no stream to App ID "socPlaybooks01": another consumer/) }),
		]);
		const listed = await runNode(NODE, { resource: 'stream', operation: 'listAvailable', appId: 'socPlaybooks01' }, credentialsFor(sim));
		expect(listed.items).toHaveLength(2);
		expect(listed.run.data.resultData.runData.Falcon[0].hints ?? []).toEqual([]);
	});

	it('refuses an App ID Falcon would reject, before any request', async () => {
		sim = await fastSimulator();
		const result = await runNode(NODE, { resource: 'stream', operation: 'listAvailable', appId: 'soc-playbooks' }, credentialsFor(sim));
		expect(result.error?.message).toMatch(/Invalid "App ID"/);
		expect(sim.state().requests).toHaveLength(0);
	});

	it('refreshes the session of a partition', async () => {
		sim = await fastSimulator({ partitions: 2 });
		const credentials = credentialsFor(sim);
		await runNode(NODE, { resource: 'stream', operation: 'listAvailable', appId: 'socPlaybooks01' }, credentials);
		const result = await runNode(NODE, { resource: 'stream', operation: 'refreshSession', appId: 'socPlaybooks01', partition: 1 }, credentials);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toEqual({ refreshed: true, partition: 1, appId: 'socPlaybooks01' });
		const refresh = sim.state().requests.find((request) => request.method === 'POST' && request.path.endsWith('/datafeed-actions/v1/1'));
		expect(refresh?.query).toMatchObject({ action_name: 'refresh_active_stream_session', appId: 'socPlaybooks01' });
		// An empty JSON object as the body, as Falcon's own SDKs send it.
		expect(refresh?.body).toEqual({});
	});

	it('a partition that came out empty fails naming the field, and no refresh is sent', async () => {
		sim = await fastSimulator({ partitions: 2 });
		const result = await runNode(
			NODE,
			{ resource: 'stream', operation: 'refreshSession', appId: 'socPlaybooks01', partition: '={{ $json.partition }}' },
			credentialsFor(sim),
			{ input: [{ json: { stream: 'no partition here' } }] },
		);
		expect(result.error?.message).toBe('Invalid "Partition": must not be empty');
		expect(sim.state().requests.filter((request) => request.path.includes('/datafeed-actions/'))).toEqual([]);
	});
});

describe('Event: Read', () => {
	const read = (parameters: IDataObject) =>
		runNode(NODE, { resource: 'event', operation: 'read', timeLimitSeconds: 10, options: { idleSeconds: 0.3 }, ...parameters }, credentialsFor(sim));

	it('reads from given offsets to the end of the backlog and says where to continue', async () => {
		sim = await fastSimulator({ partitions: 2 });
		inject(sim, 20, 2);
		const result = await read({ startFrom: 'offset', offsets: '0=7, 1=4' });
		expect(result.error).toBeUndefined();
		const keys = result.items.map((item) => `${(item.json.stream as IDataObject).partition}:${item.json.stream && (item.json.stream as IDataObject).offset}`);
		expect(keys.sort()).toEqual(['0:7', '0:8', '0:9', '1:4', '1:5', '1:6', '1:7', '1:8', '1:9'].sort());
		expect((result.items[0].json.stream as IDataObject).nextOffsets).toEqual({ '0': 10, '1': 10 });
		// A temporary App ID: it never competes with a trigger.
		const feed = sim.state().requests.find((request) => request.path.startsWith('/sensors/entities/datafeed/v1/'));
		expect(feed?.query.appId).toMatch(/^n8nread[A-Za-z0-9]{16}$/);
	});

	it('counts idle time only once a feed is open: a discovery that keeps offering no stream for longer is waited out, not "caught up"', async () => {
		sim = await fastSimulator();
		inject(sim, 3);
		sim.setFaults({ latencyMs: 200 });
		// Three empty discoveries with 200 ms latency each, then the stream: well past the 0.3 s idle time.
		sim.setFaults({ emptyDiscovery: 3 });
		const result = await read({ startFrom: 'oldest' });
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => (item.json.stream as IDataObject).offset)).toEqual([0, 1, 2]);
	});

	it('chains reads with the nextOffsets of a previous summary, up to Max Events', async () => {
		sim = await fastSimulator();
		inject(sim, 12);
		const first = await read({ startFrom: 'oldest', maxEvents: 5, options: { idleSeconds: 0.3, output: 'summary' } });
		expect(first.items[0].json).toMatchObject({ count: 5, nextOffsets: { '0': 5 }, stoppedBecause: 'maxEvents' });
		const second = await read({
			startFrom: 'offset',
			offsets: JSON.stringify(first.items[0].json.nextOffsets),
			options: { idleSeconds: 0.3, output: 'summary' },
		});
		expect(second.items[0].json).toMatchObject({ count: 7, nextOffsets: { '0': 12 }, stoppedBecause: 'caughtUp' });
		expect(((second.items[0].json.events as IDataObject[])[0].metadata as IDataObject).offset).toBe(5);
	});

	it('reads the latest N events of each partition, though Falcon holds an App ID a while after its consumer closed', async () => {
		// The probe for where each partition ends closes just before the read: under one App ID, the read would find
		// no stream until the Time Limit.
		sim = await fastSimulator({ partitions: 2, appIdReleaseMs: 60_000 });
		inject(sim, 20, 2);
		const reading = read({ startFrom: 'latest', latestCount: 3 });
		// The read learns where each partition ends from the next event that arrives once its feeds are open.
		await untilFeedsOpenAtNewest(2);
		inject(sim, 2, 2);
		const result = await reading;
		expect(result.error).toBeUndefined();
		const keys = result.items.map((item) => `${(item.json.stream as IDataObject).partition}:${(item.json.stream as IDataObject).offset}`);
		expect(keys.sort()).toEqual(['0:7', '0:8', '0:9', '1:7', '1:8', '1:9']);
	});

	/** A Latest read of two partitions as one summary: the events it read (`partition:offset`, sorted) and why it stopped. */
	async function latestSummary(latestCount: number, maxEvents: number) {
		const reading = read({ startFrom: 'latest', latestCount, maxEvents, options: { output: 'summary' } });
		await untilFeedsOpenAtNewest(2);
		inject(sim, 2, 2);
		const result = await reading;
		expect(result.error).toBeUndefined();
		const summary = result.items[0].json;
		const keys = (summary.events as IDataObject[]).map((event) => `${(event.stream as IDataObject).partition}:${(event.stream as IDataObject).offset}`);
		return { keys: keys.sort(), stoppedBecause: summary.stoppedBecause };
	}

	it('reads the newest events of each partition when Max Events cannot hold N of each, and says it stopped at Max Events', async () => {
		sim = await fastSimulator({ partitions: 2 });
		inject(sim, 20, 2);
		expect(await latestSummary(5, 6)).toEqual({ keys: ['0:7', '0:8', '0:9', '1:7', '1:8', '1:9'], stoppedBecause: 'maxEvents' });
	});

	it('hands the share of Max Events a partition holding fewer events cannot use to the others', async () => {
		sim = await fastSimulator({ partitions: 2 });
		for (let index = 0; index < 2; index++) sim.injectEvent({ eventType: 'EppDetectionSummaryEvent', partition: 0 });
		for (let index = 0; index < 30; index++) sim.injectEvent({ eventType: 'EppDetectionSummaryEvent', partition: 1 });
		expect(await latestSummary(10, 10)).toEqual({
			keys: ['0:0', '0:1', ...[22, 23, 24, 25, 26, 27, 28, 29].map((offset) => `1:${offset}`)],
			stoppedBecause: 'maxEvents',
		});
	});

	it('reads the latest N events of the partitions that have events, though another one stays quiet', async () => {
		sim = await fastSimulator({ partitions: 2 });
		for (let index = 0; index < 10; index++) sim.injectEvent({ eventType: 'EppDetectionSummaryEvent', partition: 0 });
		// Partition 1 gets no event: the probe for where it ends waits half the Time Limit, the read has the rest.
		const reading = read({ startFrom: 'latest', latestCount: 3, timeLimitSeconds: 4 });
		await untilFeedsOpenAtNewest(2);
		sim.injectEvent({ eventType: 'EppDetectionSummaryEvent', partition: 0 });
		const result = await reading;
		expect(result.error).toBeUndefined();
		const keys = result.items.map((item) => `${(item.json.stream as IDataObject).partition}:${(item.json.stream as IDataObject).offset}`);
		expect(keys).toEqual(['0:7', '0:8', '0:9']);
	});

	it('filters by event type on the server, mapping a retired type', async () => {
		sim = await fastSimulator();
		sim.injectEvent({ eventType: 'UserActivityAuditEvent' });
		sim.injectEvent({ eventType: 'EppDetectionSummaryEvent' });
		const result = await read({ startFrom: 'oldest', eventTypes: ['DetectionSummaryEvent'] });
		expect(result.items.map((item) => (item.json.metadata as IDataObject).eventType)).toEqual(['EppDetectionSummaryEvent']);
	});

	it('takes Event Types given as text by an expression as one type, not as its letters', async () => {
		sim = await fastSimulator();
		sim.injectEvent({ eventType: 'UserActivityAuditEvent' });
		sim.injectEvent({ eventType: 'EppDetectionSummaryEvent' });
		const result = await read({ startFrom: 'oldest', eventTypes: '={{ "UserActivityAuditEvent" }}' });
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => (item.json.metadata as IDataObject).eventType)).toEqual(['UserActivityAuditEvent']);
	});

	it('keeps every requested offset in nextOffsets, also of a partition discovery did not offer this time', async () => {
		sim = await fastSimulator({ partitions: 2 });
		inject(sim, 8, 2);
		sim.setFaults({ partialDiscovery: 100 });
		const result = await read({ startFrom: 'offset', offsets: '0=2, 1=3', options: { idleSeconds: 0.3, output: 'summary' } });
		expect(result.items[0].json).toMatchObject({ count: 2, nextOffsets: { '0': 4, '1': 3 }, stoppedBecause: 'caughtUp' });
	});

	it('names each summary event by partition and offset: offsets repeat across partitions', async () => {
		sim = await fastSimulator({ partitions: 2 });
		inject(sim, 4, 2);
		const result = await read({ startFrom: 'oldest', options: { idleSeconds: 0.3, output: 'summary' } });
		const events = result.items[0].json.events as Array<{ stream: { partition: number; offset: number } }>;
		expect(events.map(({ stream }) => `${stream.partition}:${stream.offset}`).sort()).toEqual(['0:0', '0:1', '1:0', '1:1']);
	});

	it('says nothing was read when no feed opened within the Time Limit, instead of reporting an empty stream', async () => {
		sim = await fastSimulator();
		inject(sim, 3);
		sim.setFaults({ emptyDiscovery: 1000 });
		const result = await read({ startFrom: 'offset', offsets: '0=1', timeLimitSeconds: 1 });
		expect(result.error?.message).toMatch(/^Nothing was read: no feed of the stream opened within the Time Limit \(last: discovery offered no stream/);
		expect(result.items).toEqual([]);
	});

	it('counts no idle time while the feed is reconnecting: a backlog cut off at its first line is still read', async () => {
		// Falcon holds the App ID for a while after the cut feed closes: longer than Stop When Idle.
		sim = await fastSimulator({ appIdReleaseMs: 1_500 });
		inject(sim, 40);
		sim.setFaults({ dropFeedMidLine: 1 });
		const result = await read({ startFrom: 'oldest', maxEvents: 100, options: { idleSeconds: 1, output: 'summary' } });
		expect(result.items[0].json).toMatchObject({ count: 40, nextOffsets: { '0': 40 }, stoppedBecause: 'caughtUp' });
	});

	it('keeps Falcon\'s status, code and trace id when discovery is refused', async () => {
		sim = await fastSimulator();
		sim.setFaults({ serverErrors: [{ pathPrefix: '/sensors/entities/datafeed/v2', count: 1, status: 403 }] });
		const result = await read({ startFrom: 'oldest' });
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.httpCode).toBe('403');
		expect(result.error?.description).toMatch(/trace_id: .+ \| .*Event streams: Read/);
	});

	it('reads nothing once the execution is cancelled (between two items, or during Latest\'s probe)', async () => {
		const calls: string[] = [];
		const record = (name: string) => () => {
			calls.push(name);
			throw new Error(`${name} called`);
		};
		const context = { getNode: record('getNode'), helpers: { httpRequest: record('httpRequest'), httpRequestWithAuthentication: record('httpRequestWithAuthentication') } };
		const cancelled = new AbortController();
		cancelled.abort();
		for (const start of [{ kind: 'oldest' as const }, { kind: 'latest' as const, count: 5 }]) {
			const result = await readBoundedSlice({
				api: context as never,
				feed: context as never,
				appId: 'cancelledRead1',
				eventTypes: [],
				start,
				maxEvents: 10,
				timeLimitMs: 5_000,
				idleMs: 300,
				signal: cancelled.signal,
			});
			expect(result).toEqual({ events: [], nextOffsets: {}, stoppedBecause: 'cancelled' });
		}
		expect(calls).toEqual([]);
	});

	it('rejects malformed offsets before any request', async () => {
		sim = await fastSimulator();
		const result = await read({ startFrom: 'offset', offsets: '0=abc' });
		expect(result.error?.message).toMatch(/Invalid "Offsets"/);
		expect(sim.state().requests).toHaveLength(0);
	});

	it.each([
		[{ partitions: '0, one' }, /Invalid "Partitions": each value must be a partition number such as 0 \(got "one"\)/],
		[{ partitions: ' , ' }, /Invalid "Partitions": must not be empty/],
		// The nextOffsets of a read that saw no event: a message that says what to do, not a bare refusal.
		[{ startFrom: 'offset', offsets: '={{ {} }}' }, /Invalid "Offsets": names no partition: the read it came from saw no event/],
		[{ options: { idleSeconds: 0 } }, /Invalid "Options > Stop When Idle \(Seconds\)": must be a number from 0.1 to 3600 \(got 0\)/],
		[{ options: { idleSeconds: -5 } }, /Invalid "Options > Stop When Idle \(Seconds\)": must be a number from 0.1/],
		// Sent as it was, it filtered every event out and the read came back empty without a word.
		[{ options: { customEventTypes: 'Epp-DetectionSummaryEvent' } }, /Invalid "Options > Custom Event Types": each value must be an event type name such as EppDetectionSummaryEvent \(got "Epp-DetectionSummaryEvent"\)/],
		[{ startFrom: 'offset', offsets: '0=99999999999999999999' }, /Invalid "Offsets": "0=99999999999999999999" is out of range/],
		// Else partition 1 was read from its oldest retained event, the offset given unused.
		[{ startFrom: 'offset', offsets: '0=8', partitions: '1' }, /"Offsets" names partition 0, none of the "Partitions" read \(1\): they would be read from their oldest retained event/],
	])('refuses %j before any request instead of reading other partitions or stopping at once', async (parameters, message) => {
		sim = await fastSimulator();
		const result = await read({ startFrom: 'oldest', ...parameters });
		expect(result.error?.message).toMatch(message);
		expect(sim.state().requests).toHaveLength(0);
	});
});
