// The n8n command line, run with its runtime's Node.js: imports and one-off workflow executions.
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { runCommandCaptured } = require('./run-command');
const { selectedRuntime } = require('./runtimes');

/** `runtime` from runtimeFor(); default: the one RUNTIME_N8N selects. */
function runN8nCli(env, args, { check = true, runtime = selectedRuntime() } = {}) {
	const { nodeBinary, n8nBin } = runtime;
	return runCommandCaptured(nodeBinary, [n8nBin, ...args], { env, check, what: `n8n ${args[0]}` });
}

// The import commands read a file; entities keep the ids given here, so workflows can reference credentials.
async function importEntities(env, command, entities, runtime) {
	const dir = mkdtempSync(join(env.N8N_USER_FOLDER, `${command.replace(':', '-')}-`));
	try {
		const file = join(dir, 'import.json');
		writeFileSync(file, JSON.stringify(entities, null, 2));
		await runN8nCli(env, [command, `--input=${file}`], { runtime });
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

module.exports = {
	runN8nCli,
	importCredentials: (env, credentials, runtime) =>
		importEntities(env, 'import:credentials', credentials, runtime),
	importWorkflows: (env, workflows, runtime) =>
		importEntities(env, 'import:workflow', workflows, runtime),
};
