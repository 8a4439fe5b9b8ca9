/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- benchmark code, never part of the package */
import { fork } from 'node:child_process';
import { join } from 'node:path';

import { printReport, record } from './report';
import { cpuPinning, pinnedTo } from './streamHotPath/cpuPinning';
import type { DeliveryMode } from './streamHotPath/benchTrigger';
import type { LiveResources } from './streamHotPath/liveResources';
import type { HotPathResults, HotPathSettings, Run } from './streamHotPath/runHotPathBench';

// The trigger's stream path (the real trigger node in n8n-core's TriggerContext, executions reported finished at
// once) against a bare node:http reader of the same bytes, in the same run, from a loopback feed in another process;
// also against that reader on the body n8n's request helper hands a node (feedBody.ts), and with one execution per
// event against those readers plus only what n8n needs per execution (minimalExecutionsReader.ts): on n8n's helper,
// the floor of any node that reads the feed through n8n.
// The measuring process is a plain node, not this jest worker: jest's vm sandbox turns every global lookup into an
// interceptor call, which n8n does not have. Options: STREAM_HOT_PATH_EVENTS (events per run, 200k),
// STREAM_HOT_PATH_ROUNDS (5; medians are reported, ratios are taken within a round), STREAM_HOT_PATH_MODES
// (batch,event), STREAM_HOT_PATH_SOAK_EVENTS=1000000 (also follows timers, abort listeners and RSS over that many
// events), STREAM_HOT_PATH_PIN=0 (no CPU pinning; see cpuPinning.ts).
const settings: HotPathSettings = {
	events: Number(process.env.STREAM_HOT_PATH_EVENTS ?? 200_000),
	rounds: Number(process.env.STREAM_HOT_PATH_ROUNDS ?? 5),
	modes: (process.env.STREAM_HOT_PATH_MODES ?? 'batch,event').split(',') as DeliveryMode[],
	soakEvents: Number(process.env.STREAM_HOT_PATH_SOAK_EVENTS ?? 0),
};
const pinning = cpuPinning();
const LABELS: Record<DeliveryMode, string> = { batch: 'trigger, batches of 100', event: 'trigger, execution per event' };
const THROUGH_N8N = 'bare, body from n8n helper';
const MINIMAL = 'bare + n8n minimum per exec.';
const FLOOR = 'n8n floor: helper + minimum';

let results: HotPathResults;

beforeAll(async () => {
	results = await measureInPlainNode(settings);
});

afterAll(() => {
	const pinned = pinning.measured ? `, measured on CPU ${pinning.measured}, feed on CPU ${pinning.feed}` : ', not pinned to CPUs';
	printReport(`Stream hot path (${new Date().toISOString()}, ${settings.events} events per run, median of ${settings.rounds}${pinned})`);
});

it('reads the stream at a rate close to a bare reader of the same bytes', () => {
	const { baseline, baselineN8n, minimalExecutions: minimal, n8nFloor } = results.runs;
	// Each round's run against the same round's yardstick: neighbours in time share the machine's load.
	const cpuRatio = (label: string, metric: string, runs: Run[], yardstick: Run[]) =>
		record(label, metric, middle(runs.map((run, round) => yardstick[round].cpuMicrosPerEvent / run.cpuMicrosPerEvent)));
	report('bare node:http reader', baseline);
	report(THROUGH_N8N, baselineN8n);
	cpuRatio(THROUGH_N8N, 'ratio: CPU per event, bare/this', baselineN8n, baseline);
	for (const mode of settings.modes) {
		const trigger = results.runs[mode];
		report(LABELS[mode], trigger);
		record(LABELS[mode], 'ratio: events/s of the bare reader', middle(trigger.map((run, round) => run.eventsPerSecond / baseline[round].eventsPerSecond)));
		cpuRatio(LABELS[mode], 'ratio: CPU per event, bare/trigger', trigger, baseline);
		cpuRatio(LABELS[mode], 'ratio: CPU, bare on n8n helper/trigger', trigger, baselineN8n);
	}
	if (minimal.length > 0) {
		// What one execution per event could reach at best: the reader plus only what n8n requires per execution.
		report(MINIMAL, minimal);
		cpuRatio(MINIMAL, 'ratio: CPU per event, bare/this', minimal, baseline);
		report(FLOOR, n8nFloor);
		cpuRatio(FLOOR, 'ratio: CPU per event, bare/this', n8nFloor, baseline);
		cpuRatio(LABELS.event, 'ratio: CPU per event, minimum/trigger', results.runs.event, minimal);
		cpuRatio(LABELS.event, 'ratio: CPU per event, n8n floor/trigger', results.runs.event, n8nFloor);
	}
	expectFlat('during the runs', results.duringRuns);
	record('during the runs', 'most abort listeners on one signal', results.maxAbortListenersOnOneSignal);
	record('during the runs', 'MaxListenersExceededWarning', results.maxListenersWarnings);
	expect(results.maxListenersWarnings).toBe(0);
	expect(results.maxAbortListenersOnOneSignal).toBeLessThanOrEqual(10);
});

