import type { IDataObject } from 'n8n-workflow';
import { HOST_CHANGES } from '../../shared/engine/aiAgent';

import type { FalconOperation } from '../../shared/engine/types';
import { paths } from '../paths';
import { hostsPerRequest, hostsPerRequestOption, hostsPerRequestProblem } from '../shared/batchOptions';
import { failWhenOption, judgeFailWhen } from '../shared/failWhen';
import { hostIdsField, hostIdsMapping } from '../shared/fields';
import { sendGetToHosts } from '../shared/getFileFlow';
import { failedTenantHosts } from '../shared/hostResults';
import { sendThenFinish } from '../shared/sentBatch';
import { groupHosts, limitGroupSize } from '../../shared/hosts/hostGroups';
import { MAX_HOSTS_PER_BATCH } from '../shared/batch';
import { timeoutMappings, timeoutOptions, timeoutProblem } from '../shared/timeouts';
import { apiWaitProblem, apiWaitQuery, waitOptions, waitProblem } from '../shared/waitOptions';
import { binaryPropertyName, binaryPropertyOption } from './binaryField';
import { filePathField, filePathMapping } from './filePathField';

export const getFromHosts: FalconOperation = {
	value: 'getFromHosts',
	name: 'Get From Hosts',
	action: 'Get a file from hosts as binary data',
	description:
		'Pull a file from one or many hosts and return one item per host with the file as a 7z archive (password "infected")',
	operationId: 'BatchGetCmd',
	alsoUses: ['BatchInitSessions', 'BatchGetCmdStatus', 'BatchRefreshSessions', 'RTR_GetExtractedFileContents'],
	method: 'POST',
	idempotent: false,
	scopes: ['Real time response: Write'],
	path: paths.batchGet,
	properties: [
		hostIdsField,
		filePathField,
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [binaryPropertyOption, failWhenOption, hostsPerRequestOption, ...waitOptions, ...timeoutOptions(true)],
		},
	],
	parameters: {
		hostIds: hostIdsMapping(),
		filePath: filePathMapping,
		...timeoutMappings('options', true),
	},
	validate: (values) =>
		waitProblem(values.options as IDataObject) ??
		hostsPerRequestProblem(values.options as IDataObject) ??
		timeoutProblem(values, 'options') ??
		apiWaitProblem(values, 'options'),
	needsAgentPermission: HOST_CHANGES,

	async runForAllItems(validItems) {
		const settingsOf = (itemIndex: number) => {
			const { sent } = validItems.find((item) => item.itemIndex === itemIndex)!.prepared;
			const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
			return {
				filePath: String(sent.file_path),
				qs: apiWaitQuery(sent, options, true),
				chunkSize: hostsPerRequest(options),
				wait: options,
				binaryPropertyName: binaryPropertyName(options),
			};
		};
		// Items asking for the same file with the same options share one batch.
		const groups = limitGroupSize(
			groupHosts(validItems, ({ itemIndex }) => JSON.stringify(settingsOf(itemIndex))),
			MAX_HOSTS_PER_BATCH,
		);
		return await sendThenFinish(groups, async (group) => await sendGetToHosts(this, group, settingsOf(group.lead.itemIndex)));
	},
	failedTenant: failedTenantHosts,
	judgeAll(output) {
		return judgeFailWhen(this, output);
	},
};
