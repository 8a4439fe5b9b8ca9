// Installs the Node.js binary an n8n version needs (n8n >= 2.36 refuses to start on Node < 24) from the npm
// registry, where the node-<os>-<cpu> packages carry the official binary plus the headers native addons compile
// against. Each Node.js version goes into its own folder, shared by every n8n version that runs on it.
const { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } = require('node:fs');
const { join } = require('node:path');
const { runtimeFor } = require('./runtimes');
const { markerMatches, writeMarker } = require('./marker');
const { runCommand } = require('./run-command');

const SUPPORTED_PLATFORMS = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64'];

function nodePackageName(version) {
	const platform = `${process.platform}-${process.arch}`;
	if (!SUPPORTED_PLATFORMS.includes(platform)) {
		throw new Error(
			`No Node.js ${version} package for ${platform} (supported: ${SUPPORTED_PLATFORMS.join(', ')})`,
		);
	}
	return `node-${platform}`;
}

/** `runtime` is a runtimeFor() result; default: the pinned pair. */
function installNode(runtime = runtimeFor()) {
	const { nodeVersion: version, runtimeDir, nodeDir, nodeBinary, nodeMarker } = runtime;
	if (markerMatches(nodeMarker, { version }) && existsSync(nodeBinary)) {
		console.log(`[runtime] Node.js ${version}: already installed`);
		return;
	}
	const packageName = nodePackageName(version);
	const spec = `${packageName}@${version}`;
	console.log(`[runtime] Node.js ${version}: downloading ${spec} from the npm registry`);
	mkdirSync(runtimeDir, { recursive: true });
	// What a run stopped mid-download (Ctrl-C skips the clean-up below) left behind: a tarball and its copy.
	for (const name of readdirSync(runtimeDir)) {
		if (name.startsWith('node-download-')) rmSync(join(runtimeDir, name), { recursive: true, force: true });
	}
	const workDir = mkdtempSync(join(runtimeDir, 'node-download-'));
	try {
		runCommand('npm', ['pack', spec, '--pack-destination', workDir, '--silent'], {
			cwd: workDir,
			what: `Downloading ${spec}`,
		});
		const tarball = join(workDir, `${packageName}-${version}.tgz`);
		runCommand('tar', ['-xzf', tarball, '-C', workDir], { what: `Unpacking ${tarball}` });
		rmSync(nodeDir, { recursive: true, force: true });
		renameSync(join(workDir, 'package'), nodeDir);
	} finally {
		rmSync(workDir, { recursive: true, force: true });
	}
	if (!existsSync(nodeBinary)) throw new Error(`${spec} did not contain bin/node`);
	runCommand(nodeBinary, ['--version'], { what: `Checking ${nodeBinary}` });
	writeMarker(nodeMarker, { version });
}

module.exports = { installNode };
