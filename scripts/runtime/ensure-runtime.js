// Makes sure .n8n-runtime/ holds a Node.js and n8n pair; reuses what a previous run installed.
// Usable from code (`ensureRuntime(runtime)`) and from the command line:
//   node scripts/runtime/ensure-runtime.js            the pair RUNTIME_N8N selects (default: the pinned 2.x)
//   node scripts/runtime/ensure-runtime.js 1.123.81   the pair of that n8n version
//   node scripts/runtime/ensure-runtime.js --compat   every pair of the compatibility suite
const { installNode } = require('./install-node');
const { installN8n } = require('./install-n8n');
const { compatRuntimes, runtimeFor, selectedRuntime } = require('./runtimes');
const { runCommand } = require('./run-command');

/** `runtime` from runtimeFor()/selectedRuntime(); returns it once installed. */
function ensureRuntime(runtime = selectedRuntime()) {
	const started = Date.now();
	installNode(runtime);
	installN8n(runtime);
	console.log(
		`[runtime] n8n ${runtime.n8nVersion} on Node.js ${runtime.nodeVersion} ready in ${((Date.now() - started) / 1000).toFixed(0)} s: ${runtime.n8nDir}`,
	);
	return runtime;
}

function runtimesFromArguments(args) {
	if (args.includes('--compat')) return compatRuntimes();
	if (args.length > 0) return args.map((version) => runtimeFor(version));
	return [selectedRuntime()];
}

if (require.main === module) {
	try {
		for (const runtime of runtimesFromArguments(process.argv.slice(2))) {
			const { nodeBinary, n8nBin } = ensureRuntime(runtime);
			runCommand(nodeBinary, [n8nBin, '--version'], { what: 'Checking n8n' });
		}
	} catch (error) {
		console.error(`\n[runtime] FAILED: ${error.message}`);
		process.exit(1);
	}
}

module.exports = { ensureRuntime };
