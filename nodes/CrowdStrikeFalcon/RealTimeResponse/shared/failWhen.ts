import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { operationError } from '../../shared/transport/failures';
import { isFailure, type HostStatus } from './hostResults';

export const failWhenOption: INodeProperties = {
	displayName: 'Fail When',
	name: 'failWhen',
	type: 'options',
	options: [
		{
			name: 'Never (Report Each Host)',
			value: 'never',
			description: 'Every host gets an item with its status; route on the status field',
		},
		{
			name: 'Every Host Failed',
			value: 'allFailed',
			description: 'Stop the workflow only when no host succeeded',
		},
		{
			name: 'Any Host Failed',
			value: 'anyFailed',
			description: 'Stop the workflow when a single host did not succeed',
		},
	],
	default: 'never',
	description:
		'When the node should error. A host fails with status stderr, api_error, not_found or timeout; offline_queued is not a failure.',
};

/** Applies Fail When to the per-host items; with Continue On Fail the items are returned as they are. */
export function checkFailWhen(
	context: IExecuteFunctions,
	failWhen: unknown,
	items: INodeExecutionData[],
): INodeExecutionData[] {
	const failed = items.filter((item) => isFailure(item.json.status as HostStatus));
	const fail =
		items.length > 0 &&
		((failWhen === 'allFailed' && failed.length === items.length) || (failWhen === 'anyFailed' && failed.length > 0));
	if (!fail || context.continueOnFail()) return items;
	const summary = failed
		.slice(0, 5)
		.map((item) => `${String(item.json.host_id)}: ${String(item.json.status)}`)
		.join(', ');
	throw operationError(context.getNode(), `${failed.length} of ${items.length} hosts failed (${summary}${failed.length > 5 ? ', …' : ''})`, {
		description: 'Set "Fail When" to "Never (Report Each Host)" to get one item per host with its status instead.',
	});
}
