import type { INodeParameters, INodeType, INodeTypes } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import {
	connectTool,
	fromAI,
	loadPackedPackage,
	n8nNodeTypes,
	simulatorCredentials,
	type AgentTool,
	type PackedPackage,
	type ToolAnswer,
} from './harness/aiTool';
import { startTestSimulator, type RunningSimulator } from './harness/simulator';

// The packed package's nodes used as an n8n AI Agent uses them: n8n's own NodeTypes makes each `<name>Tool` variant,
// n8n-core hands it to the Agent as a LangChain tool, and a call runs the node against the simulator over HTTP. The
// tests play the language model: they fill the $fromAI arguments and read what the tool answers.

const HOST_ACTIONS = '/devices/entities/devices-actions/v2';
const HOST_SCROLL = '/devices/queries/devices-scroll/v1';
const ALERT_ENTITIES = '/alerts/entities/alerts/v2';
const ALERT_COMBINED = '/alerts/combined/alerts/v1';
/** How the simulator's bearer tokens look (the e2e secret scan looks for the same). */
const BEARER_TOKEN = /sim\.[0-9a-f]{48}/;

let packed: PackedPackage;
let nodeTypes: INodeTypes;
let sim: RunningSimulator;

beforeAll(() => {
	packed = loadPackedPackage();
	nodeTypes = n8nNodeTypes(packed.nodes);
});
// One simulator per test: the package keeps tokens per process by API host, so a new port means a new token and
// each test's request log starts with its own token call (a reset simulator would first answer 401 to the old one).
beforeEach(async () => {
	sim = await startTestSimulator({ containmentDelayMs: 100 });
});
afterEach(async () => await sim?.close());

const toolType = (node: string) => `${packed.name}.${node}Tool`;

async function tool(node: string, parameters: INodeParameters, name?: string): Promise<AgentTool> {
	return await connectTool(nodeTypes, simulatorCredentials(sim), {
		type: toolType(node),
		parameters,
		name,
	});
}

const requestsTo = (method: string, path: string) =>
	sim.state().requests.filter((entry) => entry.method === method && entry.path === path);

const hostStatus = (aid: string) =>
	sim.state().hosts.find((host) => host.device_id === aid)?.status;

function answerText(answer: ToolAnswer): string {
	return answer.ok ? answer.text : `${answer.text} (error)`;
}

