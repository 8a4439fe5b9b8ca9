// Environment for every n8n process of one instance: its own user folder, a fixed owner, nothing phoning home.
const { ownerEnvironment } = require('./n8n-owner');

function n8nEnvironment({ userFolder, port = 5678, listenAddress }) {
	return {
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		...(listenAddress ? { N8N_LISTEN_ADDRESS: listenAddress } : {}),
		// Jest sets NODE_ENV=test, which would switch n8n into its own test behaviour.
		NODE_ENV: 'production',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_RUNNERS_ENABLED: 'false',
		// Plain http on a non-localhost address would otherwise refuse to log in.
		N8N_SECURE_COOKIE: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		...ownerEnvironment(),
	};
}

module.exports = { n8nEnvironment };
