import type { IDataObject } from 'n8n-workflow';
import { asBoolean } from '../../shared/engine/parameters';

import type { FalconOperation } from '../../shared/engine/types';
import { paths } from '../paths';
import { hostsPerRequest, hostsPerRequestOption, hostsPerRequestProblem, waitForCompletionOption } from '../shared/batchOptions';
import { sendBatchCommand } from '../shared/batchCommandFlow';
import { commandMappings, commandProblem, hostChangingCommand, itemTier, tierFields } from '../shared/commandFields';
import { failWhenOption, judgeFailWhen } from '../shared/failWhen';
import { hostIdsField, hostIdsMapping, queueOfflineOption } from '../shared/fields';
import { failedTenantHosts } from '../shared/hostResults';
import { sendThenFinish } from '../shared/sentBatch';
import { groupHosts, limitGroupSize } from '../../shared/hosts/hostGroups';
import { MAX_HOSTS_PER_BATCH } from '../shared/batch';
import { timeoutMappings, timeoutOptions, timeoutProblem } from '../shared/timeouts';
import { apiWaitProblem, apiWaitQuery, waitOptions, waitProblem } from '../shared/waitOptions';

export const runOnHosts: FalconOperation = {
	value: 'runOnHosts',
	name: 'Run on Hosts',
	action: 'Run a command on many hosts',
	description:
		'Start a batch on every host named by the input items, run the command and return one item per host with its status',
	operationId: 'BatchCmd',
	alsoUses: [
		'BatchInitSessions',
		'BatchActiveResponderCmd',
		'BatchRefreshSessions',
		'RTR_CheckCommandStatus',
		'RTR_CheckActiveResponderCommandStatus',
	],
	method: 'POST',
	idempotent: false,
	scopes: ['Real time response: Read', 'Real time response: Write (only with Command Tier Active Responder)'],
	path: paths.batchCommand,
	properties: [
		hostIdsField,
		...tierFields,
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				failWhenOption,
				hostsPerRequestOption,
				{
					displayName: 'Persist All',
					name: 'persistAll',
					type: 'boolean',
					default: false,
					description: "Whether queued commands should run when offline hosts return (the API's persist_all)",
				},
				queueOfflineOption,
				waitForCompletionOption,
				// Nothing reads them once Wait for Completion is off.
				...waitOptions.map((option) => ({ ...option, displayOptions: { hide: { waitForCompletion: [false] } } })),
				...timeoutOptions(true),
			],
		},
	],
	parameters: {
		hostIds: hostIdsMapping(),
		...commandMappings(),
		'options.queueOffline': { to: 'body', as: 'queue_offline' },
		'options.persistAll': { to: 'body', as: 'persist_all' },
		...timeoutMappings('options', true),
	},
	validate: (values) =>
		commandProblem(values) ??
		waitProblem(values.options as IDataObject) ??
		hostsPerRequestProblem(values.options as IDataObject) ??
		timeoutProblem(values, 'options') ??
		apiWaitProblem(values, 'options'),
	needsAgentPermission: hostChangingCommand(),

	async runForAllItems(validItems) {
		const settingsOf = (itemIndex: number) => {
			const { sent } = validItems.find((item) => item.itemIndex === itemIndex)!.prepared;
			const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
			return {
				tier: itemTier(this, itemIndex),
				baseCommand: String(sent.base_command),
				commandLine: String(sent.command_string),
				queueOffline: sent.queue_offline === true,
				persistAll: sent.persist_all === true,
				qs: apiWaitQuery(sent, options, true),
				chunkSize: hostsPerRequest(options),
				waitForCompletion: asBoolean(options.waitForCompletion) !== false,
				wait: options,
			} as const;
		};
		// Items asking for the same command with the same options share one batch.
		const groups = limitGroupSize(
			groupHosts(validItems, ({ itemIndex }) => JSON.stringify(settingsOf(itemIndex))),
			MAX_HOSTS_PER_BATCH,
		);
		return await sendThenFinish(groups, async (group) => await sendBatchCommand(this, group, settingsOf(group.lead.itemIndex)));
	},
	failedTenant: failedTenantHosts,
	judgeAll(output) {
		return judgeFailWhen(this, output, (itemIndex) => itemTier(this, itemIndex) === 'activeResponder');
	},
};
