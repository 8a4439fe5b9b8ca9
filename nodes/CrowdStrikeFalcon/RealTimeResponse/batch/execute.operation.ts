import type { FalconOperation } from '../../shared/engine/types';
import { paths } from '../paths';
import { commandFields, commandMappings, commandProblem, hostChangingCommand } from '../shared/commandFields';
import { batchIdField, uuidMapping } from '../shared/fields';
import { hostResultsOf, withStatus } from '../shared/hostResults';
import { timeoutMappings, timeoutProblem } from '../shared/timeouts';
import { batchCommandOptions, optionalHostsMapping } from './commandOptions';

export const execute: FalconOperation = {
	value: 'execute',
	name: 'Execute',
	action: 'Execute a read-only command on a batch',
	description: 'Run a read-only command on every host of a batch; returns one item per host',
	operationId: 'BatchCmd',
	method: 'POST',
	idempotent: false,
	scopes: ['Real time response: Read'],
	path: paths.batchCommand,
	properties: [batchIdField, ...commandFields('readOnly'), batchCommandOptions(true)],
	parameters: {
		batchId: uuidMapping('body', 'batch_id'),
		...commandMappings('readOnly'),
		'options.optionalHosts': optionalHostsMapping,
		'options.persistAll': { to: 'body', as: 'persist_all' },
		...timeoutMappings('options', true),
	},
	// Read-only, but `eventlog export` and `eventlog backup` write on the host: an agent needs the opt-in for those.
	needsAgentPermission: hostChangingCommand('readOnly'),
	validate: (values) => commandProblem(values) ?? timeoutProblem(values, 'options'),
	readsErrors: true,
	output: ({ response, sent }) =>
		hostResultsOf(response.body).map((result) => withStatus(result, { batch_id: sent.batch_id })),
};
