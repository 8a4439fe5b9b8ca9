/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console -- a measurement, run on demand, that prints its samples */
import type { RunningSimulator } from '../../../simulator';
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
		sim = await fastSimulator({ partitions: 4, eventsPerSecond: 500, keepAliveMs: 1_000, refreshIntervalSeconds: 5, maxRetainedEvents: 2_000 });
		trigger = await activate(sim, triggerParameters({}, { maxInFlight: 5, watchdogSeconds: 30 }), { executionMs: 20 });
		const samples: Array<{ at: number; heapMb: number; emitted: number; produced: number }> = [];
		const started = Date.now();
		while (Date.now() - started < seconds * 1000) {
			await new Promise((resolve) => setTimeout(resolve, 5_000));
			global.gc?.();
			const produced = (sim.state() as unknown as { streams: { eventCounts: number[] } }).streams.eventCounts.reduce((a, b) => a + b, 0);
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
