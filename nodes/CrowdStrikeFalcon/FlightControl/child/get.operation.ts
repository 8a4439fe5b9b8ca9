import type { FalconOperation } from '../../shared/engine/types';
import { FLIGHT_CONTROL_READ, flightControlPaths } from '../paths';
import { childCidsField, childCidsMapping } from './fields';

export const get: FalconOperation = {
	value: 'get',
	name: 'Get',
	action: 'Get child tenants by CID',
	description:
		'Get child tenants of the parent (MSSP) API client by CID: name, status, checksum, domains',
	operationId: 'getChildren',
	method: 'GET',
	scopes: [FLIGHT_CONTROL_READ],
	path: flightControlPaths.children,
	properties: [childCidsField],
	parameters: { childCids: childCidsMapping },
	entitiesById: { sentAs: 'ids', idField: 'child_cid', what: 'child CIDs' },
	idempotent: true,
};
