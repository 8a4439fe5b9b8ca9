/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/require-node-api-error -- test harness code, never part of the package */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { mock } from 'jest-mock-extended';
import { ExecuteContext, ExecutionLifecycleHooks } from 'n8n-core';
import type {
	INode,
	INodeParameters,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	IVersionedNodeType,
} from 'n8n-workflow';
import { createRunExecutionData, NodeConnectionTypes, Workflow } from 'n8n-workflow';

import { selectedRuntime } from '../../../scripts/runtime/n8n-instance';
import { testAdditionalData } from '../../harness/additionalData';
import { FALCON_CREDENTIAL, TestCredentialsHelper } from '../../harness/credentials';
import { outputDir, packedTarball } from './paths';
import type { RunningSimulator } from './simulator';

// The package's nodes as n8n's AI Agent uses them: n8n's own NodeTypes (from the e2e runtime) turns a
// usableAsTool node into `<name>Tool` on request, and n8n-core's agent context hands the Agent a LangChain tool
// whose invocation runs the node. Only the language model is left out: tests play its part.

const AGENT_TYPE = '@n8n/n8n-nodes-langchain.agent';
const AGENT_NAME = 'AI Agent';

/** What the model gets back from one tool call: the tool's answer, or the message of the error it threw. */
export type ToolAnswer = { ok: true; text: string } | { ok: false; text: string; error: Error };

/** A tool as the Agent hands it to the model: its name, description, argument schema, and a way to call it. */
export interface AgentTool {
	name: string;
	description: string;
	/** The names of the arguments the model must fill ($fromAI keys of the tool node's parameters). */
	argumentNames: string[];
	call(args: Record<string, unknown>): Promise<ToolAnswer>;
}

interface LangChainTool {
	name: string;
	description: string;
	schema: { shape: Record<string, unknown> };
	invoke(args: Record<string, unknown>): Promise<unknown>;
}

type NodeTypesConstructor = new (
	logger: { warn(...args: unknown[]): void },
	loader: MinimalLoader,
) => INodeTypes;

interface MinimalLoader {
	recognizesNode(type: string): boolean;
	getNode(type: string): { type: INodeType | IVersionedNodeType; sourcePath: string };
	loadedNodes: Record<string, { type: INodeType; sourcePath: string }>;
	knownNodes: Record<string, unknown>;
}

/**
 * n8n's own node registry class, from the runtime the e2e stage installs; fails loudly without it. These are n8n's
 * internal dist files: tool-generation/ai-tools is required too, so an n8n whose NodeTypes converts tools some other
 * way (1.x asks its loader) fails here, not with a puzzling error in a test.
 */
function runtimeNodeTypesClass(): NodeTypesConstructor {
	const dist = join(selectedRuntime().n8nDir, 'node_modules', 'n8n', 'dist');
	const required = (file: string) => {
		try {
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			return require(join(dist, file)) as Record<string, unknown>;
		} catch (error) {
			throw new Error(
				`n8n's AI tool generation could not be loaded from ${join(dist, file)}: ${(error as Error).message}. ` +
					'These tests need the n8n 2.x runtime the e2e global setup installs (.n8n-runtime); if n8n moved ' +
					'the file, update test/e2e/harness/aiTool.ts.',
			);
		}
	};
	if (typeof required(join('tool-generation', 'ai-tools')).convertNodeToAiTool !== 'function') {
		throw new Error(
			`${dist}/tool-generation/ai-tools exports no convertNodeToAiTool: update test/e2e/harness/aiTool.ts`,
		);
	}
	const { NodeTypes } = required('node-types');
	if (typeof NodeTypes !== 'function')
		throw new Error(`${dist}/node-types exports no NodeTypes class`);
	return NodeTypes as NodeTypesConstructor;
}

export interface PackedPackage {
	/** The package name, which n8n puts before each node's name in its type. */
	name: string;
	/** Each node the package declares, by its type name as n8n registers it (`<package>.<node name>`). */
	nodes: Record<string, INodeType>;
}

/** Unpacks the tarball the e2e global setup packed and loads each node its package.json declares. */
export function loadPackedPackage(): PackedPackage {
	// Inside the project, so the package's require('n8n-workflow') finds the project's copy, as the tests use.
	const target = join(outputDir, 'ai-tools', 'node_modules', 'unpacked-package');
	rmSync(target, { recursive: true, force: true });
	mkdirSync(target, { recursive: true });
	execFileSync('tar', ['-xzf', packedTarball(), '-C', target, '--strip-components=1']);
	const manifest = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8')) as {
		name: string;
		n8n: { nodes: string[] };
	};
	const nodes: Record<string, INodeType> = {};
	for (const file of manifest.n8n.nodes) {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const loaded = require(join(target, file)) as Record<string, new () => INodeType>;
		const exported = Object.values(loaded);
		if (exported.length !== 1)
			throw new Error(`${file} exports ${exported.length} classes, expected one node`);
		const node = new exported[0]();
		nodes[`${manifest.name}.${node.description.name}`] = node;
	}
	return { name: manifest.name, nodes };
}

