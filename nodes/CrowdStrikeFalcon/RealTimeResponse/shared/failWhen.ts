import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { firstPairedIndex } from '../../shared/engine/executeOperations';

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
		'When the node should error. A host fails with status stderr, api_error, not_found or timeout; offline_queued is not a failure. With Settings → On Error → Continue the node never errors: route on each host\'s status instead.',
};

/** Statuses of hosts that ran the command, or will once back online. */
const RAN: ReadonlySet<string> = new Set<HostStatus>(['success', 'stderr', 'offline_queued']);

/**
 * Applies each item's Fail When to the per-host items, once every item (and tenant) has run: the hosts of items
 * asking the same rule are judged together, so one child's or one item's hosts all offline is no reason to stop
 * while others succeeded, and an expression that gives items different rules has each rule judge its own items'
 * hosts. With Continue On Fail the items are returned as they are. `changesHosts` names the items whose command
 * changed the hosts it ran on: the error then says that running the execution again runs it on them again.
 */
export function judgeFailWhen(
	context: IExecuteFunctions,
	output: INodeExecutionData[],
	changesHosts: (itemIndex: number) => boolean = () => false,
): INodeExecutionData[] {
	if (context.continueOnFail()) return output;
	const ruleOf = oncePerItem((itemIndex) => (context.getNodeParameter('options', itemIndex, {}) as IDataObject).failWhen ?? 'never');
	const byRule = new Map<unknown, INodeExecutionData[]>();
	for (const item of output) {
		const rule = ruleOf(firstPairedIndex(item));
		const items = byRule.get(rule);
		if (items) items.push(item);
		else byRule.set(rule, [item]);
	}
	const changed = oncePerItem(changesHosts);
	for (const [rule, items] of byRule) {
		const failed = items.filter((item) => isFailure(item.json.status as HostStatus));
		const fails = (rule === 'allFailed' && failed.length === items.length) || (rule === 'anyFailed' && failed.length > 0);
		if (!fails || items.length === 0) continue;
		const summary = failed
			.slice(0, 5)
			.map((item) => `${String(item.json.host_id)}: ${String(item.json.status)}`)
			.join(', ');
		// A host still running the command at the Deadline (timeout), or whose status read failed, got it too; so may one
		// whose command call failed with a 5xx or no answer.
		const gotIt = (json: IDataObject) => RAN.has(String(json.status)) || Boolean(json.cloud_request_id) || json.may_have_run === true;
		const got = output.filter((item) => gotIt(item.json) && changed(firstPairedIndex(item)));
		const running = got.filter((item) => !RAN.has(String(item.json.status))).length;
		const advice = 'Set "Fail When" to "Never (Report Each Host)" to get one item per host with its status instead.';
		const rerun = `${got.length} host${got.length === 1 ? '' : 's'} got the command (${running > 0 ? `${running} still running it or unconfirmed; ` : ''}offline ones run it once back online), and their results are lost with this error: running the execution again runs it on them again.`;
		throw operationError(context.getNode(), `${failed.length} of ${items.length} hosts failed (${summary}${failed.length > 5 ? ', …' : ''})`, {
			description: got.length > 0 ? `${rerun} ${advice}` : advice,
		});
	}
	return output;
}

/** `read` asked once per input item: a batch of 10,000 hosts comes from a handful of items. */
function oncePerItem<T>(read: (itemIndex: number) => T): (itemIndex: number) => T {
	const known = new Map<number, T>();
	return (itemIndex) => {
		if (!known.has(itemIndex)) known.set(itemIndex, read(itemIndex));
		return known.get(itemIndex)!;
	};
}
