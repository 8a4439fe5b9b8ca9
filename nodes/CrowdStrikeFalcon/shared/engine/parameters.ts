import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { operationError } from '../transport/failures';
import { choiceLists, unknownChoice } from './choices';
import { inTimeZone } from './dateTime';
import type { FalconOperation } from './types';

/**
 * Reads every field of the operation (fields hidden by displayOptions read as undefined), plus each mapped
 * `collection.option` key, so rules, mappings and cross-field checks all see the same values: an expression's JSON
 * null is "not set", a boolean field given the text of a boolean (a sheet cell) holds the boolean, a text field given
 * a number holds its text, and a date and time without a zone (what n8n's date picker stores) is the instant it names
 * in the workflow's time zone.
 */
export function readParameters(
	context: IExecuteFunctions,
	operation: FalconOperation,
	itemIndex: number,
): IDataObject {
	const values: IDataObject = {};
	const timeZone = context.getTimezone();
	for (const property of operation.properties) {
		values[property.name] = normalised(property, readOne(context, property.name, itemIndex), timeZone);
	}
	for (const key of Object.keys(operation.parameters ?? {})) {
		if (key.includes('.')) values[key] = valueAt(values, key);
	}
	return values;
}

/** The value of a parameter key among the fields read: a field, or `collection.option` inside one. */
export function valueAt(values: IDataObject, key: string): IDataObject[string] {
	const [name, option] = key.split('.');
	return option === undefined ? values[name] : (values[name] as IDataObject | undefined)?.[option];
}

function normalised(property: INodeProperties, value: IDataObject[string], timeZone: string): IDataObject[string] {
	if (property.type === 'boolean') return asBoolean(value);
	if (property.type === 'dateTime') return inTimeZone(value, timeZone) as IDataObject[string];
	// A text field given an expression's number (a ticket number as a label) holds its text: sent as a JSON number,
	// Falcon reads the field as missing.
	if (property.type === 'string' && (typeof value === 'number' || typeof value === 'boolean')) return String(value);
	if (property.type !== 'collection' || value === undefined || typeof value !== 'object' || Array.isArray(value)) {
		return value;
	}
	const options = new Map((property.options ?? []).map((option) => [option.name, option as INodeProperties]));
	const copy: IDataObject = {};
	for (const [name, entry] of Object.entries(value as IDataObject)) {
		if (entry === null || entry === undefined) continue;
		const option = options.get(name);
		copy[name] = option ? normalised(option, entry, timeZone) : entry;
	}
	return copy;
}

function readOne(context: IExecuteFunctions, name: string, itemIndex: number): IDataObject[string] {
	const value = context.getNodeParameter(name, itemIndex, null) as IDataObject[string];
	return value === null ? undefined : value;
}

/** A boolean given as the text of a boolean ('true', 'FALSE'): the boolean; anything else as it is. */
export function asBoolean<T>(value: T): T | boolean {
	if (typeof value !== 'string') return value;
	const text = value.trim().toLowerCase();
	return text === 'true' ? true : text === 'false' ? false : value;
}

/**
 * The first dropdown or switch, top level or in a collection, whose value is none of its choices (n8n checks
 * neither when an expression sets it): a Minimum Severity "High" must not read as no filter, nor a Wait Until
 * Contained "yes" as off. `skip`: dropdowns checked otherwise.
 */
export function invalidChoiceOrSwitch(
	properties: INodeProperties[],
	values: IDataObject,
	skip: (key: string) => boolean = () => false,
): { label: string; problem: string } | undefined {
	for (const [key, choices] of choiceLists(properties, skip)) {
		const problem = unknownChoice(choices, valueAt(values, key));
		if (problem) return { label: labelOf(properties, key), problem };
	}
	for (const key of booleanKeys(properties)) {
		const value = asBoolean(valueAt(values, key));
		if (value === undefined || value === null || typeof value === 'boolean') continue;
		return { label: labelOf(properties, key), problem: `must be true or false (got ${JSON.stringify(value)})` };
	}
	return undefined;
}

/** The keys of the boolean fields, and of the boolean options of collections (`options.wait`). */
function booleanKeys(properties: INodeProperties[]): string[] {
	const keys: string[] = [];
	for (const property of properties) {
		if (property.type === 'boolean') keys.push(property.name);
		if (property.type !== 'collection') continue;
		for (const option of (property.options ?? []) as INodeProperties[]) {
			if (option.type === 'boolean') keys.push(`${property.name}.${option.name}`);
		}
	}
	return keys;
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
	return operationError(context.getNode(), `Invalid "${label}": ${problem}`, {
		itemIndex,
		description: `Nothing was sent to Falcon. Fix "${label}" and run the node again.`,
	});
}
