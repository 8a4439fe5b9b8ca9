import type { IExecuteFunctions } from 'n8n-workflow';

import { CrowdStrikeFalconRealTimeResponse } from '../../../nodes/CrowdStrikeFalcon/RealTimeResponse/CrowdStrikeFalconRealTimeResponse.node';
import { cutForAgent, isAgentToolCall } from '../../../nodes/CrowdStrikeFalcon/shared/engine/aiAgent';
import { envelope } from '../../harness/falcon';
import { PACKAGE, packageNodes } from '../../harness/nodeTypes';
import { falcon, HOST_A, REQUEST, run, RTR, SESSION } from './helpers';

// n8n registers a usableAsTool node a second time as `<name>Tool` (description name included, which is what
// `@tool` display options test) and runs that variant for AI agents.
const TOOL = `${PACKAGE}.crowdStrikeFalconRealTimeResponseTool`;
const toolVariant = new CrowdStrikeFalconRealTimeResponse();
toolVariant.description = { ...toolVariant.description, name: `${toolVariant.description.name}Tool` };
packageNodes[TOOL] = toolVariant;

const killCommand = { resource: 'command', operation: 'executeActiveResponder', sessionId: SESSION, baseCommand: 'kill', commandLine: 'kill 4242' };
const accepted = envelope([{ session_id: SESSION, cloud_request_id: REQUEST }]);

