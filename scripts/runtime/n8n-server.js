// Starts `n8n start` as a child process, waits until it is ready to serve, and stops it again.
const { spawn } = require('node:child_process');
const { createWriteStream } = require('node:fs');
const { join } = require('node:path');
const { selectedRuntime } = require('./runtimes');

const READY_TIMEOUT_MS = 180_000;
// Beyond n8n's own graceful shutdown (N8N_GRACEFUL_SHUTDOWN_TIMEOUT, 30 s), in which running executions end and
// clean up (an RTR session deleted).
const STOP_TIMEOUT_MS = 35_000;

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function timeout(ms) {
	let timer;
	const promise = new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
	return { promise, cancel: () => clearTimeout(timer) };
}

async function isReady(url) {
	try {
		// /healthz answers once the HTTP server listens; /healthz/readiness only when nodes are loaded and the DB migrated.
		const [alive, ready] = await Promise.all([
			fetch(`${url}/healthz`),
			fetch(`${url}/healthz/readiness`),
		]);
		return alive.ok && ready.ok;
	} catch {
		return false;
	}
}

/**
 * Output goes to <user folder>/n8n.log.
 * Resolves with { url, logFile, pid, exited, stop() } once /healthz and /healthz/readiness answer 200;
 * `exited` resolves with the exit code or signal whenever the process ends. `runtime` from runtimeFor().
 * `onSpawned(stop)` gets the way to stop the process as soon as it exists, for a stop asked while it starts.
 */
async function startN8nServer(env, runtime = selectedRuntime(), onSpawned = () => undefined) {
	const { nodeBinary, n8nBin } = runtime;
	const url = `http://127.0.0.1:${env.N8N_PORT}`;
	const logFile = join(env.N8N_USER_FOLDER, 'n8n.log');
	const log = createWriteStream(logFile, { flags: 'a' });
	const child = spawn(nodeBinary, [n8nBin, 'start'], {
		env: { ...process.env, ...env },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	for (const stream of [child.stdout, child.stderr]) {
		stream.on('data', (chunk) => log.write(chunk));
	}
	const exited = new Promise((resolve) =>
		child.on('exit', (code, signal) => resolve(code ?? signal)),
	);
	let exitStatus;
	void exited.then((status) => (exitStatus = status));

	const stop = async () => {
		if (exitStatus === undefined) {
			child.kill('SIGTERM');
			const patience = timeout(STOP_TIMEOUT_MS);
			const status = await Promise.race([exited, patience.promise]);
			patience.cancel();
			if (status === 'timeout') {
				child.kill('SIGKILL');
				await exited;
			}
		}
		await new Promise((resolve) => log.end(resolve));
	};
	onSpawned(stop);

	const deadline = Date.now() + READY_TIMEOUT_MS;
	while (!(await isReady(url))) {
		if (exitStatus !== undefined) {
			await stop();
			throw new Error(`n8n exited (${exitStatus}) before it was ready; see ${logFile}`);
		}
		if (Date.now() > deadline) {
			await stop();
			throw new Error(
				`n8n was not ready at ${url} within ${READY_TIMEOUT_MS / 1000} s; see ${logFile}`,
			);
		}
		await delay(500);
	}
	return { url, logFile, pid: child.pid, exited, stop };
}

module.exports = { startN8nServer };
