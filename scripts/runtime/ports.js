// Whether the ports an n8n instance needs are free: its editor/API port and its task broker's (by default the next
// one). Checked before a user folder is reset and before n8n starts, so a busy port fails with its name instead of
// deleting the folder first, and readiness is never read from another program (another n8n) on that port.
const { connect, createServer } = require('node:net');

const CONNECT_TIMEOUT_MS = 1_000;
// n8n's defaults (N8N_LISTEN_ADDRESS, N8N_RUNNERS_BROKER_LISTEN_ADDRESS).
const N8N_DEFAULT_ADDRESS = '::';
const BROKER_DEFAULT_ADDRESS = '127.0.0.1';

/** Whether something accepts connections on host:port. */
function accepts(port, host) {
	return new Promise((resolve) => {
		const socket = connect({ port, host });
		const done = (result) => {
			socket.destroy();
			resolve(result);
		};
		socket.setTimeout(CONNECT_TIMEOUT_MS, () => done(false));
		socket.once('connect', () => done(true));
		socket.once('error', () => done(false));
	});
}

/** Undefined when this process can listen on host:port, else the error (EADDRINUSE, EACCES…). */
function listenError(port, host) {
	return new Promise((resolve) => {
		const server = createServer();
		server.once('error', (error) => resolve(error));
		server.listen({ port, host }, () => server.close(() => resolve(undefined)));
	});
}

/** Why n8n could not use this port, or undefined when it can. */
async function portProblem(port, listenAddress) {
	// Where the scripts wait for n8n to be ready: another program answering there would be taken for it.
	if (await accepts(port, '127.0.0.1')) return 'another program answers on it (127.0.0.1)';
	let error = await listenError(port, listenAddress);
	// No IPv6 on this machine: n8n's default `::` fails as well, but that is not about the port; check IPv4.
	if (
		error &&
		listenAddress === N8N_DEFAULT_ADDRESS &&
		['EAFNOSUPPORT', 'EADDRNOTAVAIL'].includes(error.code)
	) {
		error = await listenError(port, '0.0.0.0');
	}
	if (!error) return undefined;
	if (error.code === 'EADDRINUSE') return `another program listens on it (${listenAddress})`;
	if (error.code === 'EACCES') return `this user may not listen on it (${listenAddress})`;
	return `listening on it failed (${listenAddress}): ${error.code ?? error.message}`;
}

/**
 * Throws, naming each busy port, unless the ports of the n8n environment `env` (from n8nEnvironment() or
 * n8nPortEnvironment(); unset values fall back to this process's environment, then to n8n's defaults, as in the n8n
 * process) are free. `consequence` ends the message, e.g. what was left untouched.
 */
async function assertN8nPortsFree(env, consequence = '') {
	const setting = (name) => env[name] ?? process.env[name];
	const port = setting('N8N_PORT') ?? '5678';
	const brokerPort = setting('N8N_RUNNERS_BROKER_PORT') ?? String(Number(port) + 1);
	const checks = [
		{ port, what: "n8n's port", address: setting('N8N_LISTEN_ADDRESS') || N8N_DEFAULT_ADDRESS },
		{
			port: brokerPort,
			what: "the port of n8n's task broker",
			address: setting('N8N_RUNNERS_BROKER_LISTEN_ADDRESS') || BROKER_DEFAULT_ADDRESS,
		},
	];
	const ending = consequence ? ` ${consequence}` : '';
	for (const check of checks) {
		const number = Number(check.port);
		if (!Number.isInteger(number) || number < 1 || number > 65535) {
			throw new Error(
				`${check.what} must be a port number from 1 to 65535 (got "${check.port}").${ending}`,
			);
		}
	}
	const problems = [];
	for (const check of checks) {
		const problem = await portProblem(Number(check.port), check.address);
		if (problem) problems.push(`${check.what} ${check.port} is not free: ${problem}`);
	}
	if (problems.length === 0) return;
	throw new Error(
		`${problems.join('; ')}. Stop the program using it, or choose another port (npm start -- --port=<port>; ` +
			`n8n also takes the port after it, for its task broker).${ending}`,
	);
}

module.exports = { assertN8nPortsFree };
