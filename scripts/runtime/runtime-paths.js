// Pinned default versions and the locations of everything a local n8n runtime consists of.
const { join, resolve } = require('node:path');

const NODE_VERSION = '24.21.0';
// 2.41.3 cannot be installed from this registry mirror (a dependency version is missing); 2.41.1 can.
const N8N_VERSION = '2.41.1';

const projectRoot = resolve(__dirname, '..', '..');
const runtimeDir = join(projectRoot, '.n8n-runtime');

// The default pair keeps the folders it always had (node/, n8n/), so existing installs stay valid; every other
// Node.js version and (n8n, Node.js) pair gets a folder named after it.
function nodeDirFor(nodeVersion) {
	return join(runtimeDir, nodeVersion === NODE_VERSION ? 'node' : `node-${nodeVersion}`);
}

function n8nDirFor(n8nVersion, nodeVersion) {
	const isDefault = n8nVersion === N8N_VERSION && nodeVersion === NODE_VERSION;
	return join(runtimeDir, isDefault ? 'n8n' : `n8n-${n8nVersion}-node-${nodeVersion}`);
}

/** Where one (n8n, Node.js) pair lives. */
function runtimePaths(n8nVersion = N8N_VERSION, nodeVersion = NODE_VERSION) {
	const nodeDir = nodeDirFor(nodeVersion);
	const n8nDir = n8nDirFor(n8nVersion, nodeVersion);
	return {
		n8nVersion,
		nodeVersion,
		runtimeDir,
		nodeDir,
		nodeBinary: join(nodeDir, 'bin', 'node'),
		nodeMarker: join(nodeDir, '.installed.json'),
		n8nDir,
		n8nBin: join(n8nDir, 'node_modules', 'n8n', 'bin', 'n8n'),
		n8nMarker: join(n8nDir, '.installed.json'),
	};
}

module.exports = {
	...runtimePaths(),
	NODE_VERSION,
	N8N_VERSION,
	projectRoot,
	runtimePaths,
};
