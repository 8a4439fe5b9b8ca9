import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { testCredentials } from '../../harness/falcon';
import { runNode } from '../../harness/runWorkflow';

export { falcon, json, meta } from '../realTimeResponse/helpers';

export const HOSTS_NODE = 'n8n-nodes-crowdstrike-falcon.crowdStrikeFalconHosts';
export const RTR_NODE = 'n8n-nodes-crowdstrike-falcon.crowdStrikeFalconRealTimeResponse';

export const DEVICES = {
	query: '/devices/queries/devices/v1',
	scroll: '/devices/queries/devices-scroll/v1',
	details: '/devices/entities/devices/v2',
	action: '/devices/entities/devices-actions/v2',
	tags: '/devices/entities/devices/tags/v1',
} as const;

export const HOST_A = '4f1c6a2b9d3e4f5a8b7c6d5e4f3a2b1c';
export const HOST_B = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
export const HOST_C = 'ffeeddccbbaa99887766554433221100';
export const HOST_D = '1234567890abcdef1234567890abcdef';

export const LAST_SEEN = '2026-11-30T08:15:00Z';

/** A PostDeviceDetailsV2 record, as Falcon answers it (trimmed to the fields the nodes read, plus one more). */
export function device(aid: string, status: string, extra: IDataObject = {}): IDataObject {
	const hostnames: Record<string, string> = { [HOST_A]: 'WKS-100', [HOST_B]: 'WKS-200', [HOST_C]: 'SRV-300', [HOST_D]: 'MAC-400' };
	return {
		device_id: aid,
		hostname: hostnames[aid] ?? `host-${aid.slice(0, 4)}`,
		platform_name: aid === HOST_D ? 'Mac' : 'Windows',
		status,
		last_seen: LAST_SEEN,
		agent_version: '7.20.18105.0',
		...extra,
	};
}

/** A host picker value as n8n stores it for a resource locator. */
export const byId = (value: string) => ({ __rl: true, mode: 'id', value });
export const byHostname = (value: string) => ({ __rl: true, mode: 'hostname', value });
export const fromList = (value: string, cachedResultName = 'WKS-100 (Windows, normal)') => ({
	__rl: true,
	mode: 'list',
	value,
	cachedResultName,
});

export async function run(
	parameters: INodeParameters,
	options: { input?: INodeExecutionData[]; continueOnFail?: boolean; type?: string } = {},
) {
	return await runNode(options.type ?? HOSTS_NODE, parameters, testCredentials(), options);
}

/** Input items, one per value, as `{ json: { host } }` (or any other key). */
export const items = (values: unknown[], key = 'host'): INodeExecutionData[] =>
	values.map((value) => ({ json: { [key]: value } as IDataObject }));
