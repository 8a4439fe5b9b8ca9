import type { INodeParameters, INodeProperties, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { CrowdStrikeFalconHosts } from '../../../nodes/CrowdStrikeFalcon/Hosts/CrowdStrikeFalconHosts.node';
import { CrowdStrikeFalconRealTimeResponse } from '../../../nodes/CrowdStrikeFalcon/RealTimeResponse/CrowdStrikeFalconRealTimeResponse.node';
import { CrowdStrikeFalconTrigger } from '../../../nodes/CrowdStrikeFalcon/Trigger/CrowdStrikeFalconTrigger.node';

// Options that only take effect with another one (a wait) are offered only with it: Deadline offered alone reads as
// making Contain wait, and the node would return at once with the host still pending.

/** Whether the editor offers `option` of the collection `collection`, for the node's parameters as they are. */
function offered(description: INodeTypeDescription, parameters: INodeParameters, collection: string, option: string): boolean {
	const parent = description.properties.find(
		(property) =>
			property.name === collection &&
			NodeHelpers.displayParameterPath(parameters, property, '', null, description) &&
			(property.options as INodeProperties[] | undefined)?.some((entry) => entry.name === option),
	);
	if (!parent) return false;
	const child = (parent.options as INodeProperties[]).find((entry) => entry.name === option)!;
	return NodeHelpers.displayParameterPath(parameters, child, collection, null, description);
}

describe('options offered only where they are read', () => {
	const hosts = new CrowdStrikeFalconHosts().description;
	const rtr = new CrowdStrikeFalconRealTimeResponse().description;
	const trigger = new CrowdStrikeFalconTrigger().description;

	it.each(['contain', 'liftContainment'])('Host > %s offers Deadline and Poll Interval once its wait is on', (operation) => {
		for (const option of ['deadlineSeconds', 'pollIntervalSeconds']) {
			expect(offered(hosts, { resource: 'host', operation, options: {} }, 'options', option)).toBe(false);
			expect(offered(hosts, { resource: 'host', operation, options: { wait: false } }, 'options', option)).toBe(false);
			expect(offered(hosts, { resource: 'host', operation, options: { wait: true } }, 'options', option)).toBe(true);
			// An expression's value is not known in the editor: offered.
			expect(offered(hosts, { resource: 'host', operation, options: { wait: '={{ $json.critical }}' } }, 'options', option)).toBe(true);
		}
		expect(offered(hosts, { resource: 'host', operation, options: {} }, 'options', 'wait')).toBe(true);
	});

	it('Batch > Run on Hosts hides the wait options when Wait for Completion is off; Run and Wait always offers them', () => {
		for (const option of ['deadlineSeconds', 'keepAliveSeconds', 'pollIntervalSeconds']) {
			expect(offered(rtr, { resource: 'batch', operation: 'runOnHosts', options: {} }, 'options', option)).toBe(true);
			expect(offered(rtr, { resource: 'batch', operation: 'runOnHosts', options: { waitForCompletion: false } }, 'options', option)).toBe(false);
			expect(offered(rtr, { resource: 'command', operation: 'runAndWait', options: {} }, 'options', option)).toBe(true);
		}
	});

	it("the trigger offers Child List Refresh with child tenants only, not for the credential's own", () => {
		expect(offered(trigger, { tenants: 'credential', options: {} }, 'options', 'childListRefreshMinutes')).toBe(false);
		expect(offered(trigger, { tenants: 'allChildren', options: {} }, 'options', 'childListRefreshMinutes')).toBe(true);
		expect(offered(trigger, { tenants: 'childList', options: {} }, 'options', 'childListRefreshMinutes')).toBe(true);
	});
});
