import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { testCredentials } from '../../harness/falcon';
import { runNode } from '../../harness/runWorkflow';

export { falcon, json, meta } from '../realTimeResponse/helpers';

export const ALERTS_NODE = 'n8n-nodes-crowdstrike-falcon.crowdStrikeFalconAlerts';

export const ALERTS = {
	combined: '/alerts/combined/alerts/v1',
	entities: '/alerts/entities/alerts/v2',
	update: '/alerts/entities/alerts/v3',
} as const;

export const CID = '0123456789abcdef0123456789abcdef';
export const AID = '4f1c6a2b9d3e4f5a8b7c6d5e4f3a2b1c';
/** Composite ids as Falcon writes them for endpoint (ldt) alerts, and a bare 32-hex one (ods). */
export const ALERT_1 = `${CID}:ind:${AID}:1234-5-678`;
export const ALERT_2 = `${CID}:ind:${AID}:2234-5-679`;
export const ALERT_3 = 'fedcba9876543210fedcba9876543210';

export function alertRecord(compositeId: string, extra: IDataObject = {}): IDataObject {
	return {
		composite_id: compositeId,
		agent_id: AID,
		status: 'new',
		severity: 70,
		severity_name: 'High',
		product: 'epp',
		tactic: 'Credential Access',
		device: { device_id: AID, hostname: 'WKS-100' },
		...extra,
	};
}

export async function run(
	parameters: INodeParameters,
	options: { input?: INodeExecutionData[]; continueOnFail?: boolean; type?: string; timezone?: string } = {},
) {
	return await runNode(options.type ?? ALERTS_NODE, parameters, testCredentials(), options);
}
