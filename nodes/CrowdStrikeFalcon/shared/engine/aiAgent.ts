import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { FalconOperation } from './types';

export const ALLOW_HOST_CHANGES_BY_AGENT = 'allowHostChangesByAgent';

/**
 * The opt-in a node adds when some of its operations change hosts. n8n shows `@tool` fields only on the node's
 * AI-tool variant (`<name>Tool`), so workflow users never see it and agents start without the permission.
 */
export const allowHostChangesByAgentField: INodeProperties = {
	displayName: 'Allow AI Agent to Change Hosts',
	name: ALLOW_HOST_CHANGES_BY_AGENT,
	type: 'boolean',
	default: false,
	displayOptions: { show: { '@tool': [true] } },
	description:
		'Whether the AI agent may run operations that change hosts or pull data off them (containment, host tags, active responder commands, getting and deleting files). Off by default: such calls fail without reaching Falcon.',
};

/** n8n runs a node as an agent tool through a supply-data context and under the type name `<name>Tool`. */
export function isAgentToolCall(context: IExecuteFunctions): boolean {
	if (typeof context.isToolExecution === 'function' && context.isToolExecution()) return true;
	return context.getNode().type.endsWith('Tool');
}

/** Throws before any request when an agent calls a host-changing operation the user did not allow. */
export function assertAllowedForAgent(
	context: IExecuteFunctions,
	operation: FalconOperation,
	itemIndex: number,
): void {
	const { changesHosts } = operation;
	if (!changesHosts || !isAgentToolCall(context)) return;
	const changes = typeof changesHosts === 'function' ? changesHosts.call(context, itemIndex) : true;
	if (!changes) return;
	if (context.getNodeParameter(ALLOW_HOST_CHANGES_BY_AGENT, itemIndex, false) === true) return;
	throw new NodeOperationError(
		context.getNode(),
		`"${operation.name}" changes hosts and is not allowed for AI agents on this node`,
		{
			itemIndex,
			description:
				'Nothing was sent to Falcon. To let the agent use it, turn on "Allow AI Agent to Change Hosts" on this tool node.',
		},
	);
}
