// Makes sure .n8n-runtime/ holds the pinned Node.js and n8n; reuses what a previous run installed.
// Usable from code (`ensureRuntime()`) and from the command line (`node scripts/runtime/ensure-runtime.js`).
const { installNode } = require('./install-node');
const { installN8n } = require('./install-n8n');
const runtimePaths = require('./runtime-paths');
const { runCommand } = require('./run-command');

function ensureRuntime() {
	const started = Date.now();
	installNode();
	installN8n();
	console.log(
		`[runtime] ready in ${((Date.now() - started) / 1000).toFixed(0)} s: ${runtimePaths.runtimeDir}`,
	);
	return runtimePaths;
}

if (require.main === module) {
	try {
		const { nodeBinary, n8nBin } = ensureRuntime();
		runCommand(nodeBinary, [n8nBin, '--version'], { what: 'Checking n8n' });
	} catch (error) {
		console.error(`\n[runtime] FAILED: ${error.message}`);
		process.exit(1);
	}
}

module.exports = { ensureRuntime };
