import type { IDataObject } from 'n8n-workflow';

import { notEmpty } from '../../shared/engine/rules';
import { runDeclaredOperation } from '../../shared/engine/runOperation';
import type { FalconOperation } from '../../shared/engine/types';
import { DISCOVERY_PATH } from '../../shared/stream/discovery';
import { appIdField, appIdRule } from '../fields';

export const REDACTED = '[redacted]';

export const listAvailable: FalconOperation = {
	value: 'listAvailable',
	name: 'List Available',
	action: 'List available event streams',
	description: 'Discover the feed of every partition for an App ID: URL, session expiry and refresh interval',
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
		{
			displayName: 'Include Session Token',
			name: 'includeSessionToken',
			type: 'boolean',
			default: false,
			description:
				'Whether to return each feed\'s session token instead of "[redacted]". Warning: the token opens the feed as this App ID until it expires, and it is stored in plain text in n8n\'s execution data; only for handing a feed to another system.',
		},
	],
	parameters: {
		appId: { to: 'query', rules: [notEmpty, appIdRule] },
		format: { to: 'query', transform: (value) => (value === 'json' ? undefined : value) },
	},
	// Falcon's items as they are, minus the session token unless asked for: the execution data is kept at rest.
	async run(itemIndex, prepared) {
		const includeToken = this.getNodeParameter('includeSessionToken', itemIndex, false) === true;
		const streams = await runDeclaredOperation.call(
			this,
			{ ...listAvailable, run: undefined, mapResource: (resource) => streamItem(resource, includeToken) },
			prepared,
			itemIndex,
		);
		// No item is a valid answer, but the workflow would stop there without a word about why.
		if (streams.length === 0) {
			this.addExecutionHints?.({
				message: `Falcon offered no stream to App ID "${String(prepared.sent.appId)}": another consumer (a running trigger?) holds it, or one released it a few minutes ago. Use an App ID of its own here.`,
				type: 'warning',
				location: 'outputPane',
			});
		}
		return streams;
	},
};

/** One partition's stream; the partition is only in the URLs, so it is surfaced (every use of a stream is per partition). */
function streamItem(resource: IDataObject, includeToken: boolean): IDataObject {
	const item: IDataObject = {
		partition: partitionOf(String(resource.refreshActiveSessionURL ?? resource.dataFeedURL ?? '')),
		...resource,
	};
	const session = resource.sessionToken;
	if (!includeToken && session && typeof session === 'object') {
		item.sessionToken = { ...(session as IDataObject), token: REDACTED };
	}
	return item;
}

function partitionOf(url: string): number | null {
	const match = /datafeed(?:-actions)?\/v1\/(\d+)/.exec(url);
	return match ? Number(match[1]) : null;
}
