/** Falcon Alerts API paths (scopes: Alerts Read for queries and entities, Alerts Write for updates). */
export const alertPaths = {
	query: '/alerts/queries/alerts/v2',
	combined: '/alerts/combined/alerts/v1',
	entities: '/alerts/entities/alerts/v2',
	update: '/alerts/entities/alerts/v3',
} as const;
