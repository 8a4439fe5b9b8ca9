/* eslint-disable @n8n/community-nodes/no-restricted-globals -- a measurement over wall-clock time */
import nock from 'nock';

import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, type RunningSimulator } from '../simulator';
import type { RunningTrigger } from '../test/harness/runTrigger';
import { activate, fastSimulator, triggerParameters } from '../test/integration/trigger/helpers';
import { printReport, record } from './report';

// Memory under a long run where workflows are slower than the stream (30 s by default; STREAM_SOAK_SECONDS=600 for a
// longer one): the heap must not grow with the backlog, because the trigger stops reading instead of buffering.
const seconds = Number(process.env.STREAM_SOAK_SECONDS ?? 30);

let sim: RunningSimulator;
let trigger: RunningTrigger | undefined;

afterAll(async () => {
	printReport(`Event stream trigger memory (${new Date().toISOString()})`);
	await trigger?.close();
	await sim?.close();
});

it(
	'keeps memory flat while the backlog grows',
	async () => {
		// nock's interceptor (installed by test/setup.ts) keeps a copy of passthrough response bodies, which would
		// grow with every byte of the feed; a real n8n has no such layer.
		nock.restore();
		// STREAM_SOAK_SIMULATOR=http://127.0.0.1:PORT measures against a simulator in another process, so the heap
		// below is the trigger's alone (an in-process simulator buffers what it writes to a slow reader).
		const external = process.env.STREAM_SOAK_SIMULATOR;
		sim = external
			? ({ url: external, clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, close: async () => undefined } as unknown as RunningSimulator)
			: await fastSimulator({ partitions: 4, eventsPerSecond: 500, keepAliveMs: 1_000, refreshIntervalSeconds: 5, maxRetainedEvents: 2_000 });
		trigger = await activate(sim, triggerParameters({}, { maxInFlight: 5, watchdogSeconds: 30 }), { executionMs: 20 });
		const samples: Array<{ at: number; heapMb: number; emitted: number; produced: number }> = [];
		const started = Date.now();
		while (Date.now() - started < seconds * 1000) {
			await new Promise((resolve) => setTimeout(resolve, 5_000));
			global.gc?.();
			const produced = external
				? -1
				: (sim.state() as unknown as { streams: { eventCounts: number[] } }).streams.eventCounts.reduce((a, b) => a + b, 0);
			samples.push({
				at: Math.round((Date.now() - started) / 1000),
				heapMb: Math.round(process.memoryUsage().heapUsed / 1e5) / 10,
				emitted: trigger.executions.length,
				produced,
			});
			// The harness keeps every emitted item for assertions; drop them so only the trigger's memory counts.
			trigger.executions.splice(0, trigger.executions.length);
		}
		const emitted = samples.reduce((sum, sample) => sum + sample.emitted, 0);
		const last = samples[samples.length - 1];
		record('trigger, slow workflows', 'seconds', seconds);
		record('trigger, slow workflows', 'executions', emitted, '20 ms each, at most 5 in flight');
		if (last.produced >= 0) record('trigger, slow workflows', 'events produced / executed', last.produced / Math.max(emitted, 1), 'backlog left with Falcon');
		record('trigger, slow workflows', 'heap MB, first sample', samples[0].heapMb);
		record('trigger, slow workflows', 'heap MB, last sample', last.heapMb);
		record('trigger, slow workflows', 'heap growth ratio', last.heapMb / samples[0].heapMb);
		record('trigger, slow workflows', 'max executions in flight', trigger.maxInFlight());
		const firstHalf = samples.slice(1, Math.ceil(samples.length / 2)).map((sample) => sample.heapMb);
		const secondHalf = samples.slice(Math.ceil(samples.length / 2)).map((sample) => sample.heapMb);
		expect(Math.max(...secondHalf)).toBeLessThan(Math.max(...firstHalf) * 1.5 + 20);
		expect(trigger.maxInFlight()).toBeLessThanOrEqual(5);
	},
	(seconds + 60) * 1000,
);
