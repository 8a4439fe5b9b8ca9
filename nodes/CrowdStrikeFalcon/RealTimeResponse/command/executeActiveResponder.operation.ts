import type { FalconOperation } from '../../shared/engine/types';
import { HOST_CHANGES } from '../../shared/engine/aiAgent';
import { paths } from '../paths';
import { commandFields, commandMappings, commandProblem } from '../shared/commandFields';
import { sessionIdField, uuidMapping } from '../shared/fields';
import { persistOption } from './persistOption';

export const executeActiveResponder: FalconOperation = {
	value: 'executeActiveResponder',
	name: 'Execute Active Responder',
	action: 'Execute an active responder command',
	description: 'Send a command that may change the host (kill, rm, get, runscript …) to a session',
	operationId: 'RTR_ExecuteActiveResponderCommand',
	method: 'POST',
	idempotent: false,
	scopes: ['Real time response: Write'],
	path: paths.activeResponderCommand,
	properties: [
		sessionIdField,
		...commandFields('activeResponder'),
		{ displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options: [persistOption] },
	],
	parameters: {
		sessionId: uuidMapping('body', 'session_id'),
		...commandMappings('activeResponder'),
		'options.persist': { to: 'body', as: 'persist' },
	},
	validate: commandProblem,
	needsAgentPermission: HOST_CHANGES,
};