describe('tool variants n8n generates from the packed package', () => {
	const usableAsTool = (node: INodeType) => node.description.usableAsTool === true;

	it('every node but the trigger is usable as a tool, as package.json declares them', () => {
		const usable = Object.entries(packed.nodes)
			.filter(([, node]) => usableAsTool(node))
			.map(([type]) => type.slice(packed.name.length + 1))
			.sort();
		expect(usable).toEqual([
			'crowdStrikeFalconAlerts',
			'crowdStrikeFalconEventStreams',
			'crowdStrikeFalconFlightControl',
			'crowdStrikeFalconHosts',
			'crowdStrikeFalconInstallationTokens',
			'crowdStrikeFalconRealTimeResponse',
		]);
	});

	it('n8n converts each usableAsTool node into its `<name>Tool` variant without error', () => {
		for (const [type, node] of Object.entries(packed.nodes)) {
			if (!usableAsTool(node)) {
				expect(() => nodeTypes.getByNameAndVersion(`${type}Tool`, 1)).toThrow(
					'Node cannot be used as a tool',
				);
				continue;
			}
			const { description } = nodeTypes.getByNameAndVersion(`${type}Tool`, 1);
			expect(description).toMatchObject({
				name: `${node.description.name}Tool`,
				displayName: `${node.description.displayName} Tool`,
				inputs: [],
				outputs: ['ai_tool'],
			});
			const names = description.properties.map((property) => property.name);
			expect(names).toEqual(
				expect.arrayContaining(['descriptionType', 'toolDescription', 'resource', 'operation']),
			);
			// The base node stays as it was: workflows keep using it.
			expect(nodeTypes.getByNameAndVersion(type, 1).description.name).toBe(node.description.name);
		}
	});

	it.each([
		[
			'crowdStrikeFalconHosts',
			{ resource: 'host', operation: 'contain' },
			'allowHostChangesByAgent',
			'Allow AI Agent to Change Hosts',
		],
		[
			'crowdStrikeFalconRealTimeResponse',
			{ resource: 'command', operation: 'runAndWait', commandTier: 'activeResponder' },
			'allowHostChangesByAgent',
			'Allow AI Agent to Change Hosts',
		],
		[
			'crowdStrikeFalconAlerts',
			{ resource: 'alert', operation: 'update' },
			'allowAlertClosingByAgent',
			'Allow AI Agent to Close or Hide Alerts',
		],
		[
			'crowdStrikeFalconInstallationTokens',
			{ resource: 'token', operation: 'delete' },
			'allowTokenChangesByAgent',
			'Allow AI Agent to Change Installation Tokens',
		],
	])(
		'%s: the opt-in %s is shown on the tool variant only, off by default',
		(node, values, optIn, displayName) => {
			const shown = (type: string) => {
				const { description } = nodeTypes.getByNameAndVersion(type, 1);
				const parameters = NodeHelpers.getNodeParameters(
					description.properties,
					values,
					true,
					false,
					{ typeVersion: 1 },
					description,
				);
				return {
					parameters,
					property: description.properties.find((property) => property.name === optIn),
				};
			};
			const onTool = shown(toolType(node));
			expect(onTool.parameters).toHaveProperty(optIn, false);
			expect(onTool.property).toMatchObject({
				displayName,
				type: 'boolean',
				default: false,
				noDataExpression: true,
			});
			expect(shown(`${packed.name}.${node}`).parameters).not.toHaveProperty(optIn);
		},
	);

	it('the Agent gets a tool named after the node, described by its operation, with the $fromAI arguments', async () => {
		const hosts = await tool(
			'crowdStrikeFalconHosts',
			{
				resource: 'host',
				operation: 'getAll',
				returnAll: false,
				limit: fromAI('limit', 'How many hosts', 'number'),
				filters: { hostname: fromAI('hostname', 'Hostname to look for') },
			},
			'Find Falcon Hosts',
		);
		expect(hosts.name).toBe('Find_Falcon_Hosts');
		expect(hosts.description.toLowerCase()).toContain('get many hosts');
		expect(hosts.argumentNames).toEqual(['hostname', 'limit']);
		expect(sim.state().requests).toEqual([]);
	});
});

describe('Hosts > Contain through the tool', () => {
	const contain = (extra: INodeParameters = {}): INodeParameters => ({
		resource: 'host',
		operation: 'contain',
		hostId: {
			__rl: true,
			mode: 'id',
			value: fromAI('host_id', 'The Falcon host ID (AID) to contain'),
		},
		options: {},
		...extra,
	});

	it('without the opt-in: refused before any request, and the model is told why and what the user must turn on', async () => {
		const aid = sim.fleet[0].aid;
		const answer = await (await tool('crowdStrikeFalconHosts', contain())).call({ host_id: aid });
		expect(answer.ok).toBe(false);
		expect(answer.text).toContain(
			'"Contain" changes hosts and is not allowed for AI agents on this node',
		);
		expect(answer.text).toContain('Nothing was sent to Falcon');
		expect(answer.text).toContain('turn on "Allow AI Agent to Change Hosts" on this tool node');
		expect(requestsTo('POST', HOST_ACTIONS)).toEqual([]);
		expect(sim.state().requests).toEqual([]);
		expect(hostStatus(aid)).toBe('normal');
	});

	it('an opt-in the model could fill is no opt-in: still refused', async () => {
		const aid = sim.fleet[0].aid;
		const hosts = await tool(
			'crowdStrikeFalconHosts',
			contain({
				allowHostChangesByAgent: fromAI('allow', 'Whether you may change hosts', 'boolean'),
			}),
		);
		expect(hosts.argumentNames).toEqual(['allow', 'host_id']);
		const answer = await hosts.call({ host_id: aid, allow: true });
		expect(answer.ok).toBe(false);
		expect(answer.text).toContain('is not allowed for AI agents on this node');
		expect(sim.state().requests).toEqual([]);
		expect(hostStatus(aid)).toBe('normal');
	});

	it('with the opt-in on: the host is contained in Falcon, and the model is told so', async () => {
		const aid = sim.fleet[0].aid;
		const options = { wait: true, deadlineSeconds: 20, pollIntervalSeconds: 0.5 };
		const hosts = await tool(
			'crowdStrikeFalconHosts',
			contain({ allowHostChangesByAgent: true, options }),
		);
		const answer = await hosts.call({ host_id: aid });
		expect(answer.ok).toBe(true);
		const [result] = JSON.parse(answer.text) as Array<Record<string, unknown>>;
		expect(result).toMatchObject({ host_id: aid, result: 'contained' });
		const actions = requestsTo('POST', HOST_ACTIONS);
		expect(actions).toHaveLength(1);
		expect(actions[0]).toMatchObject({
			status: 202,
			query: { action_name: 'contain' },
			body: { ids: [aid] },
		});
		expect(hostStatus(aid)).toBe('contained');
	});
});

