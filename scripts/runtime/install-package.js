// Installs this project into an n8n user folder the way users get it: the `npm pack` tarball (only `dist`),
// unpacked into <user folder>/.n8n/nodes/node_modules/<name>, where n8n looks for community packages.
const { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { tmpdir } = require('node:os');
const { projectRoot } = require('./runtime-paths');
const { runCommandCaptured } = require('./run-command');

const packageName = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')).name;

/** `npm pack` of the project into `destinationDir`; expects `npm run build` to have run. Returns the tarball path. */
async function packProject(destinationDir) {
	mkdirSync(destinationDir, { recursive: true });
	const packed = await runCommandCaptured(
		'npm',
		['pack', '--json', '--pack-destination', destinationDir],
		{
			cwd: projectRoot,
			what: 'Packing the project',
		},
	);
	const [{ filename, files }] = JSON.parse(packed.stdout);
	if (!files.some((file) => file.path.startsWith('dist/'))) {
		throw new Error('The packed package contains no dist/ files: run `npm run build` first');
	}
	return join(destinationDir, filename);
}

// n8n skips a package with a missing node or credential file, logging it where nobody looks; fail here instead.
function assertDeclaredFilesPresent(packageDir) {
	const { n8n = {} } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
	const declared = [...(n8n.nodes ?? []), ...(n8n.credentials ?? [])];
	const missing = declared.filter((file) => !existsSync(join(packageDir, file)));
	if (missing.length > 0) {
		throw new Error(
			`The packed package lacks files its package.json declares (run \`npm run build\`): ${missing.join(', ')}`,
		);
	}
}

/**
 * Unpacks a tarball made by packProject. Returns the node type prefix n8n gives the package's nodes. With the
 * `runtime` that will load it, the package's `n8n-workflow` is that n8n's own, as for a package n8n installed: n8n
 * strips peer dependencies when it installs one, and its own copy is found through NODE_PATH. A user folder inside
 * this project would otherwise find the project's dev copy first, walking up the folders, and an n8n 1.x would run
 * the package on n8n-workflow 2.x.
 */
async function installPackageTarball(tarball, userFolder, runtime) {
	const modules = join(userFolder, '.n8n', 'nodes', 'node_modules');
	const target = join(modules, packageName);
	rmSync(target, { recursive: true, force: true });
	mkdirSync(target, { recursive: true });
	await runCommandCaptured('tar', ['-xzf', tarball, '-C', target, '--strip-components=1'], {
		what: 'Unpacking the package',
	});
	assertDeclaredFilesPresent(target);
	if (runtime) {
		const n8nOwn = dirname(
			require.resolve('n8n-workflow/package.json', { paths: [join(runtime.n8nDir, 'node_modules', 'n8n')] }),
		);
		const link = join(modules, 'n8n-workflow');
		rmSync(link, { recursive: true, force: true });
		symlinkSync(n8nOwn, link, 'dir');
	}
	return { packageName, directory: target, nodeTypePrefix: `${packageName}.` };
}

/** Packs the project and installs it into the user folder. */
async function installPackedPackage(userFolder, runtime) {
	const workDir = mkdtempSync(join(tmpdir(), 'n8n-package-'));
	try {
		return await installPackageTarball(await packProject(workDir), userFolder, runtime);
	} finally {
		rmSync(workDir, { recursive: true, force: true });
	}
}

module.exports = { packProject, installPackageTarball, installPackedPackage, packageName };
