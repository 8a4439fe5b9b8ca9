import { integerBetween, notEmpty } from '../../shared/engine/rules';
import type { FalconOperation } from '../../shared/engine/types';
import { REFRESH_PATH, refreshStreamSession } from '../../shared/stream/discovery';
import { appIdField, appIdRule } from '../fields';

export const refreshSession: FalconOperation = {
	value: 'refreshSession',
	name: 'Refresh Session',
	action: 'Refresh an active stream session',
	description: 'Keep an open feed of one partition alive for another refresh interval',
	operationId: 'refreshActiveStreamSession',
	method: 'POST',
	scopes: ['Event streams: Read'],
	path: REFRESH_PATH,
	idempotent: true,
	properties: [
		appIdField('The App ID the feed was opened with'),
		{
			displayName: 'Partition',
			name: 'partition',
			type: 'number',
			typeOptions: { minValue: 0 },
			required: true,
			default: 0,
			description: 'Partition of the feed, as listed by List Available',
		},
	],
	parameters: {
		partition: { to: 'path', rules: [integerBetween(0, 1_000_000)] },
		appId: { to: 'query', rules: [notEmpty, appIdRule] },
	},
	// The call also needs action_name; the shared helper knows the full request (and the trigger uses it too).
	async run(itemIndex, { sent }) {
		const partition = Number(sent.partition);
		const appId = String(sent.appId);
		await refreshStreamSession.call(this, appId, partition, this.getExecutionCancelSignal());
		return [{ json: { refreshed: true, partition, appId }, pairedItem: { item: itemIndex } }];
	},
};
