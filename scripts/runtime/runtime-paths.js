// Pinned versions and the locations of everything the local n8n runtime consists of.
const { join, resolve } = require('node:path');

const NODE_VERSION = '24.21.0';
// 2.41.3 cannot be installed from this registry mirror (a dependency version is missing); 2.41.1 can.
const N8N_VERSION = '2.41.1';

const projectRoot = resolve(__dirname, '..', '..');
const runtimeDir = join(projectRoot, '.n8n-runtime');
const nodeDir = join(runtimeDir, 'node');
const n8nDir = join(runtimeDir, 'n8n');

module.exports = {
	NODE_VERSION,
	N8N_VERSION,
	projectRoot,
	runtimeDir,
	nodeDir,
	nodeBinary: join(nodeDir, 'bin', 'node'),
	nodeMarker: join(nodeDir, '.installed.json'),
	n8nDir,
	n8nBin: join(n8nDir, 'node_modules', 'n8n', 'bin', 'n8n'),
	n8nMarker: join(n8nDir, '.installed.json'),
};
