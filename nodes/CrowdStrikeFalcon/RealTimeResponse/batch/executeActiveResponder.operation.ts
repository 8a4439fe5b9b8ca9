import type { FalconOperation } from '../../shared/engine/types';
import { HOST_CHANGES } from '../../shared/engine/aiAgent';
import { paths } from '../paths';
import { commandFields, commandMappings, commandProblem } from '../shared/commandFields';
import { batchIdField, uuidMapping } from '../shared/fields';
import { hostResultsOf, withStatus } from '../shared/hostResults';
import { timeoutMappings, timeoutProblem } from '../shared/timeouts';
import { batchCommandOptions, optionalHostsMapping } from './commandOptions';

export const executeActiveResponder: FalconOperation = {
	value: 'executeActiveResponder',
	name: 'Execute Active Responder',
	action: 'Execute an active responder command on a batch',
	description: 'Run a command that may change hosts on every host of a batch; returns one item per host',
	operationId: 'BatchActiveResponderCmd',
	method: 'POST',
	idempotent: false,
	scopes: ['Real time response: Write'],
	path: paths.batchActiveResponderCommand,
	properties: [batchIdField, ...commandFields('activeResponder'), batchCommandOptions(true)],
	parameters: {
		batchId: uuidMapping('body', 'batch_id'),
		...commandMappings('activeResponder'),
		'options.optionalHosts': optionalHostsMapping,
		'options.persistAll': { to: 'body', as: 'persist_all' },
		...timeoutMappings('options', true),
	},
	validate: (values) => commandProblem(values) ?? timeoutProblem(values, 'options'),
	needsAgentPermission: HOST_CHANGES,
	readsErrors: true,
	output: ({ response, sent }) =>
		hostResultsOf(response.body).map((result) => withStatus(result, { batch_id: sent.batch_id })),
};
