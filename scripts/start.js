// `npm start`: the package inside a real n8n, wired to the local Falcon simulator, ready to click through.
// Options: --port=5678 (n8n), --simulator-port=8399, --events-per-second=1, --n8n=<version> (default: the pinned
// 2.x, or RUNTIME_N8N; e.g. --n8n=1.123.81 runs n8n 1.x on Node.js 22). Ctrl-C stops everything.
const { createServer } = require('node:net');
const { join } = require('node:path');
const { parseArgs } = require('node:util');
const { ensureRuntime } = require('./runtime/ensure-runtime');
const { exampleWorkflows } = require('./runtime/examples');
const { simulatorCredential } = require('./runtime/falcon-credential');
const { N8nInstance } = require('./runtime/n8n-instance');
const { n8nPortEnvironment } = require('./runtime/n8n-environment');
const { assertN8nPortsFree } = require('./runtime/ports');
const { runCommand } = require('./runtime/run-command');
const { projectRoot, runtimeDir } = require('./runtime/runtime-paths');
const { runtimeFor, selectedRuntime } = require('./runtime/runtimes');

const CREDENTIAL = { id: 'falconSimulator01', name: 'Falcon Simulator' };

// The demo is reached from this machine only: its owner's password is in the README, and it serves plain http.
const LISTEN_ADDRESS = '127.0.0.1';
// Settings of another n8n setup on this machine (its database, queue, key) must not reach the demo, which is reset
// on every start.
const FOREIGN_SETTINGS = /^(DB_|QUEUE_|EXECUTIONS_MODE$|N8N_CONFIG_FILES$|N8N_ENCRYPTION_KEY$|N8N_LISTEN_ADDRESS$)/;

function readOptions() {
	const { values } = parseArgs({
		options: {
			port: { type: 'string', default: process.env.N8N_PORT ?? '5678' },
			'simulator-port': { type: 'string', default: '8399' },
			'events-per-second': { type: 'string', default: '1' },
			n8n: { type: 'string' },
		},
	});
	const number = (name, valid, rule) => {
		const value = Number(values[name]);
		if (values[name].trim() === '' || !valid(value)) throw new Error(`--${name} must be ${rule} (got "${values[name]}")`);
		return value;
	};
	const isPort = (value) => Number.isInteger(value) && value >= 1 && value <= 65535;
	return {
		runtime: values.n8n ? runtimeFor(values.n8n) : selectedRuntime(),
		port: number('port', isPort, 'a port number from 1 to 65535'),
		simulatorPort: number('simulator-port', isPort, 'a port number from 1 to 65535'),
		eventsPerSecond: number('events-per-second', (value) => Number.isFinite(value) && value >= 0, 'a number, 0 or more'),
	};
}

/** Fails, naming the port and the option, when the simulator's port is taken. */
function assertSimulatorPortFree(port) {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', (error) =>
			reject(
				new Error(
					`The simulator's port ${port} is not free (${error.code ?? error.message}): stop the program using it, or choose another (npm start -- --simulator-port=<port>). Nothing was built or deleted.`,
				),
			),
		);
		server.listen({ port, host: '127.0.0.1' }, () => server.close(() => resolve()));
	});
}

