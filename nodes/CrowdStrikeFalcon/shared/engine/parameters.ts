import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { FalconOperation } from './types';

/**
 * Reads every field of the operation (fields hidden by displayOptions read as undefined), plus each mapped
 * `collection.option` key, so rules and cross-field checks see the same values.
 */
export function readParameters(
	context: IExecuteFunctions,
	operation: FalconOperation,
	itemIndex: number,
): IDataObject {
	const values: IDataObject = {};
	for (const { name, type } of operation.properties) {
		const value = readOne(context, name, itemIndex);
		values[name] = type === 'boolean' ? asBoolean(value) : value;
	}
	const collections = new Map<string, IDataObject>();
	for (const key of Object.keys(operation.parameters ?? {})) {
		const [name, option] = key.split('.');
		if (option === undefined) {
			values[key] = readOne(context, name, itemIndex);
			continue;
		}
		if (!collections.has(name)) {
			collections.set(name, (context.getNodeParameter(name, itemIndex, {}) ?? {}) as IDataObject);
		}
		// An expression giving JSON null means "not set", as for a top-level field, never the text 'null'.
		values[key] = collections.get(name)?.[option] ?? undefined;
		if (propertyOf(operation.properties, key)?.type === 'boolean') values[key] = asBoolean(values[key]);
	}
	return values;
}

/** A boolean field set by an expression may give the text of a boolean (a sheet cell): read as the boolean. */
function asBoolean(value: IDataObject[string]): IDataObject[string] {
	if (typeof value !== 'string') return value;
	const text = value.trim().toLowerCase();
	return text === 'true' ? true : text === 'false' ? false : value;
}

/** The declared field (or collection option) a parameter key names. */
export function propertyOf(properties: INodeProperties[], key: string): INodeProperties | undefined {
	const [name, option] = key.split('.');
	const property = properties.find((candidate) => candidate.name === name);
	if (!property || option === undefined) return property;
	return (property.options ?? []).find(
		(candidate) => 'name' in candidate && candidate.name === option && 'displayName' in candidate,
	) as INodeProperties | undefined;
}

function readOne(context: IExecuteFunctions, name: string, itemIndex: number): IDataObject[string] {
	const value = context.getNodeParameter(name, itemIndex, null) as IDataObject[string];
	return value === null ? undefined : value;
}

/** The label users see for a parameter key, e.g. `Filters > Status` for `filters.status`. */
export function labelOf(properties: INodeProperties[], key: string): string {
	const [name, option] = key.split('.');
	const property = properties.find((candidate) => candidate.name === name);
	if (!property) return key;
	if (option === undefined) return property.displayName;
	return `${property.displayName} > ${propertyOf(properties, key)?.displayName ?? option}`;
}

export function invalidParameter(
	context: Pick<IExecuteFunctions, 'getNode'>,
	label: string,
	problem: string,
	itemIndex: number,
): NodeOperationError {
	return new NodeOperationError(context.getNode(), `Invalid "${label}": ${problem}`, {
		itemIndex,
		description: `Nothing was sent to Falcon. Fix "${label}" and run the node again.`,
	});
}
