import type { IDataObject } from 'n8n-workflow';

import { notEmpty } from '../../shared/engine/rules';
import type { FalconOperation } from '../../shared/engine/types';
import { DISCOVERY_PATH } from '../../shared/stream/discovery';
import { appIdField, appIdRule } from '../fields';

export const listAvailable: FalconOperation = {
	value: 'listAvailable',
	name: 'List Available',
	action: 'List available event streams',
	description: 'Discover the feed of every partition for an App ID: URL, session credential and refresh interval',
	operationId: 'listAvailableStreamsOAuth2',
	method: 'GET',
	path: DISCOVERY_PATH,
	idempotent: true,
	scopes: ['Event streams: Read'],
	properties: [
		appIdField(
			'Name of the consumer (1–32 letters or digits). Only one consumer may hold an App ID at a time: do not reuse the App ID of a running trigger.',
		),
		{
			displayName: 'Format',
			name: 'format',
			type: 'options',
			options: [
				{ name: 'JSON', value: 'json' },
				{ name: 'Flat JSON', value: 'flatjson', description: 'Events with flattened field names' },
			],
			default: 'json',
		},
	],
	parameters: {
		appId: { to: 'query', rules: [notEmpty, appIdRule] },
		format: { to: 'query', transform: (value) => (value === 'json' ? undefined : value) },
	},
	// The partition is only in the URLs; surface it, as every use of a stream is per partition.
	mapResource: (resource: IDataObject) => ({
		partition: partitionOf(String(resource.refreshActiveSessionURL ?? resource.dataFeedURL ?? '')),
		...resource,
	}),
};

function partitionOf(url: string): number | null {
	const match = /datafeed(?:-actions)?\/v1\/(\d+)/.exec(url);
	return match ? Number(match[1]) : null;
}
