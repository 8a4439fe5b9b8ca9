import type { FalconOperation } from '../../shared/engine/types';
import { HOST_CHANGES } from '../../shared/engine/aiAgent';
import { paths } from '../paths';
import { batchIdField, uuidMapping } from '../shared/fields';
import { hostResultsOf, withStatus } from '../shared/hostResults';
import { timeoutMappings, timeoutProblem } from '../shared/timeouts';
import { batchCommandOptions, optionalHostsMapping } from './commandOptions';
import { filePathField, filePathMapping } from '../file/filePathField';

export const getFile: FalconOperation = {
	value: 'getFile',
	name: 'Get File',
	action: 'Get a file from the hosts of a batch',
	description:
		'Ask every host of a batch to upload a file to the Falcon cloud; poll Get File Status for when it can be downloaded',
	operationId: 'BatchGetCmd',
	method: 'POST',
	idempotent: false,
	scopes: ['Real time response: Write'],
	path: paths.batchGet,
	properties: [batchIdField, filePathField, batchCommandOptions(false)],
	parameters: {
		batchId: uuidMapping('body', 'batch_id'),
		filePath: filePathMapping,
		'options.optionalHosts': optionalHostsMapping,
		...timeoutMappings('options', true),
	},
	validate: (values) => timeoutProblem(values, 'options'),
	needsAgentPermission: HOST_CHANGES,
	readsErrors: true,
	output: ({ response, sent }) =>
		hostResultsOf(response.body).map((result) =>
			withStatus(result, { batch_id: sent.batch_id, batch_get_cmd_req_id: response.body.batch_get_cmd_req_id ?? null }),
		),
};
