/** Falcon API paths of the Installation Tokens collections. */
export const paths = {
	query: '/installation-tokens/queries/tokens/v1',
	entities: '/installation-tokens/entities/tokens/v1',
	auditQuery: '/installation-tokens/queries/audit-events/v1',
	auditEntities: '/installation-tokens/entities/audit-events/v1',
	settings: '/installation-tokens/entities/customer-settings/v1',
};
