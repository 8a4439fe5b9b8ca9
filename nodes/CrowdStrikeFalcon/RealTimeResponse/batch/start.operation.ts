import type { FalconOperation } from '../../shared/engine/types';
import { toList } from '../../shared/engine/rules';
import { paths } from '../paths';
import { hostIdsField, hostIdsMapping, optionalUuidMapping, queueOfflineOption } from '../shared/fields';
import { hostResultsOf, withStatus } from '../shared/hostResults';
import { timeoutMappings, timeoutOptions, timeoutProblem } from '../shared/timeouts';

const MAX_HOSTS = 10_000;

export const start: FalconOperation = {
	value: 'start',
	name: 'Start',
	action: 'Start a batch session on hosts',
	description: 'Open sessions on up to 10,000 hosts at once; returns one item per host with the batch ID',
	operationId: 'BatchInitSessions',
	method: 'POST',
	scopes: ['Real time response: Read'],
	path: paths.batchInit,
	properties: [
		hostIdsField,
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				{
					displayName: 'Add to Batch ID',
					name: 'existingBatchId',
					type: 'string',
					default: '',
					placeholder: 'e.g. 1c5c4a4e-8f6b-4f2a-9a53-0d1f1f4e2b7a',
					description: "Add these hosts to an existing batch instead of starting a new one (the API's existing_batch_id)",
				},
				queueOfflineOption,
				...timeoutOptions(true),
			],
		},
	],
	parameters: {
		hostIds: {
			...hostIdsMapping(),
			rules: [...hostIdsMapping().rules!, (v) => (toList(v).length > MAX_HOSTS ? `at most ${MAX_HOSTS} hosts per batch` : undefined)],
		},
		'options.existingBatchId': optionalUuidMapping('body', 'existing_batch_id'),
		'options.queueOffline': { to: 'body', as: 'queue_offline' },
		...timeoutMappings('options', true),
	},
	validate: (values) => timeoutProblem(values, 'options'),
	idempotent: true,
	readsErrors: true,
	output: ({ response }) =>
		hostResultsOf(response.body).map((result) => withStatus(result, { batch_id: response.body.batch_id ?? null })),
};
