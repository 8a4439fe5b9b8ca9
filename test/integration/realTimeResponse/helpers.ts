import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import {
	startSimulator,
	type FleetHost,
	type RequestLogEntry,
	type RunningSimulator,
	type SimulatorOptions,
} from '../../../simulator';
import { TestCredentialsHelper } from '../../harness/credentials';
import { runNode } from '../../harness/runWorkflow';

export const NODE = 'n8n-nodes-crowdstrike-falcon.crowdStrikeFalconRealTimeResponse';
export const RTR = '/real-time-response';

export async function startRtrSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
	return await startSimulator({ seed: 11, commandCompleteAfterMs: 300, fileUploadAfterMs: 300, ...options });
}

export function credentialsFor(sim: RunningSimulator): TestCredentialsHelper {
	return new TestCredentialsHelper({ cloud: 'custom', baseUrl: sim.url, clientId: sim.clientId, clientSecret: sim.clientSecret });
}

export async function run(
	sim: RunningSimulator,
	parameters: INodeParameters,
	options: { input?: INodeExecutionData[]; continueOnFail?: boolean; cancelWhen?: Promise<unknown> } = {},
) {
	return await runNode(NODE, parameters, credentialsFor(sim), options);
}

/** The fixed roles of the seeded fleet: online Windows, Linux and Mac hosts, and two offline ones. */
export function hosts(sim: RunningSimulator): { windows: FleetHost; linux: FleetHost; mac: FleetHost; offline: FleetHost } {
	const [windows, linux, mac, offline] = sim.fleet;
	return { windows, linux, mac, offline };
}

export function requests(sim: RunningSimulator, method: string, path: string): RequestLogEntry[] {
	return sim.state().requests.filter((entry) => entry.method === method && entry.path === `${RTR}${path}`);
}

/** Resolves once the simulator has answered `times` requests matching `method` and `path`. */
export async function answered(sim: RunningSimulator, method: string, path: string, times = 1, timeoutMs = 10_000): Promise<void> {
	const until = Date.now() + timeoutMs;
	while (requests(sim, method, path).length < times) {
		if (Date.now() > until) throw new Error(`no ${times} × ${method} ${path} within ${timeoutMs} ms`);
		await sleep(5);
	}
}