function phase(title, run) {
	const started = Date.now();
	console.log(`\n== ${title}`);
	const result = run();
	const report = () =>
		console.log(`== ${title}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	if (result instanceof Promise) return result.then((value) => (report(), value));
	report();
	return result;
}

async function main() {
	const options = readOptions();
	const ignored = Object.keys(process.env).filter((name) => FOREIGN_SETTINGS.test(name));
	for (const name of ignored) delete process.env[name];
	if (ignored.length > 0) console.log(`(not passed to the demo n8n: ${ignored.join(', ')})`);
	// Fails before the build and the runtime install when n8n's port or the next one (its task broker) is busy.
	await phase(
		`Checking that n8n's port ${options.port}, its task broker's port ${options.port + 1} and the simulator's port ${options.simulatorPort} are free`,
		async () => {
			await assertN8nPortsFree(
				n8nPortEnvironment({ port: options.port, listenAddress: LISTEN_ADDRESS }),
				'Nothing was built or deleted.',
			);
			await assertSimulatorPortFree(options.simulatorPort);
		},
	);
	phase('Building the package', () =>
		runCommand('npm', ['run', 'build'], { cwd: projectRoot, what: 'npm run build' }),
	);
	phase('Building the simulator', () =>
		runCommand('npm', ['run', 'build:simulator'], {
			cwd: projectRoot,
			what: 'npm run build:simulator',
		}),
	);
	phase(`Preparing the n8n runtime (n8n ${options.runtime.n8nVersion})`, () =>
		ensureRuntime(options.runtime),
	);

	const { startSimulator } = require(join(projectRoot, '.build', 'simulator', 'index.js'));
	const simulator = await phase('Starting the Falcon simulator', () =>
		startSimulator({
			port: options.simulatorPort,
			eventsPerSecond: options.eventsPerSecond,
			// The children's streams too, for the MSSP example (one trigger over every child).
			childEventsPerSecond: options.eventsPerSecond,
		}),
	);
	// Checks n8n's port and the next one (its task broker) before the demo folder is reset.
	const n8n = await N8nInstance.create({
		userFolder: join(runtimeDir, 'demo'),
		port: options.port,
		listenAddress: LISTEN_ADDRESS,
		runtime: options.runtime,
	});

	let stopping = false;
	const shutdown = async (exitCode) => {
		if (stopping) return;
		stopping = true;
		console.log('\nStopping n8n and the simulator...');
		await n8n.stop().catch((error) => console.error(error.message));
		n8n.removeEditorCache();
		await simulator.close().catch((error) => console.error(error.message));
		process.exit(exitCode);
	};
	process.on('SIGINT', () => void shutdown(0));
	process.on('SIGTERM', () => void shutdown(0));

	try {
		const { nodeTypePrefix } = await phase('Installing the packed package into n8n', () =>
			n8n.installPackage(),
		);
		const workflows = exampleWorkflows(CREDENTIAL);
		await phase('Importing the simulator credential', () =>
			n8n.importCredentials([simulatorCredential(simulator, CREDENTIAL)]),
		);
		if (workflows.length > 0) {
			await phase(`Importing ${workflows.length} example workflow(s)`, () =>
				n8n.importWorkflows(workflows),
			);
		}
		const server = await phase('Starting n8n', () => n8n.start());
		void server.exited.then((status) => {
			if (stopping) return;
			console.error(`\nn8n exited unexpectedly (${status}); see ${server.logFile}`);
			void shutdown(1);
		});
		console.log(`
n8n ${options.runtime.n8nVersion} is ready (package node types: ${nodeTypePrefix}*)
  Editor:     ${server.url.replace('127.0.0.1', 'localhost')}
  Log in as:  ${n8n.owner.email} / ${n8n.owner.password}
  Simulator:  ${simulator.url}  (client id ${simulator.clientId}, secret ${simulator.clientSecret})
  Credential: "${CREDENTIAL.name}" (cloud "Custom URL" -> the simulator)
  Workflows:  ${workflows.map((workflow) => workflow.name).join(', ') || 'none in examples/'}
  Children:   ${simulator.children.map((child) => `${child.cid} (${child.name})`).join(', ')}
              (Flight Control's child tenants: a node's Member CID, or the trigger's Tenants option)
  n8n log:    ${server.logFile}
Press Ctrl-C to stop.`);
	} catch (error) {
		console.error(`\nnpm start FAILED: ${error.message}`);
		await shutdown(1);
	}
}

main().catch((error) => {
	console.error(`\nnpm start FAILED: ${error.message}`);
	process.exit(1);
});
