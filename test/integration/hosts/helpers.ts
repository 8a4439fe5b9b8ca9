import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import {
	startSimulator,
	type HostSummary,
	type RequestLogEntry,
	type RunningSimulator,
	type SimulatorOptions,
} from '../../../simulator';
import { TestCredentialsHelper } from '../../harness/credentials';
import { runNode } from '../../harness/runWorkflow';

export const HOSTS_NODE = 'n8n-nodes-crowdstrike-falcon.crowdStrikeFalconHosts';
export const ALERTS_NODE = 'n8n-nodes-crowdstrike-falcon.crowdStrikeFalconAlerts';
export const RTR_NODE = 'n8n-nodes-crowdstrike-falcon.crowdStrikeFalconRealTimeResponse';

export const DEVICES = {
	query: '/devices/queries/devices/v1',
	scroll: '/devices/queries/devices-scroll/v1',
	details: '/devices/entities/devices/v2',
	action: '/devices/entities/devices-actions/v2',
	tags: '/devices/entities/devices/tags/v1',
} as const;

export const ALERTS = {
	query: '/alerts/queries/alerts/v2',
	combined: '/alerts/combined/alerts/v1',
	entities: '/alerts/entities/alerts/v2',
	update: '/alerts/entities/alerts/v3',
} as const;

/** Containment completes quickly, so "Wait Until Contained" finishes within a test's budget. */
export async function startHostsSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
	return await startSimulator({ seed: 23, containmentDelayMs: 400, commandCompleteAfterMs: 150, ...options });
}

export function credentialsFor(sim: RunningSimulator): TestCredentialsHelper {
	return new TestCredentialsHelper({ cloud: 'custom', baseUrl: sim.url, clientId: sim.clientId, clientSecret: sim.clientSecret });
}

type RunOptions = { input?: INodeExecutionData[]; continueOnFail?: boolean; cancelWhen?: Promise<unknown> };

export async function runHosts(sim: RunningSimulator, parameters: INodeParameters, options: RunOptions = {}) {
	return await runNode(HOSTS_NODE, parameters, credentialsFor(sim), options);
}

export async function runAlerts(sim: RunningSimulator, parameters: INodeParameters, options: RunOptions = {}) {
	return await runNode(ALERTS_NODE, parameters, credentialsFor(sim), options);
}

export async function runRtr(sim: RunningSimulator, parameters: INodeParameters, options: RunOptions = {}) {
	return await runNode(RTR_NODE, parameters, credentialsFor(sim), options);
}

export const json = (items: INodeExecutionData[]): IDataObject[] => items.map((item) => item.json);

/** Host picker values as n8n stores a resource locator. */
export const byId = (value: string) => ({ __rl: true, mode: 'id', value });
export const byHostname = (value: string) => ({ __rl: true, mode: 'hostname', value });

/** Input items, one per value, as `{ json: { host } }`. */
export const items = (values: unknown[], key = 'host'): INodeExecutionData[] =>
	values.map((value) => ({ json: { [key]: value } as IDataObject }));

/** The simulator's request log, narrowed to one method and exact path. */
export function requests(sim: RunningSimulator, method: string, path: string): RequestLogEntry[] {
	return sim.state().requests.filter((entry) => entry.method === method && entry.path === path);
}

/** The simulator's own view of one fleet host (containment status, tags, connectivity). */
export function hostState(sim: RunningSimulator, aid: string): HostSummary {
	const found = sim.state().hosts.find((host) => host.device_id === aid);
	if (!found) throw new Error(`host ${aid} is not in the simulator's fleet`);
	return found;
}

/** Resolves once the simulator has answered a request matching `method` and `path`. */
export async function answered(sim: RunningSimulator, method: string, path: string, timeoutMs = 10_000): Promise<void> {
	const until = Date.now() + timeoutMs;
	while (requests(sim, method, path).length === 0) {
		if (Date.now() > until) throw new Error(`no ${method} ${path} within ${timeoutMs} ms`);
		await sleep(5);
	}
}

/** The seeded fleet's fixed roles (see buildFleet): online Windows, Linux and Mac, then two offline hosts. */
export function roles(sim: RunningSimulator) {
	const [windows, linux, mac, offlineWindows, offlineLinux] = sim.fleet;
	return { windows, linux, mac, offlineWindows, offlineLinux };
}
