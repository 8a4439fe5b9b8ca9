import type { FalconOperation } from '../../shared/engine/types';
import { HOST_CHANGES } from '../../shared/engine/aiAgent';
import { paths } from '../paths';
import { deletedFile, deleteFields, deleteMappings } from './deleteFields';

export const deleteFileV1: FalconOperation = {
	value: 'deleteV1',
	name: 'Delete (V1)',
	action: 'Delete a file from the Falcon cloud with the v1 API',
	description: 'The older delete, taking the numeric file ID from File > Get Many (V1)',
	operationId: 'RTR_DeleteFile',
	method: 'DELETE',
	idempotent: true,
	scopes: ['Real time response: Write'],
	path: paths.files,
	properties: deleteFields('The file ID from File > Get Many (V1)', 'e.g. 1357'),
	parameters: deleteMappings([]),
	needsAgentPermission: HOST_CHANGES,
	output: deletedFile,
};
