import type { FalconOperation } from '../../shared/engine/types';
import { alertPaths } from '../paths';
import { compositeIdsField, compositeIdsMapping } from './fields';

export const get: FalconOperation = {
	value: 'get',
	name: 'Get',
	action: 'Get alerts by ID',
	description: 'Get one or more alerts by composite ID, with their host, tactic, technique, status and assignee',
	operationId: 'PostEntitiesAlertsV2',
	method: 'POST',
	scopes: ['Alerts: Read'],
	path: alertPaths.entities,
	properties: [compositeIdsField],
	parameters: { compositeIds: compositeIdsMapping },
	// A read sent as POST: safe to repeat.
	entitiesById: { sentAs: 'composite_ids', idField: 'composite_id', what: 'alerts' },
	idempotent: true,
};
