/* eslint-disable @n8n/community-nodes/no-restricted-globals -- benchmark code, never part of the package */
import type { IDataObject } from 'n8n-workflow';

import { readBaseline } from './baselineReader';
import { n8nRequestHelpers, startBenchTrigger, type BenchTrigger, type DeliveryMode } from './benchTrigger';
import { withN8nHelper, withNodeHttp } from './feedBody';
import { readWithMinimalExecutions } from './minimalExecutionsReader';
import {
	liveResources,
	liveResourcesAfterGc,
	maxAbortListenersOnOneSignal,
	trackAbortListeners,
	type LiveResources,
} from './liveResources';
import { startLoopbackFeed, type LoopbackFeed } from './loopbackFeed';

// Run by streamHotPath.bench.ts in a plain node process (see transpileOnRequire.js); reports to it over IPC.

export interface Run {
	eventsPerSecond: number;
	cpuMicrosPerEvent: number;
}

export interface HotPathSettings {
	events: number;
	rounds: number;
	modes: DeliveryMode[];
	soakEvents: number;
}

/**
 * `baseline`: the bare node:http reader. `baselineN8n`: the same reader on the body n8n's request helper hands a
 * node. `minimalExecutions`: the bare reader plus n8n's minimum per execution, and `n8nFloor` the same on n8n's
 * helper: the least any node reading the feed through n8n could cost (both run when `event` mode does).
 */
export type Reader = 'baseline' | 'baselineN8n' | 'minimalExecutions' | 'n8nFloor';

export interface HotPathResults {
	runs: Record<Reader | DeliveryMode, Run[]>;
	/** Sampled four times in every measured trigger run. */
	duringRuns: LiveResources[];
	/** Per mode, sampled every tenth of the soak (empty without one). */
	soak: Partial<Record<DeliveryMode, LiveResources[]>>;
	maxAbortListenersOnOneSignal: number;
	maxListenersWarnings: number;
}

// Enough for the trigger's code to reach its optimised tiers: shorter warm-ups made every first round slower.
const WARM_UP_EVENTS = 100_000;

export async function runHotPathBench(settings: HotPathSettings): Promise<HotPathResults> {
	// An HTTP interceptor (nock, loaded by some test helpers) would sit in every socket read of both readers.
	const intercepting = Object.keys(require.cache).find((path) => /node_modules\/(nock|@mswjs)\//.test(path));
	if (intercepting) throw new Error(`an HTTP interceptor is loaded (${intercepting}): the figures would measure it`);
	const warnings = countMaxListenersWarnings();
	trackAbortListeners();
	const feed = await startLoopbackFeed();
	try {
		const restarted = await restartedState(feed);
		const perEvent = settings.modes.includes('event');
		const plain = withNodeHttp(feed.feedUrl);
		const throughN8n = withN8nHelper(n8nRequestHelpers(feed.url), feed.feedUrl);
		const readers: Array<[Reader, (events: number) => Promise<void>]> = [
			['baseline', async (events) => await readBaseline(plain, events)],
			['baselineN8n', async (events) => await readBaseline(throughN8n, events)],
		];
		if (perEvent) {
			readers.push(
				['minimalExecutions', async (events) => await readWithMinimalExecutions(plain, events)],
				['n8nFloor', async (events) => await readWithMinimalExecutions(throughN8n, events)],
			);
		}
		for (const [, read] of readers) await read(WARM_UP_EVENTS);
		for (const mode of settings.modes) await triggerRun(feed, mode, restarted, WARM_UP_EVENTS);
		const runs: HotPathResults['runs'] = { baseline: [], baselineN8n: [], minimalExecutions: [], n8nFloor: [], batch: [], event: [] };
		const duringRuns: LiveResources[] = [];
		// Interleaved, so a change in the machine's load touches every kind of run alike.
		for (let round = 0; round < settings.rounds; round++) {
			for (const [reader, read] of readers) runs[reader].push(await measure(settings.events, async () => await read(settings.events)));
			for (const mode of settings.modes) {
				runs[mode].push(await triggerRun(feed, mode, restarted, settings.events, (sample) => duringRuns.push(sample)));
			}
		}
		const soak: HotPathResults['soak'] = {};
		if (settings.soakEvents > 0) {
			for (const mode of settings.modes) soak[mode] = await soakRun(feed, mode, restarted, settings.soakEvents);
		}
		return {
			runs,
			duringRuns,
			soak,
			maxAbortListenersOnOneSignal: maxAbortListenersOnOneSignal(),
			maxListenersWarnings: warnings(),
		};
	} finally {
		await feed.close();
	}
}

/**
 * The static data an earlier activation left, position removed (every run reads the same bytes from offset 0):
 * its health record comes back inside n8n's change-tracking proxies, as after a restart.
 */
async function restartedState(feed: LoopbackFeed): Promise<IDataObject> {
	const first = await startBenchTrigger(feed.url, 'batch');
	await first.reached(1_000);
	await first.close();
	const state = { ...(first.staticData()['node:Falcon Trigger'] as IDataObject) };
	delete state.offsets;
	delete state.openBatches;
	return { 'node:Falcon Trigger': state };
}

/** One activation from offset 0 to `events` delivered, sampling live resources four times on the way. */
async function triggerRun(
	feed: LoopbackFeed,
	mode: DeliveryMode,
	staticData: IDataObject,
	events: number,
	sample?: (resources: LiveResources) => void,
): Promise<Run> {
	let trigger: BenchTrigger | undefined;
	try {
		return await measure(events, async () => {
			trigger = await startBenchTrigger(feed.url, mode, staticData);
			for (const share of [0.25, 0.5, 0.75, 1]) {
				await trigger.reached(Math.round(events * share));
				sample?.(liveResources());
			}
		});
	} finally {
		await trigger?.close();
	}
}

async function soakRun(feed: LoopbackFeed, mode: DeliveryMode, staticData: IDataObject, events: number): Promise<LiveResources[]> {
	const samples: LiveResources[] = [];
	const every = Math.max(1, Math.floor(events / 10));
	const trigger = await startBenchTrigger(feed.url, mode, staticData);
	try {
		for (let reached = every; reached <= events; reached += every) {
			await trigger.reached(reached);
			samples.push(liveResourcesAfterGc());
		}
	} finally {
		await trigger.close();
	}
	return samples;
}

async function measure(events: number, run: () => Promise<void>): Promise<Run> {
	const cpu = process.cpuUsage();
	const started = process.hrtime.bigint();
	await run();
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	const used = process.cpuUsage(cpu);
	return { eventsPerSecond: events / seconds, cpuMicrosPerEvent: (used.user + used.system) / events };
}

function countMaxListenersWarnings(): () => number {
	let count = 0;
	process.on('warning', (warning) => {
		if (warning.name === 'MaxListenersExceededWarning') count++;
	});
	return () => count;
}

if (require.main === module) {
	const settings = JSON.parse(process.argv[2] ?? '{}') as HotPathSettings;
	runHotPathBench(settings).then(
		(results) => {
			if (process.send) process.send(results, undefined, {}, () => process.exit(0));
			else {
				process.stdout.write(`${JSON.stringify(results, null, 1)}\n`);
				process.exit(0);
			}
		},
		(error: Error) => {
			process.stderr.write(`${error.stack ?? error.message}\n`);
			process.exit(1);
		},
	);
}
