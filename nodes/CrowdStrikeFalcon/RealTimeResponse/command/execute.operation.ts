import type { FalconOperation } from '../../shared/engine/types';
import { paths } from '../paths';
import { commandFields, commandMappings, commandProblem, hostChangingCommand } from '../shared/commandFields';
import { sessionIdField, uuidMapping } from '../shared/fields';
import { persistOption } from './persistOption';

export const execute: FalconOperation = {
	value: 'execute',
	name: 'Execute',
	action: 'Execute a read-only command',
	description: 'Send a read-only command (ls, ps, netstat …) to a session; poll Get Status for its output',
	operationId: 'RTR_ExecuteCommand',
	method: 'POST',
	idempotent: false,
	scopes: ['Real time response: Read'],
	path: paths.command,
	properties: [
		sessionIdField,
		...commandFields('readOnly'),
		{ displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options: [persistOption] },
	],
	parameters: {
		sessionId: uuidMapping('body', 'session_id'),
		...commandMappings('readOnly'),
		'options.persist': { to: 'body', as: 'persist' },
	},
	// Read-only, but `eventlog export` and `eventlog backup` write on the host: an agent needs the opt-in for those.
	needsAgentPermission: hostChangingCommand('readOnly'),
	validate: commandProblem,
};
