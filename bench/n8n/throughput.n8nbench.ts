/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- benchmark code, never part of the package */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { IDataObject } from 'n8n-workflow';

import { noOpStep, triggerChainWorkflow, type TriggerChain } from '../../test/e2e/harness/triggerWorkflow';
import { workflowId } from '../../test/e2e/harness/workflows';
import { benchOutput, startBenchInstance } from './benchInstance';
import { measureDrain, type DrainResult } from './drain';

// Throughput of the CrowdStrike Falcon Trigger into finished n8n executions: a backlog waits in the simulator,
// the workflow (trigger → No Operation) is published, and n8n drains it. Every figure comes from n8n's database
// (execution rows and timestamps, table statistics), Postgres' pg_stat_statements and /proc.
//   BENCH_MODES=regular,queue1,queue2   BENCH_DELIVERIES=event,batch100,batch1000
//   BENCH_EVENTS=100000 (batches)       BENCH_EVENTS_PER_EVENT=10000 (one execution per event)
//   BENCH_MAX_IN_FLIGHT=<n> (the trigger's Max Executions in Flight; default: the node's default, 5)

const env = process.env;
const list = (value: string | undefined, all: string[]) => (value ? value.split(',').map((item) => item.trim()) : all);
const EVENTS = Number(env.BENCH_EVENTS ?? 100_000);
const EVENTS_PER_EVENT = Number(env.BENCH_EVENTS_PER_EVENT ?? 10_000);
const MAX_IN_FLIGHT = env.BENCH_MAX_IN_FLIGHT ? Number(env.BENCH_MAX_IN_FLIGHT) : undefined;
/** A realistic event size: Falcon detections are 1–3 KB of JSON; the simulator's bare custom events are ~0.3 KB. */
const PADDING = 'x'.repeat(1_000);

const modes = [
	{ key: 'regular', label: 'regular', mode: 'regular' as const, workers: 0 },
	{ key: 'queue1', label: 'queue, 1 worker', mode: 'queue' as const, workers: 1 },
	{ key: 'queue2', label: 'queue, 2 workers', mode: 'queue' as const, workers: 2 },
].filter((mode) => list(env.BENCH_MODES, ['regular', 'queue1', 'queue2']).includes(mode.key));

const deliveries = [
	{ key: 'event', label: 'one execution per event', events: EVENTS_PER_EVENT, trigger: { delivery: 'event' } },
	{ key: 'batch100', label: 'batches of 100', events: EVENTS, trigger: { delivery: 'batch', batchSize: 100, batchMaxWaitSeconds: 1 } },
	{ key: 'batch1000', label: 'batches of 1000', events: EVENTS, trigger: { delivery: 'batch', batchSize: 1000, batchMaxWaitSeconds: 1 } },
].filter((delivery) => list(env.BENCH_DELIVERIES, ['event', 'batch100', 'batch1000']).includes(delivery.key));

function eventType(deliveryKey: string): string {
	return `Bench${deliveryKey[0].toUpperCase()}${deliveryKey.slice(1)}Event`;
}

function chainFor(delivery: (typeof deliveries)[number]): TriggerChain {
	return {
		name: `bench ${delivery.key}`,
		triggerName: 'Falcon Trigger',
		trigger: {
			eventTypes: [],
			customEventTypes: eventType(delivery.key),
			startFrom: 'stored',
			...delivery.trigger,
			options: { whenNothingStored: 'oldest', ...(MAX_IN_FLIGHT ? { maxInFlight: MAX_IN_FLIGHT } : {}) },
		},
		steps: [noOpStep],
	};
}

const results: Array<IDataObject & DrainResult> = [];

function report(): void {
	mkdirSync(benchOutput, { recursive: true });
	writeFileSync(join(benchOutput, `results-${new Date().toISOString().slice(0, 19).replace(/:/g, '-')}.json`), JSON.stringify(results, null, 2));
	const perEvent = (r: DrainResult, match: (name: string) => boolean) =>
		Math.round(
			(Object.entries(r.cpuSeconds)
				.filter(([name]) => match(name))
				.reduce((sum, [, seconds]) => sum + seconds, 0) /
				r.events) *
				10_000,
		) / 10;
	const rows = results.map((r) =>
		[
			r.mode,
			r.delivery,
			r.maxInFlight,
			r.events.toLocaleString('en'),
			r.executions.toLocaleString('en'),
			r.eventsPerSecond,
			r.drainSeconds,
			r.staticDataSavesPerEvent,
			`${r.staticDataSaveDbSeconds} / ${r.allStatementsDbSeconds}`,
			`${perEvent(r, (name) => name === 'n8n main')} / ${perEvent(r, (name) => name.includes('worker'))} / ${perEvent(r, (name) => name === 'postgres' || name === 'redis')}`,
			r.loadBefore,
		].join(' | '),
	);
	console.log(
		[
			'| mode | delivery | max in flight | events | executions | events/s | drain s | static-data saves per event | DB s in static-data saves / all statements | CPU ms per event: main / workers / Postgres+Redis | load before |',
			'| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
			...rows.map((row) => `| ${row} |`),
		].join('\n'),
	);
}

afterAll(() => report());

test.each(modes)('throughput into n8n executions: $label', async (mode) => {
	const chains = deliveries.map(chainFor);
	const instance = await startBenchInstance(mode.key, {
		mode: mode.mode,
		workers: mode.workers,
		retainedEvents: Math.max(EVENTS, EVENTS_PER_EVENT),
		workflows: (target) => chains.map((chain) => triggerChainWorkflow(target, chain)),
	});
	try {
		for (const [index, delivery] of deliveries.entries()) {
			// A fresh stream for each run: offsets from 0, only this run's backlog retained.
			instance.simulator.reset();
			for (let event = 0; event < delivery.events; event++) {
				instance.simulator.injectEvent({ eventType: eventType(delivery.key), partition: event % 2, event: { Details: PADDING } });
			}
			const loadBefore = loadavg()[0].toFixed(2);
			const result = await measureDrain(instance, workflowId(chains[index].name), delivery.events, 4 * 60 * 60 * 1000);
			results.push({ mode: mode.label, delivery: delivery.label, maxInFlight: MAX_IN_FLIGHT ?? 5, loadBefore, ...result });
			console.log(JSON.stringify(results[results.length - 1]));
			expect(result.repeats).toBe(0);
		}
	} finally {
		await instance.stop();
	}
});
