import type { INodeProperties, INodePropertyOptions, INodeType } from 'n8n-workflow';

import { catalog } from '../../../nodes/CrowdStrikeFalcon/catalog';
import type { FalconOperation, FalconResource } from '../../../nodes/CrowdStrikeFalcon/shared/engine/types';
import packageJson from '../../../package.json';

const declarations = Object.entries(catalog).flatMap(([collection, resources]) =>
	resources.flatMap((resource) =>
		resource.operations.map((operation) => ({ collection, resource, operation })),
	),
);
const rows = declarations.map(({ collection, resource, operation }) => [
	`${collection} / ${resource.name} / ${operation.name}`,
	resource,
	operation,
]) as Array<[string, FalconResource, FalconOperation]>;

/** The field a parameter key names: a top-level field or an option inside a collection. */
function fieldFor(operation: FalconOperation, key: string): INodeProperties | undefined {
	const [name, option] = key.split('.');
	const field = operation.properties.find((property) => property.name === name);
	if (!field || option === undefined) return field;
	return (field.options as INodeProperties[] | undefined)?.find((child) => child.name === option);
}

function allFields(properties: INodeProperties[]): INodeProperties[] {
	return properties.flatMap((property) => [
		property,
		...((property.type === 'collection' ? property.options : []) as INodeProperties[]),
	]);
}

/** Every `searchListMethod` of the resource locators among `properties`, at any depth (collections included). */
function searchListMethods(properties: unknown[]): string[] {
	const found: string[] = [];
	for (const property of properties as Array<INodeProperties & { values?: unknown[] }>) {
		if (property.type === 'resourceLocator') {
			for (const mode of property.modes ?? []) {
				const method = mode.typeOptions?.searchListMethod;
				if (typeof method === 'string') found.push(method);
			}
		}
		for (const nested of [property.options, property.values]) {
			if (Array.isArray(nested)) found.push(...searchListMethods(nested));
		}
	}
	return [...new Set(found)];
}

describe.each(rows)('%s', (_label, resource, operation) => {
	it('records its Falcon operation id and the ids it also calls', () => {
		expect(operation.operationId).toMatch(/^[A-Za-z][A-Za-z0-9_]+$/);
		for (const id of operation.alsoUses ?? []) expect(id).toMatch(/^[A-Za-z][A-Za-z0-9_]+$/);
	});

	it('has n8n naming: camelCase value, action text, Get Many <-> getAll', () => {
		expect(operation.value).toMatch(/^[a-z][A-Za-z0-9]*$/);
		expect(operation.action.length).toBeGreaterThan(5);
		expect(operation.description.length).toBeGreaterThan(5);
		expect(operation.name === 'Get Many').toBe(operation.value === 'getAll');
	});

	it('maps only fields it declares', () => {
		for (const key of Object.keys(operation.parameters ?? {})) {
			expect(fieldFor(operation, key)).toBeDefined();
		}
	});

	it('binds every {placeholder} in its path', () => {
		const placeholders = [...operation.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
		const pathNames = Object.entries(operation.parameters ?? {})
			.filter(([, mapping]) => mapping.to === 'path')
			.map(([key, mapping]) => mapping.as ?? key.split('.').pop());
		expect(pathNames.sort()).toEqual(placeholders.sort());
	});

	it('looks values up in Falcon (resolve) only for query and body mappings', () => {
		for (const [key, mapping] of Object.entries(operation.parameters ?? {})) {
			if (mapping.resolve) expect([key, mapping.to]).toEqual([key, expect.stringMatching(/^(query|body)$/)]);
		}
	});

	it('paginates only query endpoints: GET /queries/, or POST /combined/ paged by an after token', () => {
		if (operation.paginate) {
			if (operation.paginate.style === 'after') {
				expect([operation.method, operation.path]).toEqual(['POST', expect.stringContaining('/combined/')]);
			} else {
				expect(operation.method).toBe('GET');
				expect(operation.path).toContain('/queries/');
			}
			expect(operation.properties.some((field) => field.name === 'returnAll' || field.name === 'limit')).toBe(false);
		}
		if (operation.details) expect(operation.paginate).toBeDefined();
	});

	it('leaves resource/operation display rules to the engine and words boolean descriptions as n8n does', () => {
		for (const field of allFields(operation.properties)) {
			expect(field.displayOptions?.show?.resource).toBeUndefined();
			expect(field.displayOptions?.show?.operation).toBeUndefined();
			if (field.type === 'boolean' && field.description) expect(field.description).toMatch(/^Whether /);
		}
	});

	it('has a unique value within its resource, and the resource opens on an operation it has', () => {
		expect(resource.operations.map((other) => other.value)).toContain(resource.defaultOperation ?? operation.value);
		expect(resource.operations.filter((other) => other.value === operation.value)).toHaveLength(1);
	});
});

describe('every node in package.json', () => {
	const nodePaths = packageJson.n8n.nodes.map((path) => `../../../${path.replace(/^dist\//, '').replace(/\.js$/, '')}`);

	it.each(nodePaths)('%s defines every searchListMethod its resource locators name under methods.listSearch', async (path) => {
		const module = (await import(path)) as Record<string, new () => INodeType>;
		const node = new (Object.values(module)[0])();
		const named = searchListMethods(node.description.properties);
		for (const method of named) {
			expect([method, typeof node.methods?.listSearch?.[method]]).toEqual([method, 'function']);
		}
		if (node.description.name === 'crowdStrikeFalconHosts' || node.description.name === 'crowdStrikeFalconRealTimeResponse') {
			expect(named).toContain('searchHosts');
		}
	});

	it.each(nodePaths)('%s loads, and its dropdowns list exactly the catalog operations', async (path) => {
		const module = (await import(path)) as Record<string, new () => INodeType>;
		const node = new (Object.values(module)[0])();
		const { description } = node;
		expect(description.icon).toBeDefined();
		expect(description.subtitle ?? description.name).toBeDefined();
		if (description.name.endsWith('Trigger')) {
			expect(description.usableAsTool).not.toBe(true);
			return;
		}
		expect(typeof description.usableAsTool === 'boolean' || typeof description.usableAsTool === 'object').toBe(true);
		const resourceField = description.properties.find((property) => property.name === 'resource');
		// The dropdown lists them alphabetically, the catalog in its own order: the same set.
		const resources = ((resourceField?.options ?? []) as INodePropertyOptions[]).map((option) => String(option.value)).sort();
		const fromCatalog = Object.values(catalog).find((candidate) =>
			candidate.map((resource) => resource.value).sort().join() === resources.join(),
		);
		expect(fromCatalog).toBeDefined();
		for (const resource of fromCatalog!) {
			const selector = description.properties.find(
				(property) => property.name === 'operation' && property.displayOptions?.show?.resource?.[0] === resource.value,
			);
			const values = ((selector?.options ?? []) as INodePropertyOptions[]).map((option) => option.value).sort();
			expect(values).toEqual(resource.operations.map((operation) => operation.value).sort());
		}
	});
});
