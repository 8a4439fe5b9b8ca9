import { sortMapping, sortOptionsCollection } from '../../shared/descriptions/query';
import type { FalconOperation } from '../../shared/engine/types';
import { FLIGHT_CONTROL_READ, flightControlPaths } from '../paths';

export const getAll: FalconOperation = {
	value: 'getAll',
	name: 'Get Many',
	action: 'Get many child tenants',
	description:
		'List the child tenants (member CIDs) of the parent API client with their names and status, e.g. to run a playbook on each',
	operationId: 'queryChildren',
	alsoUses: ['getChildren'],
	method: 'GET',
	idempotent: true,
	scopes: [FLIGHT_CONTROL_READ],
	path: flightControlPaths.childrenQuery,
	properties: [
		sortOptionsCollection(
			[
				{ name: 'Last Modified (Newest First)', value: 'last_modified_timestamp|desc' },
				{ name: 'Last Modified (Oldest First)', value: 'last_modified_timestamp|asc' },
			],
			'last_modified_timestamp|desc',
		),
	],
	parameters: { 'options.sort': sortMapping },
	// PSFalcon's Get-FalconMemberCid accepts limits up to 5,000 for this query.
	paginate: { maxPageSize: 5000 },
	details: { operationId: 'getChildren', path: flightControlPaths.children, idField: 'child_cid' },
};
