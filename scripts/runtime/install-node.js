// Installs the Node.js binary n8n needs (n8n >= 2.36 refuses to start on Node < 24) from the npm registry,
// where the node-<os>-<cpu> packages carry the official binary plus the headers native addons compile against.
const { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } = require('node:fs');
const { join } = require('node:path');
const { NODE_VERSION, runtimeDir, nodeDir, nodeBinary, nodeMarker } = require('./runtime-paths');
const { markerMatches, writeMarker } = require('./marker');
const { runCommand } = require('./run-command');

const SUPPORTED_PLATFORMS = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64'];

function nodePackageName() {
	const platform = `${process.platform}-${process.arch}`;
	if (!SUPPORTED_PLATFORMS.includes(platform)) {
		throw new Error(
			`No Node.js ${NODE_VERSION} package for ${platform} (supported: ${SUPPORTED_PLATFORMS.join(', ')})`,
		);
	}
	return `node-${platform}`;
}

function installNode() {
	if (markerMatches(nodeMarker, { version: NODE_VERSION }) && existsSync(nodeBinary)) {
		console.log(`[runtime] Node.js ${NODE_VERSION}: already installed`);
		return;
	}
	const spec = `${nodePackageName()}@${NODE_VERSION}`;
	console.log(`[runtime] Node.js ${NODE_VERSION}: downloading ${spec} from the npm registry`);
	mkdirSync(runtimeDir, { recursive: true });
	const workDir = mkdtempSync(join(runtimeDir, 'node-download-'));
	try {
		runCommand('npm', ['pack', spec, '--pack-destination', workDir, '--silent'], {
			cwd: workDir,
			what: `Downloading ${spec}`,
		});
		const tarball = join(workDir, `${nodePackageName()}-${NODE_VERSION}.tgz`);
		runCommand('tar', ['-xzf', tarball, '-C', workDir], { what: `Unpacking ${tarball}` });
		rmSync(nodeDir, { recursive: true, force: true });
		renameSync(join(workDir, 'package'), nodeDir);
	} finally {
		rmSync(workDir, { recursive: true, force: true });
	}
	if (!existsSync(nodeBinary)) throw new Error(`${spec} did not contain bin/node`);
	runCommand(nodeBinary, ['--version'], { what: `Checking ${nodeBinary}` });
	writeMarker(nodeMarker, { version: NODE_VERSION });
}

module.exports = { installNode };
