/** Falcon Hosts API paths (scopes: Hosts Read for queries and details, Hosts Write for actions and tags). */
export const hostPaths = {
	query: '/devices/queries/devices/v1',
	scroll: '/devices/queries/devices-scroll/v1',
	details: '/devices/entities/devices/v2',
	action: '/devices/entities/devices-actions/v2',
	tags: '/devices/entities/devices/tags/v1',
} as const;
