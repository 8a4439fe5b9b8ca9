// Runs child processes and turns any failure into an error that says what failed.
const { spawn, spawnSync } = require('node:child_process');

function describeFailure(what, command, args, status, seconds) {
	return `${what}: "${[command, ...args].join(' ')}" exited with ${status} after ${seconds} s`;
}

/** Blocking, output shown live: for long installs whose progress the user should see. Returns the seconds taken. */
function runCommand(command, args, { cwd, env, what } = {}) {
	const started = Date.now();
	const result = spawnSync(command, args, {
		cwd,
		env: { ...process.env, ...env },
		stdio: 'inherit',
	});
	const seconds = ((Date.now() - started) / 1000).toFixed(0);
	if (result.error) throw new Error(`${what}: could not run ${command}: ${result.error.message}`);
	if (result.status !== 0) {
		throw new Error(
			describeFailure(what, command, args, result.status ?? result.signal, seconds) +
				' (see the output above)',
		);
	}
	return seconds;
}

/**
 * Non-blocking, output captured: for commands run while in-process servers (the simulator) must keep answering.
 * Resolves with { status, stdout, stderr }; rejects only when `check` is set and the command failed.
 */
function runCommandCaptured(command, args, { cwd, env, what, check = true } = {}) {
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, {
			cwd,
			env: { ...process.env, ...env },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const stdout = [];
		const stderr = [];
		child.stdout.on('data', (chunk) => stdout.push(chunk));
		child.stderr.on('data', (chunk) => stderr.push(chunk));
		child.on('error', (error) =>
			reject(new Error(`${what}: could not run ${command}: ${error.message}`)),
		);
		child.on('close', (code, signal) => {
			const result = {
				status: code ?? signal,
				stdout: Buffer.concat(stdout).toString('utf8'),
				stderr: Buffer.concat(stderr).toString('utf8'),
			};
			if (check && code !== 0) {
				const seconds = ((Date.now() - started) / 1000).toFixed(0);
				const output = (result.stderr + result.stdout).trim().split('\n').slice(-30).join('\n');
				reject(
					new Error(`${describeFailure(what, command, args, result.status, seconds)}:\n${output}`),
				);
				return;
			}
			resolve(result);
		});
	});
}

module.exports = { runCommand, runCommandCaptured };
