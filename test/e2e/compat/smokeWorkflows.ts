import type { FalconN8nSuite } from '../harness/falcon-n8n-suite';
import { noOpStep, triggerChainWorkflow } from '../harness/triggerWorkflow';
import { falconStep, manualWorkflow } from '../harness/workflows';

// The workflows of the compatibility smoke suite: one operation of every node in one manual workflow (one
// `n8n execute`), and a published trigger workflow.

export const OPERATIONS = 'compat every node';
export const TRIGGER = 'compat trigger';
export const TRIGGER_NODE = 'Falcon Events';
export const FILE_PATH = 'C:\\Users\\Public\\invoice.docm';
export const STREAM_APP_ID = 'compatSmoke01';
/** One execution at a time: a restart may run at most this one again where n8n has no deduplication keys. */
export const MAX_IN_FLIGHT = 1;

const NODES = {
	tokens: 'crowdStrikeFalconInstallationTokens',
	rtr: 'crowdStrikeFalconRealTimeResponse',
	streams: 'crowdStrikeFalconEventStreams',
	hosts: 'crowdStrikeFalconHosts',
	alerts: 'crowdStrikeFalconAlerts',
	flightControl: 'crowdStrikeFalconFlightControl',
	trigger: 'crowdStrikeFalconTrigger',
};

export function operationsWorkflow(suite: FalconN8nSuite) {
	const [host] = suite.simulator.fleet;
	const options = { pollIntervalSeconds: 0.2, deadlineSeconds: 60 };
	return manualWorkflow(OPERATIONS, [
		falconStep(suite, NODES.tokens, 'Token Settings', { resource: 'settings', operation: 'get' }),
		falconStep(suite, NODES.rtr, 'Get File', {
			resource: 'file',
			operation: 'getFromHosts',
			hostIds: host.aid,
			filePath: FILE_PATH,
			options,
		}),
		// The host picker's "By Hostname" mode: a resource locator value resolved by the node.
		falconStep(suite, NODES.rtr, 'Processes', {
			resource: 'command',
			operation: 'runAndWait',
			hostId: { __rl: true, mode: 'hostname', value: host.hostname },
			commandTier: 'readOnly',
			baseCommand: 'ps',
			commandLine: 'ps',
			options,
		}),
		falconStep(suite, NODES.streams, 'Streams', {
			resource: 'stream',
			operation: 'listAvailable',
			appId: STREAM_APP_ID,
		}),
		falconStep(suite, NODES.hosts, 'Hosts', {
			resource: 'host',
			operation: 'getAll',
			returnAll: true,
			filters: { hostname: host.hostname },
			options: {},
		}),
		falconStep(suite, NODES.alerts, 'Alerts', {
			resource: 'alert',
			operation: 'getAll',
			returnAll: true,
			filters: {},
			options: {},
		}),
		falconStep(suite, NODES.flightControl, 'Children', {
			resource: 'child',
			operation: 'getAll',
			returnAll: true,
			options: {},
		}),
	]);
}

/** The trigger, following the stream from its stored position, feeding a No Op. */
export function triggerWorkflow(suite: FalconN8nSuite) {
	return triggerChainWorkflow(suite, {
		name: TRIGGER,
		triggerName: TRIGGER_NODE,
		trigger: {
			eventTypes: [],
			startFrom: 'stored',
			delivery: 'event',
			options: { whenNothingStored: 'oldest', maxInFlight: MAX_IN_FLIGHT, watchdogSeconds: 10 },
		},
		steps: [noOpStep],
	});
}

/** Node types that must show up in n8n: every node, and every node but the trigger as an AI agent tool. */
export function expectedNodeTypes(prefix: string): string[] {
	const names = Object.values(NODES);
	const tools = names.filter((name) => name !== NODES.trigger).map((name) => `${name}Tool`);
	return [...names, ...tools].map((name) => `${prefix}${name}`);
}
