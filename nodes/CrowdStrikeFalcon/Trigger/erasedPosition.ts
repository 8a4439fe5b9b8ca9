import type { IDataObject, ITriggerFunctions } from 'n8n-workflow';

import type { StoredState } from '../shared/stream/positions';
import { isObject } from '../shared/transport/envelope';
import type { TriggerState } from './tenantState';

/**
 * In queue mode n8n 2.x starts a worker's execution with empty static data and saves the whole object when a node
 * changed it, which erases this trigger's stored position until its next emit writes it again. A trigger that starts
 * with nothing stored, for its own tenant or any child tenant, while other nodes keep workflow static data has most
 * likely lost its position that way: say so, since the trigger then starts from "If No Stored Position".
 */
export function erasedPositionWarning(context: ITriggerFunctions, state: TriggerState): string | undefined {
	// Either kind of tenant counts: a workflow switched between its own tenant and child tenants keeps both.
	if (positioned(state) || storesAnyChild(state)) return undefined;
	const shared = context.getWorkflowStaticData('global') as IDataObject;
	const keys = Object.keys(shared);
	if (keys.length === 0) return undefined;
	return `No stored position was found, but other nodes of this workflow keep workflow static data (global: ${keys.slice(0, 3).join(', ')}). In queue mode n8n saves the static data a worker changed over the whole object, which erases this trigger's stored position: it starts as "If No Stored Position" says. Keep such state outside static data (README "Scaling").`;
}

function positioned(state: StoredState): boolean {
	return typeof state.epoch === 'string' && state.epoch !== '';
}

/** Whether any child tenant's position is stored (under `tenants`, see tenantState.ts). */
function storesAnyChild(state: TriggerState): boolean {
	const tenants = state.tenants;
	return isObject(tenants) && Object.values(tenants).some((child) => isObject(child) && positioned(child));
}
