import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';
import nock from 'nock';

import { API, mockToken, testCredentials } from '../../harness/falcon';
import { runNode } from '../../harness/runWorkflow';

export const NODE = 'n8n-nodes-crowdstrike-falcon.crowdStrikeFalconRealTimeResponse';
export const RTR = '/real-time-response';

export const HOST_A = '4f1c6a2b9d3e4f5a8b7c6d5e4f3a2b1c';
export const HOST_B = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
export const HOST_C = 'ffeeddccbbaa99887766554433221100';
export const SESSION = '1c5c4a4e-8f6b-4f2a-9a53-0d1f1f4e2b7a';
export const SESSION_B = '2d6d5b5f-9a7c-4a3b-8b64-1e2a2a5f3c8b';
export const REQUEST = '3e7e6c6a-0b8d-4b4c-9c75-2f3b3b6a4d9c';
export const BATCH = '4f8f7d7b-1c9e-4c5d-8d86-3a4c4c7b5e0d';
export const SHA = 'a'.repeat(64);

/** An authenticated nock scope for the Falcon API (the token call is mocked too). */
export function falcon(): nock.Scope {
	mockToken();
	return nock(API, { reqheaders: { authorization: 'Bearer token-1' } });
}

export async function run(
	parameters: INodeParameters,
	options: { input?: INodeExecutionData[]; continueOnFail?: boolean; type?: string } = {},
) {
	return await runNode(options.type ?? NODE, parameters, testCredentials(), options);
}

export function meta(extra: Record<string, unknown> = {}) {
	return { query_time: 0.01, trace_id: 'trace-ok', powered_by: 'empower-api', ...extra };
}

export const json = (items: INodeExecutionData[]) => items.map((item) => item.json);
