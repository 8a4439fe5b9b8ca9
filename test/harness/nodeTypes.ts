import type { INodeType, INodeTypes, IVersionedNodeType } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { CrowdStrikeFalconAlerts } from '../../nodes/CrowdStrikeFalcon/Alerts/CrowdStrikeFalconAlerts.node';
import { CrowdStrikeFalconEventStreams } from '../../nodes/CrowdStrikeFalcon/EventStreams/CrowdStrikeFalconEventStreams.node';
import { CrowdStrikeFalconFlightControl } from '../../nodes/CrowdStrikeFalcon/FlightControl/CrowdStrikeFalconFlightControl.node';
import { CrowdStrikeFalconHosts } from '../../nodes/CrowdStrikeFalcon/Hosts/CrowdStrikeFalconHosts.node';
import { CrowdStrikeFalconInstallationTokens } from '../../nodes/CrowdStrikeFalcon/InstallationTokens/CrowdStrikeFalconInstallationTokens.node';
import { CrowdStrikeFalconRealTimeResponse } from '../../nodes/CrowdStrikeFalcon/RealTimeResponse/CrowdStrikeFalconRealTimeResponse.node';
import { CrowdStrikeFalconTrigger } from '../../nodes/CrowdStrikeFalcon/Trigger/CrowdStrikeFalconTrigger.node';

export const PACKAGE = 'n8n-nodes-crowdstrike-falcon';

/** The package's nodes under the type names n8n gives an installed community package. */
export const packageNodes: Record<string, INodeType | IVersionedNodeType> = {
	[`${PACKAGE}.crowdStrikeFalconInstallationTokens`]: new CrowdStrikeFalconInstallationTokens(),
	[`${PACKAGE}.crowdStrikeFalconRealTimeResponse`]: new CrowdStrikeFalconRealTimeResponse(),
	[`${PACKAGE}.crowdStrikeFalconTrigger`]: new CrowdStrikeFalconTrigger(),
	[`${PACKAGE}.crowdStrikeFalconEventStreams`]: new CrowdStrikeFalconEventStreams(),
	[`${PACKAGE}.crowdStrikeFalconHosts`]: new CrowdStrikeFalconHosts(),
	[`${PACKAGE}.crowdStrikeFalconAlerts`]: new CrowdStrikeFalconAlerts(),
	[`${PACKAGE}.crowdStrikeFalconFlightControl`]: new CrowdStrikeFalconFlightControl(),
};

export class TestNodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType | IVersionedNodeType> = packageNodes) {}

	getByName(type: string): INodeType | IVersionedNodeType {
		const nodeType = this.types[type];
		if (!nodeType) throw new Error(`Unknown node type ${type}`);
		return nodeType;
	}

	getByNameAndVersion(type: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(type), version);
	}

	getKnownTypes() {
		return {};
	}
}
