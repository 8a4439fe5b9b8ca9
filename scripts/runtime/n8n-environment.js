// Environment for every n8n process of one instance: its own user folder, a fixed owner, nothing phoning home.
const { ownerEnvironment } = require('./n8n-owner');

// The task broker listens even with runners disabled; moving it with the port lets instances run side by side.
function n8nPortEnvironment({ port = 5678, brokerPort = port + 1, listenAddress }) {
	return {
		N8N_PORT: String(port),
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		...(listenAddress ? { N8N_LISTEN_ADDRESS: listenAddress } : {}),
	};
}

// `runtime` (from runtimeFor()) decides how the owner is set up.
function n8nEnvironment({ userFolder, port, brokerPort, listenAddress, runtime }) {
	return {
		N8N_USER_FOLDER: userFolder,
		...n8nPortEnvironment({ port, brokerPort, listenAddress }),
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
		...ownerEnvironment(runtime),
	};
}

module.exports = { n8nEnvironment, n8nPortEnvironment };