(settings.soakEvents > 0 ? it : it.skip)('keeps timers, listeners and memory flat over a long run', () => {
	for (const mode of settings.modes) {
		const samples = results.soak[mode]!;
		const label = `${settings.soakEvents} events, ${mode === 'batch' ? 'batches' : 'per event'}`;
		expectFlat(label, samples);
		const growth = samples[samples.length - 1].rssMb - samples[0].rssMb;
		record(label, `RSS MB at ${settings.soakEvents / 10} events (after a full GC)`, samples[0].rssMb);
		record(label, 'RSS growth MB from there to the end', growth);
		const heapGrowth = samples[samples.length - 1].heapUsedMb - samples[0].heapUsedMb;
		record(label, 'heap used MB, growth to the end', samples[0].heapUsedMb, `${heapGrowth >= 0 ? '+' : ''}${heapGrowth.toFixed(1)}`);
		expect(growth).toBeLessThan(10);
	}
});

async function measureInPlainNode(wanted: HotPathSettings): Promise<HotPathResults> {
	const child = fork(join(__dirname, 'streamHotPath', 'runHotPathBench.ts'), [JSON.stringify(wanted)], {
		// --expose-gc: soak samples are taken after a full collection (see liveResourcesAfterGc).
		...pinnedTo(pinning.measured, ['--expose-gc', '-r', join(__dirname, 'streamHotPath', 'transpileOnRequire.js')]),
		env: { ...process.env, N8N_LOG_LEVEL: 'silent', STREAM_HOT_PATH_FEED_CPU: pinning.feed ?? '' },
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});
	return await new Promise<HotPathResults>((resolve, reject) => {
		child.once('message', (message) => resolve(message as HotPathResults));
		child.once('exit', (code) => reject(new Error(`the hot path bench exited with ${code} before reporting`)));
	});
}

/** Timers and abort listeners stay within a small constant, however many events went through. */
function expectFlat(label: string, samples: LiveResources[]): void {
	const timers = samples.map((sample) => sample.timers);
	const listeners = samples.map((sample) => sample.abortListeners);
	record(label, 'live timers, min / max', Math.min(...timers), `max ${Math.max(...timers)}`);
	record(label, 'abort listeners, min / max', Math.min(...listeners), `max ${Math.max(...listeners)}`);
	expect(Math.max(...timers) - Math.min(...timers)).toBeLessThanOrEqual(3);
	expect(Math.max(...listeners) - Math.min(...listeners)).toBeLessThanOrEqual(3);
}

/** The median. */
function middle(values: number[]): number {
	return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

function report(label: string, runs: Run[]): void {
	record(label, 'events/s', Math.round(middle(runs.map((run) => run.eventsPerSecond))));
	record(label, 'CPU µs per event', middle(runs.map((run) => run.cpuMicrosPerEvent)));
}
