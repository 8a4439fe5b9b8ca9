import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { operationError } from '../transport/failures';
import { MEMBER_CID_PARAMETER } from '../transport/memberCid';
import type { FalconOperation } from './types';

/**
 * What an AI agent may do only after the user allowed it on the tool node: the opt-in field, and how the refusal
 * words the operation ("changes hosts"). n8n shows `@tool` fields only on the node's AI-tool variant
 * (`<name>Tool`), so workflow users never see them and agents start without the permission.
 */
export interface AgentPermission {
	field: INodeProperties;
	does: string;
}

/** No expression: n8n would otherwise offer to let the model define the field, which hands it the permission. */
function optInField(name: string, displayName: string, description: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'boolean',
		default: false,
		noDataExpression: true,
		displayOptions: { show: { '@tool': [true] } },
		description,
	};
}

/** One opt-in for every node that changes hosts, its text naming what this node's operations do. */
function hostChanges(description: string): AgentPermission {
	return { does: 'changes hosts', field: optInField('allowHostChangesByAgent', 'Allow AI Agent to Change Hosts', description) };
}

/** Real Time Response's operations that change hosts or pull files off them. */
export const HOST_CHANGES = hostChanges(
	'Whether the AI agent may run operations that change hosts or pull files off them (active responder commands, eventlog export and backup, which write a file on the host, getting files from hosts (Get From Hosts, Batch Get File) and deleting files, ending sessions, letting hosts of a batch go and deleting queued commands, which cancels what was queued for an offline host). Off by default: such calls fail without reaching Falcon. Other read-only commands need no opt-in, and cat among them returns a file\'s text to the model.',
);

/** The Hosts node's containment and tags. */
export const CONTAINMENT_CHANGES = hostChanges(
	'Whether the AI agent may contain hosts, lift their containment or change their tags (a contained host reaches nothing but Falcon, and an alert\'s text, which the agent reads, can be written by an attacker). Off by default: such calls fail without reaching Falcon.',
);

export const TOKEN_CHANGES: AgentPermission = {
	does: 'changes installation tokens or their settings',
	field: optInField(
		'allowTokenChangesByAgent',
		'Allow AI Agent to Change Installation Tokens',
		'Whether the AI agent may create, update, revoke or delete installation tokens, or change the token settings (a deleted or revoked token stops sensor installs). Off by default: such calls fail without reaching Falcon.',
	),
};

export const ALERT_CLOSING: AgentPermission = {
	does: 'closes or hides alerts',
	field: optInField(
		'allowAlertClosingByAgent',
		'Allow AI Agent to Close or Hide Alerts',
		"Whether the AI agent may set an alert's status to Closed or hide it from the Falcon console. An alert's text (command lines, file names) can be written by an attacker, and the agent reads it. Off by default: such calls fail without reaching Falcon; comments, tags, assignment and the other statuses stay allowed.",
	),
};

export const TENANT_CHOICE: AgentPermission = {
	does: 'takes its Tenant > Member CID from an expression, which the model can steer to any child tenant,',
	field: optInField(
		'allowTenantChoiceByAgent',
		'Allow AI Agent to Choose the Tenant',
		"Whether Tenant > Member CID may be an expression when an AI agent calls this tool. n8n builds a tool's $json from the agent's input and the model's own arguments, and $fromAI is the model's choice, so such an expression can name any child tenant of the API client. Off by default: a fixed Member CID (or none) is used, and an expression fails without reaching Falcon.",
	),
};

export const TOKEN_VALUES: AgentPermission = {
	does: 'reads installation token values',
	field: optInField(
		'allowTokenValuesToAgent',
		'Allow AI Agent to See Installation Token Values',
		"Whether the AI agent may read a token's value, which lets anyone install sensors into the tenant. A token's label can be written by anyone who can create one, and the agent reads it. Off by default: the agent sees every other field, and the value as hidden.",
	),
};

/** The permission this item of the operation needs of an agent: it changes hosts or tokens (undefined: it only reads). */
export function permissionFor(context: IExecuteFunctions, operation: FalconOperation, itemIndex: number): AgentPermission | undefined {
	const needs = operation.needsAgentPermission;
	if (!needs) return undefined;
	if ('field' in needs) return needs;
	return needs.when.call(context, itemIndex) ? needs.permission : undefined;
}

/** n8n runs a node as an agent tool through a supply-data context and under the type name `<name>Tool`. */
export function isAgentToolCall(context: IExecuteFunctions): boolean {
	if (typeof context.isToolExecution === 'function' && context.isToolExecution()) return true;
	return context.getNode().type.endsWith('Tool');
}

/** Throws before any request when an agent calls an operation the user did not allow it on this node. */
export function assertAllowedForAgent(
	context: IExecuteFunctions,
	operation: FalconOperation,
	itemIndex: number,
): void {
	if (!operation.needsAgentPermission || !isAgentToolCall(context)) return;
	const permission = permissionFor(context, operation, itemIndex);
	if (!permission || optedIn(context, permission, itemIndex)) return;
	throw refusal(context, `"${operation.name}" ${permission.does}`, permission, itemIndex);
}

/**
 * Throws before any request when an agent calls a node whose Member CID is an expression the user did not allow:
 * the tool's `$json` carries the model's arguments, so `{{ $json.cid }}` is whatever child the model names.
 */
