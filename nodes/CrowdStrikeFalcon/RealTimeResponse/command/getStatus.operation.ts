import type { FalconOperation } from '../../shared/engine/types';
import { paths } from '../paths';
import { statusFields, statusMappings } from './statusFields';

export const getStatus: FalconOperation = {
	value: 'getStatus',
	name: 'Get Status',
	action: 'Get the status of a read-only command',
	description: 'Read whether a read-only command completed, with one chunk of its output',
	operationId: 'RTR_CheckCommandStatus',
	method: 'GET',
	idempotent: true,
	scopes: ['Real time response: Read'],
	path: paths.command,
	properties: statusFields,
	parameters: statusMappings,
};
