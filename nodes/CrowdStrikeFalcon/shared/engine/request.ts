import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { FalconRequest } from '../transport/falconRequest';
import { invalidChoiceOrSwitch, invalidParameter, labelOf, readParameters } from './parameters';
import type { FalconOperation, ValueResolver } from './types';

export interface PreparedRequest {
	request: FalconRequest;
	/** Mapped values by API name, for outputs that echo what was sent. */
	sent: IDataObject;
	/** Values still to be looked up in Falcon before the request is sent (see `resolveRequest`). */
	unresolved?: UnresolvedValue[];
	/** What the records must also match, beyond what Falcon's filter could say (see ParameterMapping.refine). */
	keep?: (record: IDataObject) => boolean;
}

export interface UnresolvedValue {
	target: IDataObject;
	apiName: string;
	resolve: ValueResolver;
}

/** Reads, checks and maps an item's parameters into a Falcon request; throws before anything is sent. */
export function prepareRequest(
	context: IExecuteFunctions,
	operation: FalconOperation,
	itemIndex: number,
): PreparedRequest {
	const values = readParameters(context, operation, itemIndex);
	// A dropdown whose mapping has rules checks the value itself (a clearer message, a lenient reading).
	const checkedByMapping = (key: string) => operation.parameters?.[key]?.rules !== undefined;
	const unchosen = invalidChoiceOrSwitch(operation.properties, values, checkedByMapping);
	if (unchosen) throw invalidParameter(context, unchosen.label, unchosen.problem, itemIndex);
	const qs: IDataObject = {};
	const body: IDataObject = {};
	const pathValues: IDataObject = {};
	const sent: IDataObject = {};
	const unresolved: UnresolvedValue[] = [];
	const refinements: Array<(record: IDataObject) => boolean> = [];
	for (const [key, mapping] of Object.entries(operation.parameters ?? {})) {
		const value = values[key];
		for (const rule of mapping.rules ?? []) {
			const problem = rule(value, values);
			if (problem) throw invalidParameter(context, labelOf(operation.properties, key), problem, itemIndex);
		}
		// An option the user did not add is absent, not a value to transform.
		let wire = value === undefined ? undefined : mapping.transform ? mapping.transform(value, values) : value;
		const empty = wire === undefined || (wire === null && !mapping.transform) || wire === '' || (Array.isArray(wire) && wire.length === 0);
		if (empty && mapping.narrows && optionAdded(context, key, itemIndex)) {
			const problem = 'was added but is empty (an expression that found nothing?): give it a value or remove it, since without it the search covers every record';
			throw invalidParameter(context, labelOf(operation.properties, key), problem, itemIndex);
		}
		// A path without one of its segments would reach another endpoint, or none.
		if (empty && mapping.to === 'path') {
			throw invalidParameter(context, labelOf(operation.properties, key), 'must not be empty', itemIndex);
		}
		if (empty) continue;
		if (Array.isArray(wire) && mapping.to === 'query' && mapping.listFormat === 'csv') wire = wire.join(',');
		const apiName = mapping.as ?? key.split('.').pop()!;
		const target = mapping.to === 'query' ? qs : mapping.to === 'body' ? body : pathValues;
		const earlier = target[apiName];
		// Several fields may feed one API name: FQL terms are joined, lists (e.g. action_parameters) concatenated.
		target[apiName] =
			mapping.joinWith && earlier !== undefined
				? `${String(earlier)}${mapping.joinWith}${String(wire)}`
				: Array.isArray(earlier) && Array.isArray(wire)
					? [...earlier, ...wire]
					: (wire as IDataObject[string]);
		sent[apiName] = target[apiName];
		if (mapping.resolve) unresolved.push({ target, apiName, resolve: mapping.resolve });
		const refinement = mapping.refine?.(value);
		if (refinement) refinements.push(refinement);
	}
	const problem = operation.validate?.(values);
	if (problem) throw invalidParameter(context, operation.name, problem, itemIndex);
	const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) =>
		encodeURIComponent(String(pathValues[name])),
	);
	const hasBody = Object.keys(body).length > 0;
	// An update whose fields all came out empty or off would be sent as a change of nothing and reported a success.
	if (operation.method === 'PATCH' && !hasBody) {
		throw invalidParameter(context, operation.name, 'nothing to change: every field given is empty or off', itemIndex);
	}
	return {
		request: {
			method: operation.method,
			path,
			qs: Object.keys(qs).length > 0 ? qs : undefined,
			body: hasBody ? body : undefined,
			idempotent: operation.idempotent,
			itemIndex,
		},
		sent,
		...(unresolved.length > 0 ? { unresolved } : {}),
		...(refinements.length > 0 ? { keep: (record: IDataObject) => refinements.every((matches) => matches(record)) } : {}),
	};
}

/**
 * Whether the item's collection holds the option `collection.option` at all, whatever its value. One an AI agent
 * fills (`$fromAI`) does not count: leaving it empty is how the agent leaves the filter out.
 */
function optionAdded(context: IExecuteFunctions, key: string, itemIndex: number): boolean {
	const [name, option] = key.split('.');
	if (option === undefined) return false;
	const raw = context.getNodeParameter(name, itemIndex, {}, { rawExpressions: true }) as IDataObject | null;
	if (typeof raw !== 'object' || raw === null || !(option in raw)) return false;
	return !(typeof raw[option] === 'string' && /\$fromAI\s*\(/i.test(raw[option] as string));
}

/** Replaces each value that needs a Falcon look-up (e.g. a hostname) with what Falcon answered, in place. */
export async function resolveRequest(
	this: IExecuteFunctions,
	prepared: PreparedRequest,
	itemIndex: number,
): Promise<void> {
	for (const { target, apiName, resolve } of prepared.unresolved ?? []) {
		target[apiName] = (await resolve.call(this, target[apiName], itemIndex)) as IDataObject[string];
		prepared.sent[apiName] = target[apiName];
	}
	delete prepared.unresolved;
}
