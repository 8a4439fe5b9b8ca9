import { ApiError } from '../request';
import type { Alert } from './fromEvent';

/** PatchEntitiesAlertsV3 `action_parameters` names (fact sheet §4). */
export const ALERT_ACTIONS = [
	'update_status',
	'assign_to_uuid',
	'assign_to_user_id',
	'assign_to_name',
	'unassign',
	'add_tag',
	'remove_tag',
	'remove_tags_by_prefix',
	'append_comment',
	'show_in_ui',
] as const;
export type AlertActionName = (typeof ALERT_ACTIONS)[number];
export const ALERT_STATUSES = ['new', 'in_progress', 'reopened', 'closed'];

export interface AlertAction {
	name: AlertActionName;
	value: string;
}

/** Validates every action before anything is applied; a bad name or value is a 400 naming it. */
export function parseAlertActions(raw: unknown): AlertAction[] {
	if (!Array.isArray(raw) || raw.length === 0) {
		throw new ApiError(400, "'action_parameters' is required: a non-empty array of {name, value}");
	}
	return raw.map((item, i) => {
		if (typeof item !== 'object' || item === null || typeof item.name !== 'string') {
			throw new ApiError(400, `action_parameters[${i}] must be an object {name: string, value: string}`);
		}
		const name = item.name as string;
		if (!(ALERT_ACTIONS as readonly string[]).includes(name)) {
			throw new ApiError(400, `invalid action_parameters name '${name}'. Allowed: ${ALERT_ACTIONS.join(', ')}`);
		}
		// show_in_ui is a string in the model, but SDKs pass booleans through unconverted: accept both.
		const rawValue: unknown = item.value;
		const value = typeof rawValue === 'boolean' ? String(rawValue) : rawValue;
		if (name === 'unassign') return { name, value: typeof value === 'string' ? value : '' };
		if (typeof value !== 'string' || value.trim() === '') {
			throw new ApiError(400, `action_parameters '${name}' needs a non-empty string value`);
		}
		if (name === 'update_status' && !ALERT_STATUSES.includes(value)) {
			throw new ApiError(400, `invalid value '${value}' for update_status. Allowed: ${ALERT_STATUSES.join(', ')}`);
		}
		if (name === 'show_in_ui' && value !== 'true' && value !== 'false') {
			throw new ApiError(400, `invalid value '${value}' for show_in_ui. Allowed: true, false`);
		}
		return { name: name as AlertActionName, value };
	});
}

function applyOne(alert: Alert, action: AlertAction, nowIso: string): void {
	const { value } = action;
	switch (action.name) {
		case 'update_status':
			alert.status = value;
			break;
		case 'assign_to_uuid':
			alert.assigned_to_uuid = value;
			break;
		case 'assign_to_user_id':
			alert.assigned_to_uid = value;
			break;
		case 'assign_to_name':
			alert.assigned_to_name = value;
			break;
		case 'unassign':
			delete alert.assigned_to_uuid;
			delete alert.assigned_to_uid;
			delete alert.assigned_to_name;
			break;
		case 'add_tag':
			if (!alert.tags.includes(value)) alert.tags.push(value);
			break;
		case 'remove_tag':
			alert.tags = alert.tags.filter((t) => t !== value);
			break;
		case 'remove_tags_by_prefix':
			alert.tags = alert.tags.filter((t) => !t.startsWith(value));
			break;
		case 'append_comment':
			alert.comments.push({ value, timestamp: nowIso });
			break;
		case 'show_in_ui':
			alert.show_in_ui = value === 'true';
			break;
	}
}

/** Applies the actions in the order given, except that add_tag runs after every removal (Falcon: tags removed before added). */
export function applyAlertActions(alert: Alert, actions: AlertAction[], now = Date.now()): void {
	const nowIso = new Date(now).toISOString();
	actions.filter((a) => a.name !== 'add_tag').forEach((a) => applyOne(alert, a, nowIso));
	actions.filter((a) => a.name === 'add_tag').forEach((a) => applyOne(alert, a, nowIso));
	alert.updated_timestamp = nowIso;
}
