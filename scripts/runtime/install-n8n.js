// Installs n8n into its own folder (with its own package.json, so the project's .npmrc does not apply there)
// and compiles its one native dependency that matters, sqlite3, for the runtime's Node.js.
const { existsSync, mkdirSync, rmSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { runtimeFor } = require('./runtimes');
const { markerMatches, writeMarker } = require('./marker');
const { runCommand } = require('./run-command');

// npm runs under the runtime's Node.js so that dependency resolution and native builds target that version.
function npmCliPath() {
	const candidates = [
		process.env.npm_execpath,
		join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
	];
	const found = candidates.find(
		(candidate) => candidate && candidate.endsWith('npm-cli.js') && existsSync(candidate),
	);
	if (!found)
		throw new Error(`Cannot find npm-cli.js (looked at: ${candidates.filter(Boolean).join(', ')})`);
	return found;
}

function runNpm(runtime, args, what) {
	const { nodeBinary, nodeDir, n8nDir } = runtime;
	return runCommand(nodeBinary, [npmCliPath(), ...args, '--no-audit', '--no-fund', '--yes'], {
		cwd: n8nDir,
		// Native addons must compile against the runtime's headers, not the system Node's.
		env: { npm_config_nodedir: nodeDir, npm_config_update_notifier: 'false' },
		what,
	});
}

/** `runtime` is a runtimeFor() result whose Node.js is installed; default: the pinned pair. */
function installN8n(runtime = runtimeFor()) {
	const { n8nVersion, nodeVersion, n8nDir, n8nBin, n8nMarker } = runtime;
	const expected = { n8nVersion, nodeVersion };
	if (markerMatches(n8nMarker, expected) && existsSync(n8nBin)) {
		console.log(`[runtime] n8n ${n8nVersion} (Node.js ${nodeVersion}): already installed`);
		return;
	}
	console.log(
		`[runtime] n8n ${n8nVersion} (Node.js ${nodeVersion}): installing into ${n8nDir} (takes ~7 min and ~3 GB the first time)`,
	);
	rmSync(n8nMarker, { force: true });
	mkdirSync(n8nDir, { recursive: true });
	writeFileSync(
		join(n8nDir, 'package.json'),
		JSON.stringify(
			{
				name: 'n8n-runtime',
				private: true,
				dependencies: { n8n: n8nVersion },
				overrides: runtime.features.npmOverrides,
			},
			null,
			2,
		) + '\n',
	);
	// Install scripts stay off: some fetch binaries from the internet (kafka-javascript, sqlite3 prebuilds) and fail offline.
	const installSeconds = runNpm(
		runtime,
		['install', '--ignore-scripts'],
		`Installing n8n ${n8nVersion}`,
	);
	console.log(
		`[runtime] n8n ${n8nVersion}: installed in ${installSeconds} s; compiling sqlite3 for Node.js ${nodeVersion}`,
	);
	const rebuildSeconds = runNpm(
		runtime,
		['rebuild', 'sqlite3', '--ignore-scripts=false'],
		'Compiling sqlite3',
	);
	console.log(`[runtime] sqlite3 compiled in ${rebuildSeconds} s`);
	if (!existsSync(n8nBin)) throw new Error(`n8n was installed but ${n8nBin} is missing`);
	writeMarker(n8nMarker, expected);
}

module.exports = { installN8n };
