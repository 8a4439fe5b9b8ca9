import type { FalconOperation } from '../../shared/engine/types';
import { HOST_CHANGES } from '../../shared/engine/aiAgent';
import { paths } from '../paths';
import { uuidRule } from '../shared/fields';
import { deletedFile, deleteFields, deleteMappings } from './deleteFields';

export const deleteFile: FalconOperation = {
	value: 'delete',
	name: 'Delete',
	action: 'Delete a file from the Falcon cloud',
	description: 'Remove a file a session pulled from its host from the Falcon cloud (the host is not touched)',
	operationId: 'RTR_DeleteFileV2',
	method: 'DELETE',
	idempotent: true,
	scopes: ['Real time response: Write'],
	path: paths.filesV2,
	properties: deleteFields('The file ID (a UUID) from File > Get Many', 'e.g. 6a1f3c2e-9b4d-4e7a-8c5f-2d0b1e3a4c5d'),
	parameters: deleteMappings([uuidRule]),
	needsAgentPermission: HOST_CHANGES,
	output: deletedFile,
};
