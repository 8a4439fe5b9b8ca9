import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../../simulator';
import { testCredentials } from '../../harness/falcon';
import { startTrigger, until, type RunningTrigger, type TriggerOptions } from '../../harness/runTrigger';
import type { TestCredentialsHelper } from '../../harness/credentials';

/** Short intervals everywhere, so every fault plays out in well under a second. */
export const FAST_OPTIONS = {
	reconnectDelaySeconds: 0.02,
	reconnectMaxDelaySeconds: 0.2,
	watchdogSeconds: 0.5,
	emptyDiscoveryLimitMinutes: 0.2,
	alertAfterDownMinutes: 0,
};

export async function fastSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
	return await startSimulator({ seed: 5, keepAliveMs: 50, refreshIntervalSeconds: 30, ...options });
}

export function credentialsFor(sim: RunningSimulator): TestCredentialsHelper {
	return testCredentials({ baseUrl: sim.url, clientId: sim.clientId, clientSecret: sim.clientSecret });
}

export function triggerParameters(overrides: INodeParameters = {}, options: IDataObject = {}): INodeParameters {
	return {
		startFrom: 'stored',
		delivery: 'event',
		options: { ...FAST_OPTIONS, whenNothingStored: 'oldest', ...options },
		...overrides,
	};
}

/**
 * `activate` for a test file whose tests start triggers: each trigger it started is closed after its test, then
 * the simulator `simulator()` returns (the file's current one).
 */
export function activationsClosedAfterEach(simulator: () => RunningSimulator | undefined): typeof activate {
	const triggers: RunningTrigger[] = [];
	afterEach(async () => {
		for (const trigger of triggers.splice(0)) await trigger.close();
		await simulator()?.close();
	});
	return async (...args) => {
		const trigger = await activate(...args);
		triggers.push(trigger);
		return trigger;
	};
}

export const wait = async (ms: number) => await sleep(ms);

/** `partition:offset` of every event executions ran with (refused repeats are not executions). */
export function executedKeys(...runs: RunningTrigger[]): string[] {
	return runs.flatMap((run) =>
		run.executions.flatMap((execution) =>
			execution.items.map(({ json }) => `${(json.stream as IDataObject).partition}:${(json.stream as IDataObject).offset}`),
		),
	);
}

/** Waits until executions ran every key; `executedIn` names the events they ran (default `partition:offset`). */
export async function untilExecuted(
	runs: RunningTrigger[],
	keys: string[],
	timeoutMs = 15_000,
	executedIn: (...runs: RunningTrigger[]) => string[] = executedKeys,
): Promise<void> {
	const missing = () => {
		const seen = new Set(executedIn(...runs));
		return keys.filter((key) => !seen.has(key));
	};
	await until(() => missing().length === 0, timeoutMs, `${keys.length} events to run (missing ${missing().slice(0, 5).join(', ')})`);
}

/** The keys seen more than once. */
export function repeated(keys: string[]): string[] {
	const seen = new Set<string>();
	return keys.filter((key) => seen.has(key) || !seen.add(key));
}

/** What `n8n stop` does: close the trigger, then wait for the running executions (their commits stay in memory). */
export async function stopLikeN8n(trigger: RunningTrigger): Promise<IDataObject> {
	await trigger.close();
	await until(() => trigger.inFlight() === 0, 10_000, 'running executions to finish');
	return trigger.persisted();
}

export async function activate(
	sim: RunningSimulator,
	parameters: INodeParameters,
	options: TriggerOptions & { credentials?: TestCredentialsHelper } = {},
): Promise<RunningTrigger> {
	return await startTrigger(parameters, options.credentials ?? credentialsFor(sim), options);
}

/** Injects `count` events spread round-robin over the partitions; returns their keys `partition:offset`. */
export function inject(sim: RunningSimulator, count: number, partitions = 1, eventType = 'EppDetectionSummaryEvent'): string[] {
	const keys: string[] = [];
	for (let index = 0; index < count; index++) {
		const { partition, offset } = sim.injectEvent({ eventType, partition: index % partitions });
		keys.push(`${partition}:${offset}`);
	}
	return keys;
}

/** Every event the simulator holds, as `partition:offset` keys. */
export function allGenerated(sim: RunningSimulator): string[] {
	const counts = (sim.state() as unknown as { streams: { eventCounts: number[] } }).streams.eventCounts;
	return counts.flatMap((count, partition) => Array.from({ length: count }, (_, offset) => `${partition}:${offset}`));
}

export function emittedKeys(trigger: RunningTrigger): string[] {
	return trigger.items().map((item) => {
		const stream = item.stream as IDataObject;
		return `${stream.partition}:${stream.offset}`;
	});
}

export async function untilEmitted(trigger: RunningTrigger, keys: string[], timeoutMs = 10_000): Promise<void> {
	await until(
		() => {
			const seen = new Set(emittedKeys(trigger));
			return keys.every((key) => seen.has(key));
		},
		timeoutMs,
		`events ${keys.length} to be emitted (have ${new Set(emittedKeys(trigger)).size})`,
	);
}

export async function untilCommitted(trigger: RunningTrigger, expected: Record<string, number>, timeoutMs = 10_000): Promise<void> {
	await until(
		() => {
			const offsets = (trigger.nodeState()?.offsets ?? {}) as IDataObject;
			return Object.entries(expected).every(([partition, offset]) => offsets[partition] === offset);
		},
		timeoutMs,
		`committed offsets ${JSON.stringify(expected)} (have ${JSON.stringify(trigger.nodeState()?.offsets)})`,
	);
}
