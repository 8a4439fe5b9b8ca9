import { ApiError, bodyObject, optionalStringArray, type ApiRequest } from '../request';
import { envelope, type Reply } from '../envelope';
import type { HostRegistry } from './registry';

/** PSFalcon's tag rule: the FalconGroupingTags/ prefix, then letters, digits, '-', '_' and '/'. */
const TAG = /^FalconGroupingTags\/[A-Za-z0-9_\-/]+$/;

function requireList(body: Record<string, unknown>, name: string): string[] {
	const list = optionalStringArray(body, name);
	if (!list || list.length === 0) throw new ApiError(400, `'${name}' is required: a non-empty array of strings`);
	return list;
}

/**
 * UpdateDeviceTags. The whole request is a 400 when `action` is not add/remove or a tag lacks the
 * `FalconGroupingTags/` prefix. Otherwise 202 with one `{device_id, updated}` per device; an unknown device gets
 * `{device_id, updated: false, code: 404, error}`. Adding a tag a host has, or removing one it lacks, still counts
 * as updated.
 */
export function updateDeviceTags(registry: HostRegistry, req: ApiRequest): Reply {
	const body = bodyObject(req);
	const action = body.action;
	if (action !== 'add' && action !== 'remove') throw new ApiError(400, "'action' must be 'add' or 'remove'");
	const deviceIds = requireList(body, 'device_ids');
	const tags = requireList(body, 'tags');
	const bad = tags.filter((t) => !TAG.test(t));
	if (bad.length > 0) {
		throw new ApiError(400, `invalid tag(s) ${bad.map((t) => `'${t}'`).join(', ')}: tags must look like 'FalconGroupingTags/<name>' (letters, digits, - _ /)`);
	}
	const now = Date.now();
	const resources = [...new Set(deviceIds.map((id) => id.trim()))].map((id) => {
		const state = registry.find(id);
		if (!state) return { device_id: id, updated: false, code: 404, error: `device not found: ${id}` };
		registry.updateTags(state, action, tags, now);
		return { device_id: state.host.aid, updated: true };
	});
	return envelope(req, 202, resources, { poweredBy: 'device-api' });
}
