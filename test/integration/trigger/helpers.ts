import type { IDataObject, INodeParameters } from 'n8n-workflow';

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
