import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { RunningSimulator } from '../../../simulator';
import type { RunningTrigger } from '../../harness/runTrigger';
import { triggerParameters, untilExecuted as untilRun } from './helpers';

/** The trigger following child tenants, reading the children again every 0.6 s. */
export function childTenantsParameters(overrides: INodeParameters = {}, options: IDataObject = {}): INodeParameters {
	return triggerParameters({ tenants: 'allChildren', ...overrides }, { childListRefreshMinutes: 0.01, ...options });
}

/** Injects events into one tenant's stream, round-robin over its partitions; returns `cid/partition:offset` keys. */
export function injectInto(sim: RunningSimulator, cid: string, count: number, partitions = 1): string[] {
	return Array.from({ length: count }, (_, index) => {
		const { partition, offset } = sim.injectEvent({ cid, eventType: 'EppDetectionSummaryEvent', partition: index % partitions });
		return `${cid}/${partition}:${offset}`;
	});
}

/** Every event a tenant's stream holds, as `cid/partition:offset`. */
export function allGeneratedIn(sim: RunningSimulator, cid: string): string[] {
	const counts = sim.state().tenants[cid].streams.eventCounts;
	return counts.flatMap((count, partition) => Array.from({ length: count }, (_, offset) => `${cid}/${partition}:${offset}`));
}

function keyOf(json: IDataObject): string {
	const stream = json.stream as IDataObject;
	return `${stream.cid}/${stream.partition}:${stream.offset}`;
}

/** `cid/partition:offset` of every event executions ran with (refused repeats are not executions). */
export function executedEvents(...runs: RunningTrigger[]): string[] {
	return runs.flatMap((run) => run.executions.flatMap((execution) => execution.items.map(({ json }) => keyOf(json))));
}

/** Waits until executions ran every `cid/partition:offset` key. */
export async function untilExecuted(runs: RunningTrigger[], keys: string[], timeoutMs?: number): Promise<void> {
	await untilRun(runs, keys, timeoutMs, executedEvents);
}

/** A child's stored state (`tenants[cid]` of the node's static data), in memory. */
export function childState(trigger: RunningTrigger, cid: string): IDataObject {
	return ((trigger.nodeState()?.tenants ?? {}) as IDataObject)[cid] as IDataObject;
}

export function childHealth(trigger: RunningTrigger, cid: string): IDataObject {
	return (childState(trigger, cid)?.health ?? {}) as IDataObject;
}