/** Stands in for the Agent node: only its inputs matter, which is what n8n-core reads to find its tools. */
function agentStub(): INodeType {
	const description: INodeTypeDescription = {
		displayName: 'AI Agent',
		name: 'agent',
		group: ['transform'],
		version: 1,
		description: 'Stand-in for the AI Agent node',
		defaults: { name: AGENT_NAME },
		inputs: [NodeConnectionTypes.Main, NodeConnectionTypes.AiTool],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};
	return { description };
}

/**
 * n8n's NodeTypes over these nodes and an Agent stand-in. Asked for `<type>Tool`, it makes the tool variant as a
 * running n8n does (convertNodeToAiTool on a copy), and refuses a node that is not usableAsTool.
 */
export function n8nNodeTypes(nodes: Record<string, INodeType>): INodeTypes {
	const NodeTypes = runtimeNodeTypesClass();
	const types: Record<string, INodeType> = { ...nodes, [AGENT_TYPE]: agentStub() };
	const loader: MinimalLoader = {
		recognizesNode: (type) => type in types,
		getNode: (type) => {
			if (!(type in types)) throw new Error(`Unknown node type ${type}`);
			return { type: types[type], sourcePath: '' };
		},
		loadedNodes: {},
		knownNodes: {},
	};
	return new NodeTypes({ warn: () => undefined }, loader);
}

/** Credentials for the simulator, kept in memory; tokens are minted by the credential's own preAuthentication. */
export function simulatorCredentials(sim: RunningSimulator): TestCredentialsHelper {
	return new TestCredentialsHelper({
		cloud: 'custom',
		baseUrl: sim.url,
		clientId: sim.clientId,
		clientSecret: sim.clientSecret,
	});
}

export interface ToolNodeSetup {
	/** The tool variant's type, `<package>.<node name>Tool`. */
	type: string;
	/** The node's name in the workflow; n8n derives the tool's name from it. */
	name?: string;
	parameters: INodeParameters;
}

/** Connects one tool node to an Agent and returns the tool the way n8n-core supplies it to the Agent. */
export async function connectTool(
	nodeTypes: INodeTypes,
	credentials: TestCredentialsHelper,
	setup: ToolNodeSetup,
): Promise<AgentTool> {
	const toolName = setup.name ?? 'Falcon Tool';
	const toolNode: INode = {
		id: 'tool',
		name: toolName,
		type: setup.type,
		typeVersion: 1,
		position: [0, 0],
		parameters: setup.parameters,
		credentials: { [FALCON_CREDENTIAL]: { id: '1', name: 'Falcon' } },
	};
	const agentNode: INode = {
		id: 'agent',
		name: AGENT_NAME,
		type: AGENT_TYPE,
		typeVersion: 1,
		position: [200, 0],
		parameters: {},
	};
	const workflow = new Workflow({
		id: 'ai-tools',
		nodes: [agentNode, toolNode],
		connections: {
			[toolName]: {
				[NodeConnectionTypes.AiTool]: [
					[{ node: AGENT_NAME, type: NodeConnectionTypes.AiTool, index: 0 }],
				],
			},
		},
		nodeTypes,
		active: false,
	});
	const hooks = new ExecutionLifecycleHooks('manual', 'ai-tools-execution', mock());
	const additionalData = testAdditionalData(credentials, hooks);
	const input = [{ json: {} }];
	const agentContext = new ExecuteContext(
		workflow,
		agentNode,
		additionalData,
		'manual',
		createRunExecutionData({}),
		0,
		input,
		{ main: [input] },
		{ node: agentNode, data: { main: [input] }, source: null },
		[],
	);
	const tools = (await agentContext.getInputConnectionData(
		NodeConnectionTypes.AiTool,
		0,
	)) as LangChainTool[];
	if (tools.length !== 1) throw new Error(`expected one tool for the Agent, got ${tools.length}`);
	const [tool] = tools;
	return {
		name: tool.name,
		description: tool.description,
		argumentNames: Object.keys(tool.schema.shape).sort(),
		call: async (args) => {
			let answer: unknown;
			try {
				answer = await tool.invoke(args);
			} catch (error) {
				return { ok: false, text: (error as Error).message, error: error as Error };
			}
			if (typeof answer !== 'string')
				throw new Error(`the tool answered a ${typeof answer}, not a string`);
			return { ok: true, text: answer };
		},
	};
}

/** A parameter value the model fills, written as a user writes it on a tool node. */
export const fromAI = (
	key: string,
	description: string,
	type: 'string' | 'number' | 'boolean' = 'string',
) => `={{ $fromAI('${key}', '${description}', '${type}') }}`;
