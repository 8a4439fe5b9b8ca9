/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console -- a measurement, run on demand, that prints its samples */
import nock from 'nock';

import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, type RunningSimulator } from '../../../simulator';
import type { RunningTrigger } from '../../harness/runTrigger';
import { activate, fastSimulator, triggerParameters } from './helpers';

// Memory under a long run where workflows are slower than the stream: STREAM_SOAK_SECONDS=120 npx jest soak.
// Skipped in the normal suite; prints heap samples and asserts the heap does not grow with the backlog.
const seconds = Number(process.env.STREAM_SOAK_SECONDS ?? 0);
const soak = seconds > 0 ? it : it.skip;

let sim: RunningSimulator;
let trigger: RunningTrigger | undefined;

afterAll(async () => {
	await trigger?.close();
	await sim?.close();
});

soak(
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
		console.log(JSON.stringify(samples));
		const firstHalf = samples.slice(1, Math.ceil(samples.length / 2)).map((sample) => sample.heapMb);
		const secondHalf = samples.slice(Math.ceil(samples.length / 2)).map((sample) => sample.heapMb);
		expect(Math.max(...secondHalf)).toBeLessThan(Math.max(...firstHalf) * 1.5 + 20);
		expect(trigger.maxInFlight()).toBeLessThanOrEqual(5);
	},
	(seconds + 60) * 1000,
);
