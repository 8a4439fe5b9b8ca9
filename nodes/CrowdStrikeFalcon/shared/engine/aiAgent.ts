import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

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

function optInField(name: string, displayName: string, description: string): INodeProperties {
	return { displayName, name, type: 'boolean', default: false, displayOptions: { show: { '@tool': [true] } }, description };
}

export const HOST_CHANGES: AgentPermission = {
	does: 'changes hosts',
	field: optInField(
		'allowHostChangesByAgent',
		'Allow AI Agent to Change Hosts',
		'Whether the AI agent may run operations that change hosts or pull data off them (containment, host tags, active responder commands, getting and deleting files). Off by default: such calls fail without reaching Falcon.',
	),
};

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

export const TOKEN_VALUES: AgentPermission = {
	does: 'reads installation token values',
	field: optInField(
		'allowTokenValuesToAgent',
		'Allow AI Agent to See Installation Token Values',
		"Whether the AI agent may read a token's value, which lets anyone install sensors into the tenant. A token's label can be written by anyone who can create one, and the agent reads it. Off by default: the agent sees every other field, and the value as hidden.",
	),
};

/** The permission an operation needs from an agent for this item, if any. */
function permissionFor(context: IExecuteFunctions, operation: FalconOperation, itemIndex: number): AgentPermission | undefined {
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
	if (!permission) return;
	if (context.getNodeParameter(permission.field.name, itemIndex, false) === true) return;
	throw new NodeOperationError(
		context.getNode(),
		`"${operation.name}" ${permission.does} and is not allowed for AI agents on this node`,
		{
			itemIndex,
			description: `Nothing was sent to Falcon. To let the agent use it, turn on "${permission.field.displayName}" on this tool node.`,
		},
	);
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
	if (context.getNodeParameter(hidden.unless.field.name, itemIndex, false) === true) return items;
	const note = `(hidden from AI agents: turn on "${hidden.unless.field.displayName}" on the tool node)`;
	return items.map((item) => {
		if (!hidden.fields.some((field) => field in item.json)) return item;
		const json = { ...item.json };
		for (const field of hidden.fields) if (field in json) json[field] = note;
		return { ...item, json };
	});
}
