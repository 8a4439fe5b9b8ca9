// Which (n8n, Node.js) pair a command runs on: the default one, or another n8n version chosen by the caller
// (`--n8n=<version>` for `npm start`, RUNTIME_N8N=<version> for the e2e suites and ensure-runtime).
const { N8N_VERSION, runtimePaths } = require('./runtime-paths');
const { featuresOf } = require('./n8n-features');

// The Node.js each n8n major runs on: 1.x on Node 22 (its LTS line, engines >=20.19 <=24.x), 2.36+ needs Node 24.
const NODE_FOR_MAJOR = { 1: '22.23.5', 2: '24.21.0' };

// The compatibility suite (npm run test:compat) runs on each of these; the oldest is the oldest supported n8n.
const COMPAT_N8N_VERSIONS = ['1.123.81', N8N_VERSION];

/** Paths and features of an n8n version with the Node.js of its major. */
function runtimeFor(n8nVersion = N8N_VERSION) {
	if (!/^\d+\.\d+\.\d+$/.test(n8nVersion))
		throw new Error(`"${n8nVersion}" is not an n8n version (like ${N8N_VERSION})`);
	const features = featuresOf(n8nVersion);
	return { ...runtimePaths(n8nVersion, NODE_FOR_MAJOR[features.major]), features };
}

function selectedRuntime(env = process.env) {
	return runtimeFor(env.RUNTIME_N8N || N8N_VERSION);
}

/** The versions the compatibility suite runs on; COMPAT_N8N="1.123.81" (comma-separated) narrows it. */
function compatRuntimes(env = process.env) {
	const versions = env.COMPAT_N8N
		? env.COMPAT_N8N.split(',').map((v) => v.trim())
		: COMPAT_N8N_VERSIONS;
	return versions.filter(Boolean).map((version) => runtimeFor(version));
}

module.exports = { COMPAT_N8N_VERSIONS, runtimeFor, selectedRuntime, compatRuntimes };