describe('AI agent opt-in for operations that change hosts', () => {
	it('the node is usable as a tool, and the opt-in field shows only on the tool variant', () => {
		const { description } = new CrowdStrikeFalconRealTimeResponse();
		expect(description.usableAsTool).toBe(true);
		const optIn = description.properties.find((property) => property.name === 'allowHostChangesByAgent');
		expect(optIn).toMatchObject({ type: 'boolean', default: false, displayOptions: { show: { '@tool': [true] } } });
	});

	it('refuses an active responder command from an agent, before any request', async () => {
		const result = await run(killCommand, { type: TOOL });
		expect(result.error?.message).toBe('"Execute Active Responder" changes hosts and is not allowed for AI agents on this node');
		expect(result.error?.description).toContain('Allow AI Agent to Change Hosts');
	});

	it.each([
		['file retrieval', { resource: 'file', operation: 'getFromHosts', hostIds: HOST_A, filePath: 'C:\\x', options: {} }],
		['file deletion', { resource: 'file', operation: 'delete', sessionId: SESSION, fileId: REQUEST }],
		['ending a session (its commands queued for an offline host are dropped)', { resource: 'session', operation: 'delete', sessionId: SESSION }],
		['deleting a queued command', { resource: 'queuedCommand', operation: 'delete', sessionId: SESSION, cloudRequestId: REQUEST }],
		['run and wait on the active responder tier', { resource: 'command', operation: 'runAndWait', hostId: HOST_A, commandTier: 'activeResponder', baseCommand: 'rm', commandLine: 'rm x', options: {} }],
		['run on hosts on the active responder tier', { resource: 'batch', operation: 'runOnHosts', hostIds: HOST_A, commandTier: 'activeResponder', baseCommand: 'rm', commandLine: 'rm x', options: {} }],
		// Read-only commands that write a file on the host.
		['eventlog export', { resource: 'command', operation: 'execute', sessionId: SESSION, baseCommand: 'eventlog', commandLine: 'eventlog export System C:\\Temp\\s.evtx' }],
		['eventlog backup on a batch', { resource: 'batch', operation: 'execute', batchId: REQUEST, baseCommand: 'eventlog', commandLine: 'EVENTLOG  backup Security C:\\Temp\\s.evtx', options: {} }],
		['eventlog export in run and wait', { resource: 'command', operation: 'runAndWait', hostId: HOST_A, commandTier: 'readOnly', baseCommand: 'eventlog', commandLine: 'eventlog export System C:\\x.evtx', options: {} }],
		['letting hosts of a batch go (their sessions expire)', { resource: 'batch', operation: 'refresh', batchId: REQUEST, options: { hostsToRemove: HOST_A } }],
		['eventlog export in run on hosts', { resource: 'batch', operation: 'runOnHosts', hostIds: HOST_A, commandTier: 'readOnly', baseCommand: 'eventlog', commandLine: 'eventlog export System C:\\x.evtx', options: {} }],
		// Only list and view read: anything else after eventlog is taken for a subcommand that writes.
		['eventlog with its subcommand quoted', { resource: 'command', operation: 'execute', sessionId: SESSION, baseCommand: 'eventlog', commandLine: 'eventlog "export" System C:\\x.evtx' }],
		['eventlog with its subcommand as a switch', { resource: 'command', operation: 'execute', sessionId: SESSION, baseCommand: 'eventlog', commandLine: 'eventlog -Action export System C:\\x.evtx' }],
	])('refuses %s from an agent', async (_, parameters) => {
		const result = await run(parameters, { type: TOOL });
		expect(result.error?.message).toContain('is not allowed for AI agents on this node');
	});

	it('lets the agent run it once the user opted in', async () => {
		const api = falcon().post(`${RTR}/entities/active-responder-command/v1`).reply(201, accepted);
		const result = await run({ ...killCommand, allowHostChangesByAgent: true }, { type: TOOL });
		expect(result.error).toBeUndefined();
		expect(api.isDone()).toBe(true);
	});

	it('lets the agent keep a batch alive without opting in', async () => {
		const api = falcon().post(`${RTR}/combined/batch-refresh-session/v1`).reply(201, { meta: { trace_id: 't' }, resources: {}, errors: [] });
		const result = await run({ resource: 'batch', operation: 'refresh', batchId: REQUEST, options: {} }, { type: TOOL });
		expect(result.error).toBeUndefined();
		expect(api.isDone()).toBe(true);
	});

	it.each([
		['ps', 'ps'],
		['eventlog', 'eventlog view System'],
		['eventlog', 'eventlog list'],
	])('lets the agent investigate with read-only commands without opting in (%s)', async (baseCommand, commandLine) => {
		const api = falcon().post(`${RTR}/entities/command/v1`).reply(201, accepted);
		const result = await run({ resource: 'command', operation: 'execute', sessionId: SESSION, baseCommand, commandLine }, { type: TOOL });
		expect(result.error).toBeUndefined();
		expect(api.isDone()).toBe(true);
	});

	it('cuts a text field past 50,000 characters for the agent (a model\'s context), saying how long it was; workflows get it whole', async () => {
		const stdout = 'x'.repeat(200_000);
		const status = () =>
			falcon()
				.get(`${RTR}/entities/command/v1`)
				.query({ cloud_request_id: REQUEST, sequence_id: '0' })
				.reply(200, envelope([{ session_id: SESSION, complete: true, stdout, stderr: '', sequence_id: 0 }]));
		const getStatus = { resource: 'command', operation: 'getStatus', cloudRequestId: REQUEST, sequenceId: 0 };
		status();
		const forAgent = await run(getStatus, { type: TOOL });
		expect(forAgent.error).toBeUndefined();
		expect(forAgent.items[0].json.stdout).toBe(`${'x'.repeat(50_000)}… [cut for the AI agent: 200000 characters in all]`);
		expect(forAgent.items[0].json.complete).toBe(true);
		status();
		const inWorkflow = await run(getStatus);
		expect(inWorkflow.items[0].json.stdout).toBe(stdout);
	});

	it('cuts long text at any depth of an item for the agent', () => {
		const toolCall = { getNode: () => ({ type: TOOL }), isToolExecution: () => true } as unknown as IExecuteFunctions;
		const [item] = cutForAgent(toolCall, [{ json: { logs: [{ command_string: 'y'.repeat(60_000), base_command: 'cat' }] } }]);
		expect(item.json).toEqual({ logs: [{ command_string: `${'y'.repeat(50_000)}… [cut for the AI agent: 60000 characters in all]`, base_command: 'cat' }] });
	});

	it("leaves out the items past 200,000 characters of output for the agent, saying how many; workflows get them all", () => {
		const toolCall = { getNode: () => ({ type: TOOL }), isToolExecution: () => true } as unknown as IExecuteFunctions;
		const items = Array.from({ length: 100 }, (_, n) => ({ json: { n, text: 'z'.repeat(8_000) }, pairedItem: { item: 0 } }));
		const forAgent = cutForAgent(toolCall, items);
		expect(forAgent).toHaveLength(25);
		expect(forAgent.slice(0, 24).map((item) => item.json.n)).toEqual(Array.from({ length: 24 }, (_, n) => n));
		expect(forAgent[24]).toEqual({
			json: { note: '76 of 100 items left out for the AI agent (its output is limited to 200000 characters): narrow the search, or ask for fewer with Limit' },
			pairedItem: { item: 0 },
		});
		const inWorkflow = { getNode: () => ({ type: 'x.crowdStrikeFalconAlerts' }), isToolExecution: () => false } as unknown as IExecuteFunctions;
		expect(cutForAgent(inWorkflow, items)).toHaveLength(100);
	});

	it('keeps an error item past the cap (a Return All failing on a late page), and shrinks one item too large on its own', () => {
		const toolCall = { getNode: () => ({ type: TOOL }), isToolExecution: () => true } as unknown as IExecuteFunctions;
		const pages = Array.from({ length: 100 }, (_, n) => ({ json: { n, text: 'z'.repeat(3_000) }, pairedItem: { item: 0 } }));
		const failed = { json: { error: 'Falcon API error 500 on page 3' }, pairedItem: { item: 0 } };
		const forAgent = cutForAgent(toolCall, [...pages, failed]);
		expect(forAgent.slice(-2).map((item) => item.json)).toEqual([
			failed.json,
			{ note: '34 of 101 items left out for the AI agent (its output is limited to 200000 characters): narrow the search, or ask for fewer with Limit' },
		]);
		const [huge] = cutForAgent(toolCall, [{ json: { id: 'x', ids: Array.from({ length: 100_000 }, (_, n) => `id-${n}`), meta: { a: 1 } } }]);
		expect(huge.json).toEqual({ id: 'x', note: 'fields left out for the AI agent (too large): ids, meta' });
	});

	it('does not restrict the regular node in a workflow', async () => {
		const api = falcon().post(`${RTR}/entities/active-responder-command/v1`).reply(201, accepted);
		const result = await run(killCommand);
		expect(result.error).toBeUndefined();
		expect(api.isDone()).toBe(true);
	});

	it('also recognises a tool call by the supply-data context n8n uses for agents', () => {
		const context = { isToolExecution: () => true, getNode: () => ({ type: 'x.crowdStrikeFalconRealTimeResponse' }) };
		expect(isAgentToolCall(context as unknown as IExecuteFunctions)).toBe(true);
		const regular = { isToolExecution: () => false, getNode: () => ({ type: 'x.crowdStrikeFalconRealTimeResponse' }) };
		expect(isAgentToolCall(regular as unknown as IExecuteFunctions)).toBe(false);
	});
});
