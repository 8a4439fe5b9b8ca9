// Installs this project into an n8n user folder the way users get it: the `npm pack` tarball (only `dist`),
// unpacked into <user folder>/.n8n/nodes/node_modules/<name>, where n8n looks for community packages.
const { mkdirSync, mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { join } = require('node:path');
const { tmpdir } = require('node:os');
const { projectRoot } = require('./runtime-paths');
const { runCommandCaptured } = require('./run-command');

const packageName = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')).name;

/** Expects `npm run build` to have run. Returns the node type prefix n8n gives the package's nodes. */
async function installPackedPackage(userFolder) {
	const workDir = mkdtempSync(join(tmpdir(), 'n8n-package-'));
	try {
		const packed = await runCommandCaptured('npm', ['pack', '--json', '--pack-destination', workDir], {
			cwd: projectRoot,
			what: 'Packing the project',
		});
		const [{ filename, files }] = JSON.parse(packed.stdout);
		if (!files.some((file) => file.path.startsWith('dist/'))) {
			throw new Error('The packed package contains no dist/ files: run `npm run build` first');
		}
		const target = join(userFolder, '.n8n', 'nodes', 'node_modules', packageName);
		rmSync(target, { recursive: true, force: true });
		mkdirSync(target, { recursive: true });
		await runCommandCaptured('tar', ['-xzf', join(workDir, filename), '-C', target, '--strip-components=1'], {
			what: 'Unpacking the package',
		});
		return { packageName, directory: target, nodeTypePrefix: `${packageName}.` };
	} finally {
		rmSync(workDir, { recursive: true, force: true });
	}
}

module.exports = { installPackedPackage, packageName };
