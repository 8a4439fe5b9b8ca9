import type { FalconOperation } from '../../shared/engine/types';
import { paths } from '../paths';
import { statusFields, statusMappings } from './statusFields';

export const getActiveResponderStatus: FalconOperation = {
	value: 'getActiveResponderStatus',
	name: 'Get Active Responder Status',
	action: 'Get the status of an active responder command',
	description: 'Read whether an active responder command completed, with one chunk of its output',
	operationId: 'RTR_CheckActiveResponderCommandStatus',
	method: 'GET',
	idempotent: true,
	scopes: ['Real time response: Write'],
	path: paths.activeResponderCommand,
	properties: statusFields,
	parameters: statusMappings,
};
