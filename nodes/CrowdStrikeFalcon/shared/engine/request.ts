import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { FalconRequest } from '../transport/falconRequest';
import { invalidParameter, labelOf, readParameters } from './parameters';
import type { FalconOperation } from './types';

export interface PreparedRequest {
	request: FalconRequest;
	/** Mapped values by API name, for outputs that echo what was sent. */
	sent: IDataObject;
}

/** Reads, checks and maps an item's parameters into a Falcon request; throws before anything is sent. */
export function prepareRequest(
	context: IExecuteFunctions,
	operation: FalconOperation,
	itemIndex: number,
): PreparedRequest {
	const values = readParameters(context, operation, itemIndex);
	const qs: IDataObject = {};
	const body: IDataObject = {};
	const pathValues: IDataObject = {};
	const sent: IDataObject = {};
	for (const [key, mapping] of Object.entries(operation.parameters ?? {})) {
		const value = values[key];
		for (const rule of mapping.rules ?? []) {
			const problem = rule(value);
			if (problem) throw invalidParameter(context, labelOf(operation.properties, key), problem, itemIndex);
		}
		// An option the user did not add is absent, not a value to transform.
		if (value === undefined) continue;
		let wire = mapping.transform ? mapping.transform(value, values) : value;
		if (wire === undefined || (wire === null && !mapping.transform) || wire === '') continue;
		if (Array.isArray(wire) && wire.length === 0) continue;
		if (Array.isArray(wire) && mapping.to === 'query' && mapping.listFormat === 'csv') wire = wire.join(',');
		const apiName = mapping.as ?? key.split('.').pop()!;
		const target = mapping.to === 'query' ? qs : mapping.to === 'body' ? body : pathValues;
		target[apiName] =
			mapping.joinWith && target[apiName] !== undefined
				? `${String(target[apiName])}${mapping.joinWith}${String(wire)}`
				: (wire as IDataObject[string]);
		sent[apiName] = target[apiName];
	}
	const problem = operation.validate?.(values);
	if (problem) throw invalidParameter(context, operation.name, problem, itemIndex);
	const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) =>
		encodeURIComponent(String(pathValues[name])),
	);
	const hasBody = Object.keys(body).length > 0;
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
	};
}