describe('a read through the tool', () => {
	it('Hosts > Get Many: the model gets the host it asked for, and Falcon got its hostname and limit', async () => {
		const wanted = sim.fleet[1];
		const hosts = await tool('crowdStrikeFalconHosts', {
			resource: 'host',
			operation: 'getAll',
			returnAll: false,
			limit: fromAI('limit', 'How many hosts at most', 'number'),
			filters: { hostname: fromAI('hostname', 'Hostname to look for') },
			options: {},
		});
		const answer = await hosts.call({ hostname: wanted.hostname, limit: 3 });
		expect(answer.ok).toBe(true);
		const found = JSON.parse(answer.text) as Array<Record<string, unknown>>;
		expect(found).toHaveLength(1);
		expect(found[0]).toMatchObject({ device_id: wanted.aid, hostname: wanted.hostname });
		const [scroll] = requestsTo('GET', HOST_SCROLL);
		expect(scroll.status).toBe(200);
		expect(scroll.query.filter).toBe(`hostname:['${wanted.hostname}']`);
		expect(scroll.query.limit).toBe('3');
	});
});

describe('a Falcon API error through the tool', () => {
	function expectNoSecret(answer: ToolAnswer) {
		// The tool did authenticate: a secret could have reached the error.
		expect(requestsTo('POST', '/oauth2/token')).toMatchObject([{ status: 201 }]);
		const text = answerText(answer);
		expect(text).not.toContain(sim.clientSecret);
		expect(text).not.toMatch(BEARER_TOKEN);
	}

	it('an unknown alert ID: the model gets Falcon\'s "alert not found", and no secret', async () => {
		const alerts = await tool('crowdStrikeFalconAlerts', {
			resource: 'alert',
			operation: 'get',
			compositeIds: fromAI('alert_ids', 'Composite alert IDs'),
		});
		const unknown = `${sim.cid.toLowerCase()}:ind:${sim.fleet[0].aid}:123-45-678`;
		const answer = await alerts.call({ alert_ids: unknown });
		expect(answer.ok).toBe(false);
		expect(answer.text).toContain(`alerts not found: ${unknown}`);
		expect(answer.text).toContain('Falcon answered 404');
		const [read] = requestsTo('POST', ALERT_ENTITIES);
		expect(read).toMatchObject({ status: 404, body: { composite_ids: [unknown] } });
		expectNoSecret(answer);
	});

	it('a 403 from Falcon: the model gets its "access denied" message and the scope to add, and no secret', async () => {
		sim.setFaults({ serverErrors: [{ pathPrefix: '/alerts/', count: 5, status: 403 }] });
		const alerts = await tool('crowdStrikeFalconAlerts', {
			resource: 'alert',
			operation: 'getAll',
			returnAll: false,
			limit: 5,
			filters: {},
			options: {},
		});
		const answer = await alerts.call({});
		expect(answer.ok).toBe(false);
		expect(answer.text).toContain('access denied, authorization failed');
		expect(answer.text).toContain("needs the API scope 'Alerts: Read'");
		// A refusal is not tried again: one call, answered 403.
		const alertCalls = sim.state().requests.filter((entry) => entry.path.startsWith('/alerts/'));
		expect(alertCalls).toMatchObject([{ method: 'POST', path: ALERT_COMBINED, status: 403 }]);
		expectNoSecret(answer);
	});
});
