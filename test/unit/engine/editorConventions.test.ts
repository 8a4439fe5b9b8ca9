import type { INodeParameters, INodeProperties, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { siblingsShowing } from '../../../nodes/CrowdStrikeFalcon/shared/engine/properties';
import { packageNodes } from '../../harness/nodeTypes';

const descriptions = Object.entries(packageNodes).map(([type, node]) => [type, (node as { description: INodeTypeDescription }).description] as const);

/** Every collection of the built description (the lint reads literal arrays only; most options are spread together). */
function collections(properties: INodeProperties[]): INodeProperties[] {
	return properties.flatMap((property) =>
		property.type === 'collection' ? [property, ...collections(property.options as INodeProperties[])] : [],
	);
}

describe("the editor's conventions on the built descriptions", () => {
	it.each(descriptions)('%s lists every collection\'s options ("Add Option") in alphabetical order, those that show others first', (_, description) => {
		for (const collection of collections(description.properties)) {
			const options = collection.options as INodeProperties[];
			const showing = new Set(options.flatMap(siblingsShowing));
			const names = (which: boolean) => options.filter((option) => showing.has(option.name) === which).map((option) => option.displayName);
			expect(options.map((option) => option.displayName)).toEqual([...names(true), ...names(false)]);
			expect(names(false)).toEqual([...names(false)].sort((a, b) => a.localeCompare(b)));
		}
	});

	// n8n 1.x resolves a collection's options in order and fails the whole workflow when one is shown by an option that
	// is missing or comes later ("Could not resolve parameter dependencies"; the compat suite met it).
	it.each(descriptions)('%s shows a collection option only by an earlier option of the same collection, or a root parameter', (_, description) => {
		for (const collection of collections(description.properties)) {
			const options = collection.options as INodeProperties[];
			options.forEach((option, index) => {
				for (const name of siblingsShowing(option)) {
					expect(options.slice(0, index).map((earlier) => earlier.name)).toContain(name);
				}
			});
		}
	});

	// Alerts' Severity keeps severity order on purpose (Critical first).
	it.each(descriptions)('%s lists the Event Types choices in alphabetical order', (_, description) => {
		const multiOptions = [...description.properties, ...collections(description.properties).flatMap((collection) => collection.options as INodeProperties[])].filter(
			(property) => property.type === 'multiOptions' && property.name === 'eventTypes',
		);
		for (const property of multiOptions) {
			const names = (property.options as Array<{ name: string }>).map((option) => option.name);
			expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
		}
	});

	it.each(descriptions)('%s lists its resources and each resource\'s operations in alphabetical order', (_, description) => {
		const selectors = description.properties.filter((property) => property.name === 'resource' || property.name === 'operation');
		for (const selector of selectors) {
			const names = (selector.options as Array<{ name: string }>).map((option) => option.name);
			expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
		}
	});

	it('a node opens on the resource its playbooks need most', () => {
		const resourceDefault = (type: string) =>
			descriptions.find(([name]) => name.endsWith(`.${type}`))?.[1].properties.find((property) => property.name === 'resource')?.default;
		expect(resourceDefault('crowdStrikeFalconRealTimeResponse')).toBe('command');
		expect(resourceDefault('crowdStrikeFalconInstallationTokens')).toBe('token');
	});

	const operationDefault = (description: INodeTypeDescription, resource: string) =>
		description.properties.find((property) => property.name === 'operation' && property.displayOptions?.show?.resource?.includes(resource))?.default;

	it('a resource opens on a read, not on Create, Delete or Aggregate', () => {
		const byName = Object.fromEntries(descriptions.map(([type, description]) => [type.split('.')[1], description]));
		expect(operationDefault(byName.crowdStrikeFalconInstallationTokens, 'token')).toBe('getAll');
		expect(operationDefault(byName.crowdStrikeFalconRealTimeResponse, 'session')).toBe('getAll');
		expect(operationDefault(byName.crowdStrikeFalconRealTimeResponse, 'queuedCommand')).toBe('get');
	});

	it('Event Streams > Event > Read, as dropped in, has nothing left to fill in', () => {
		const [, description] = descriptions.find(([type]) => type.endsWith('crowdStrikeFalconEventStreams'))!;
		const parameters = NodeHelpers.getNodeParameters(description.properties, { resource: 'event', operation: 'read' }, true, false, null, description) as INodeParameters;
		const node = { id: '1', name: 'Read', type: 'x', typeVersion: 1, position: [0, 0] as [number, number], parameters };
		expect(NodeHelpers.getNodeParametersIssues(description.properties, node, description)).toBeNull();
	});
});
