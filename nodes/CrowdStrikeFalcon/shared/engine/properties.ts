import type { INodeProperties } from 'n8n-workflow';

import { agentPermissionFields, TENANT_CHOICE } from './aiAgent';
import { tenantField } from './tenant';
import type { FalconOperation, FalconResource } from './types';

export interface NodePropertiesOptions {
	/** The node-level Member CID (default on); off for collections that only a parent client can call. */
	memberCid?: boolean;
}

/**
 * Builds a node's fields from its resources, so the dropdowns and the dispatch come from one list: first the AI-agent
 * opt-ins its operations need (shown only on the tool variant), the Tenant option last, for every operation.
 */
export function buildNodeProperties(
	resources: FalconResource[],
	{ memberCid = true }: NodePropertiesOptions = {},
): INodeProperties[] {
	const firstResource = resources[0].value;
	const resourceSelector: INodeProperties = {
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		// Listed alphabetically, as n8n lists choices; the first declared resource is the one the node opens on.
		options: resources.map(({ name, value }) => ({ name, value })).sort((a, b) => a.name.localeCompare(b.name)),
		default: firstResource,
	};
	const optIns = [
		...agentPermissionFields(resources.flatMap((resource) => resource.operations)),
		...(memberCid ? [TENANT_CHOICE.field] : []),
	];
	return [
		...optIns,
		resourceSelector,
		...resources.flatMap(resourceProperties),
		...(memberCid ? [tenantField] : []),
	];
}

function resourceProperties(resource: FalconResource): INodeProperties[] {
	const operations = [...resource.operations].sort((a, b) => a.name.localeCompare(b.name));
	const firstOperation = resource.defaultOperation ?? operations[0].value;
	const operationSelector: INodeProperties = {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource.value] } },
		options: operations.map(({ name, value, action, description }) => ({
			name,
			value,
			action,
			description,
		})),
		default: firstOperation,
	};
	return [operationSelector, ...operations.flatMap((operation) => operationFields(resource, operation))];
}

function operationFields(resource: FalconResource, operation: FalconOperation): INodeProperties[] {
	const fields = operation.paginate
		? withPaginationFields(operation.properties)
		: operation.properties;
	return fields.map((field) => ({
		...inAlphabeticalOrder(field),
		displayOptions: {
			...field.displayOptions,
			show: {
				...field.displayOptions?.show,
				resource: [resource.value],
				operation: [operation.value],
			},
		},
	}));
}

/**
 * The editor lists a collection's options ("Add Option") in the order declared, and n8n's guidelines ask for them in
 * alphabetical order: options spread together from shared lists (the wait options beside a batch's) are sorted here.
 * An option others are shown by (Contain's wait) comes first: n8n 1.x resolves a collection's options in their order
 * and fails the whole workflow ("Could not resolve parameter dependencies") when one is shown by a later one.
 */
function inAlphabeticalOrder(field: INodeProperties): INodeProperties {
	if (field.type !== 'collection' || !Array.isArray(field.options)) return field;
	const options = field.options as INodeProperties[];
	const shownBy = new Set(options.flatMap((option) => siblingsShowing(option)));
	const rank = (option: INodeProperties) => (shownBy.has(option.name) ? 0 : 1);
	return { ...field, options: [...options].sort((a, b) => rank(a) - rank(b) || a.displayName.localeCompare(b.displayName)) };
}

/** The options of its own collection an option's display depends on (a `/name` is a root parameter). */
export function siblingsShowing(option: INodeProperties): string[] {
	const { show = {}, hide = {} } = option.displayOptions ?? {};
	return [...Object.keys(show), ...Object.keys(hide)].filter((name) => !name.startsWith('/'));
}

/** n8n's Get Many convention: Return All, then Limit (hidden when returning all), before filters and options. */
function withPaginationFields(fields: INodeProperties[]): INodeProperties[] {
	const paginationFields: INodeProperties[] = [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { returnAll: [false] } },
		},
	];
	const firstCollection = fields.findIndex((field) => field.type === 'collection');
	const at = firstCollection === -1 ? fields.length : firstCollection;
	return [...fields.slice(0, at), ...paginationFields, ...fields.slice(at)];
}

export function findOperation(
	resources: FalconResource[],
	resourceValue: string,
	operationValue: string,
): FalconOperation | undefined {
	return resources
		.find((resource) => resource.value === resourceValue)
		?.operations.find((operation) => operation.value === operationValue);
}
