import type { FalconOperation } from '../../shared/engine/types';
import { paths } from '../paths';
import { uuidField, uuidMapping } from '../shared/fields';
import { hostResultsOf } from '../shared/hostResults';
import { timeoutMappings, timeoutOptions, timeoutProblem } from '../shared/timeouts';

export const getFileStatus: FalconOperation = {
	value: 'getFileStatus',
	name: 'Get File Status',
	action: 'Get the upload status of a batch file request',
	description: 'One item per host that found the file; ready is true once its sha256 is known and it can be downloaded',
	operationId: 'BatchGetCmdStatus',
	method: 'GET',
	idempotent: true,
	scopes: ['Real time response: Write'],
	path: paths.batchGet,
	properties: [
		uuidField('File Request ID', 'requestId', 'The batch_get_cmd_req_id returned by Batch > Get File'),
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: timeoutOptions(false),
		},
	],
	parameters: {
		requestId: uuidMapping('query', 'batch_get_cmd_req_id'),
		...timeoutMappings('options', false),
	},
	validate: (values) => timeoutProblem(values, 'options'),
	readsErrors: true,
	output: ({ response, sent }) =>
		hostResultsOf(response.body).map((result) => ({
			batch_get_cmd_req_id: sent.batch_get_cmd_req_id,
			...result,
			ready: Boolean(result.sha256) && Boolean(result.created_at),
		})),
};
