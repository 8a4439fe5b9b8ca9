import { ApiError, bodyObject, optionalStringArray, type ApiRequest } from '../request';
import { envelope, type ErrorEntry, type Reply } from '../envelope';
import { HOST_ACTIONS, type HostAction, type HostRegistry } from './registry';

/** We chose to enforce at most 100 ids per PerformActionV2 call (PSFalcon's smallest batch; the server limit is unconfirmed). */
export const MAX_ACTION_IDS = 100;

function readActionName(req: ApiRequest): HostAction {
	const name = req.query.get('action_name');
	if (name === null || name === '') throw new ApiError(400, "missing required query parameter 'action_name'");
	if (!(HOST_ACTIONS as readonly string[]).includes(name)) {
		throw new ApiError(400, `Invalid value specified for action_name parameter: '${name}'. Allowed: ${HOST_ACTIONS.join(', ')}`);
	}
	return name as HostAction;
}

function validateActionParameters(value: unknown): void {
	if (value === undefined || value === null) return;
	const valid =
		Array.isArray(value) &&
		value.every((p) => typeof p === 'object' && p !== null && typeof p.name === 'string' && typeof p.value === 'string');
	if (!valid) throw new ApiError(400, "'action_parameters' must be an array of {name: string, value: string}");
}

/**
 * PerformActionV2. Per id: accepted → `resources[{id, path}]`; unknown → `errors[{code: 404, id, message}]`;
 * contain/lift from the wrong state → `errors[{code: 409, id, message}]`. HTTP 202 when any id was accepted,
 * 409 when every id conflicted, else 404.
 */
export function performAction(registry: HostRegistry, req: ApiRequest): Reply {
	const action = readActionName(req);
	const body = bodyObject(req);
	const ids = optionalStringArray(body, 'ids');
	if (!ids || ids.length === 0) throw new ApiError(400, "'ids' is required: a non-empty array of host ids");
	const unique = [...new Set(ids.map((id) => id.trim()))];
	if (unique.length > MAX_ACTION_IDS) {
		throw new ApiError(400, `too many ids: at most ${MAX_ACTION_IDS} hosts per call (got ${unique.length})`);
	}
	validateActionParameters(body.action_parameters);

	const resources: Array<{ id: string; path: string }> = [];
	const errors: ErrorEntry[] = [];
	const now = Date.now();
	for (const id of unique) {
		const state = registry.find(id);
		if (!state) {
			errors.push({ code: 404, id, message: `device not found: ${id}` });
			continue;
		}
		const conflict = registry.act(state, action, now);
		if (conflict) errors.push({ code: 409, id: state.host.aid, message: conflict });
		else resources.push({ id: state.host.aid, path: '' });
	}
	const status = resources.length > 0 ? 202 : errors.every((e) => e.code === 409) ? 409 : 404;
	return envelope(req, status, resources, { errors, poweredBy: 'device-api', writes: { resources_affected: resources.length } });
}
