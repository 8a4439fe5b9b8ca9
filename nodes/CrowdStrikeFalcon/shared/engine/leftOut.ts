import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { asBoolean } from './parameters';
import type { FalconOperation } from './types';

/**
 * The items without the operation's `leavesOut` fields, unless the item's parameter keeps them (only a true value
 * does: anything else, an expression that found nothing, leaves them out).
 */
export function withoutLeftOutFields(
	context: IExecuteFunctions,
	operation: FalconOperation,
	items: INodeExecutionData[],
	itemIndex: number,
): INodeExecutionData[] {
	const leaves = operation.leavesOut;
	if (!leaves || asBoolean(context.getNodeParameter(leaves.unless, itemIndex, false)) === true) return items;
	return items.map((item) => {
		if (!leaves.fields.some((field) => field in item.json)) return item;
		const json = { ...item.json };
		for (const field of leaves.fields) delete json[field];
		return { ...item, json };
	});
}
