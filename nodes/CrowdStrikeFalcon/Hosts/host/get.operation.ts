import type { FalconOperation } from '../../shared/engine/types';
import { hostPaths } from '../../shared/hosts/paths';
import { hostIdsField, hostIdsMapping } from './fields';

export const get: FalconOperation = {
	value: 'get',
	name: 'Get',
	action: 'Get hosts by ID',
	description: 'Get the details of one or more hosts by host ID (AID)',
	operationId: 'PostDeviceDetailsV2',
	method: 'POST',
	scopes: ['Hosts: Read'],
	path: hostPaths.details,
	properties: [hostIdsField],
	parameters: { hostIds: hostIdsMapping },
	// A read sent as POST (the v2 details endpoint takes ids in the body): safe to repeat.
	entitiesById: { sentAs: 'ids', idField: 'device_id', what: 'host IDs' },
	idempotent: true,
};