export function assertTenantAllowedForAgent(context: IExecuteFunctions, itemIndex: number): void {
	if (!isAgentToolCall(context)) return;
	const memberCid = context.getNodeParameter(MEMBER_CID_PARAMETER, itemIndex, '', { rawExpressions: true });
	// `=<cid>` is a CID typed in expression mode: only `{{ }}` computes a value the model can reach.
	if (typeof memberCid !== 'string' || !memberCid.startsWith('=') || !memberCid.includes('{{')) return;
	if (optedIn(context, TENANT_CHOICE, itemIndex)) return;
	throw refusal(context, `This node ${TENANT_CHOICE.does}`, TENANT_CHOICE, itemIndex);
}

/** Only a literal `true` the user set: an expression (`$fromAI`, `$json`) would let the model grant it. */
function optedIn(context: IExecuteFunctions, permission: AgentPermission, itemIndex: number): boolean {
	return context.getNodeParameter(permission.field.name, itemIndex, false, { rawExpressions: true }) === true;
}

function refusal(context: IExecuteFunctions, what: string, permission: AgentPermission, itemIndex: number): NodeOperationError {
	return operationError(context.getNode(), `${what} and is not allowed for AI agents on this node`, {
		itemIndex,
		description: `Nothing was sent to Falcon. To let the agent use it, turn on "${permission.field.displayName}" on this tool node.`,
	});
}

/** The opt-in fields a node's operations need, each once, for the node's properties. */
export function agentPermissionFields(operations: FalconOperation[]): INodeProperties[] {
	const fields = new Map<string, INodeProperties>();
	for (const { needsAgentPermission: needs, hiddenFromAgent } of operations) {
		const permission = needs && ('field' in needs ? needs : needs.permission);
		if (permission) fields.set(permission.field.name, permission.field);
		if (hiddenFromAgent) fields.set(hiddenFromAgent.unless.field.name, hiddenFromAgent.unless.field);
	}
	return [...fields.values()];
}

/**
 * The item's output as an agent may see it: the operation's hidden fields replaced by a note naming the opt-in,
 * unless the user turned it on. Output for workflows is never touched.
 */
export function asSeenByAgent(
	context: IExecuteFunctions,
	operation: FalconOperation,
	items: INodeExecutionData[],
	itemIndex: number,
): INodeExecutionData[] {
	const hidden = operation.hiddenFromAgent;
	if (!hidden || !isAgentToolCall(context)) return items;
	if (optedIn(context, hidden.unless, itemIndex)) return items;
	const note = `(hidden from AI agents: turn on "${hidden.unless.field.displayName}" on the tool node)`;
	return items.map((item) => {
		if (!hidden.fields.some((field) => field in item.json)) return item;
		const json = { ...item.json };
		for (const field of hidden.fields) if (field in json) json[field] = note;
		return { ...item, json };
	});
}

/** Characters of one text field an agent gets: about 12k tokens, so one `cat` cannot fill a model's context. */
export const AGENT_TEXT_LIMIT = 50_000;
/** Characters of one call's whole output an agent gets (as JSON): about 50k tokens. */
export const AGENT_OUTPUT_LIMIT = 200_000;

/**
 * The output as an agent gets it: each text (a command's stdout, a file's contents, at any depth) cut at AGENT_TEXT_LIMIT,
 * saying how long it was, and the items past AGENT_OUTPUT_LIMIT left out, saying how many. n8n hands the model every
 * item as JSON, and an output past its context fails the agent's run (a Return All of alerts: millions of
 * characters). Output for workflows is never touched.
 */
export function cutForAgent(context: IExecuteFunctions, items: INodeExecutionData[]): INodeExecutionData[] {
	if (!isAgentToolCall(context)) return items;
	const kept: INodeExecutionData[] = [];
	let size = 0;
	let leftOut = 0;
	for (const item of items) {
		let shown = hasLongText(item.json) ? { ...item, json: cut(item.json) as IDataObject } : item;
		// An error always reaches the agent: left out, a failed call would read as a long answer.
		if (item.json.error !== undefined) {
			kept.push(shown);
			continue;
		}
		let length = JSON.stringify(shown.json).length;
		if (length > AGENT_OUTPUT_LIMIT) {
			shown = { ...shown, json: withoutLists(shown.json) };
			length = JSON.stringify(shown.json).length;
		}
		if (leftOut > 0 || size + length > AGENT_OUTPUT_LIMIT) {
			leftOut++;
			continue;
		}
		size += length;
		kept.push(shown);
	}
	if (leftOut === 0) return kept;
	const note = `${leftOut} of ${items.length} items left out for the AI agent (its output is limited to ${AGENT_OUTPUT_LIMIT} characters): narrow the search, or ask for fewer with Limit`;
	return [...kept, { json: { note }, pairedItem: items[items.length - 1].pairedItem ?? kept[0]?.pairedItem }];
}

/** An item too large for the agent on its own: its plain fields, and the names of the lists and objects left out. */
function withoutLists(json: IDataObject): IDataObject {
	const plain = Object.entries(json).filter(([, value]) => value === null || typeof value !== 'object');
	const left = Object.keys(json).filter((key) => !plain.some(([name]) => name === key));
	return { ...Object.fromEntries(plain), note: `fields left out for the AI agent (too large): ${left.join(', ')}` };
}

function hasLongText(value: unknown): boolean {
	if (typeof value === 'string') return value.length > AGENT_TEXT_LIMIT;
	if (value === null || typeof value !== 'object') return false;
	return Object.values(value).some(hasLongText);
}

function cut(value: unknown): unknown {
	if (typeof value === 'string') {
		return value.length > AGENT_TEXT_LIMIT
			? `${value.slice(0, AGENT_TEXT_LIMIT)}… [cut for the AI agent: ${value.length} characters in all]`
			: value;
	}
	if (Array.isArray(value)) return value.map(cut);
	if (value === null || typeof value !== 'object') return value;
	return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, cut(entry)]));
}
