// One n8n instance = one user folder (database, encryption key, installed package) and the processes run on it.
// This is the entry point shared by `npm start` and the end-to-end test harness.
const { mkdirSync, rmSync } = require('node:fs');
const { join } = require('node:path');
const { installPackageTarball, installPackedPackage, packProject } = require('./install-package');
const { n8nEnvironment, n8nPortEnvironment } = require('./n8n-environment');
const { assertN8nPortsFree } = require('./ports');
const { runN8nCli, importCredentials, importWorkflows } = require('./n8n-cli');
const { startN8nServer } = require('./n8n-server');
const { OWNER, setUpOwner } = require('./n8n-owner');
const { ensureRuntime } = require('./ensure-runtime');
const { COMPAT_N8N_VERSIONS, compatRuntimes, runtimeFor, selectedRuntime } = require('./runtimes');
const { runCommand } = require('./run-command');
const { exampleWorkflows } = require('./examples');
const { CREDENTIAL_TYPE, simulatorCredential } = require('./falcon-credential');

class N8nInstance {
	constructor({ userFolder, port = 5678, brokerPort, listenAddress, reset = true, runtime }) {
		if (reset) rmSync(userFolder, { recursive: true, force: true });
		mkdirSync(userFolder, { recursive: true });
		this.runtime =
			typeof runtime === 'string' ? runtimeFor(runtime) : (runtime ?? selectedRuntime());
		this.userFolder = userFolder;
		this.env = n8nEnvironment({
			userFolder,
			port,
			brokerPort,
			listenAddress,
			runtime: this.runtime,
		});
		this.owner = OWNER;
		this.server = undefined;
		/** Stops the n8n process while it starts, before it is ready (and `server` is set). */
		this.stopStarting = undefined;
	}

	/**
	 * As the constructor, after checking that n8n's port and its task broker's are free: a busy port fails naming
	 * it, and the user folder is left as it was (the constructor resets it).
	 */
	static async create(options) {
		const { userFolder, reset = true } = options;
		await assertN8nPortsFree(
			n8nPortEnvironment(options),
			reset ? `Nothing was deleted from ${userFolder}.` : '',
		);
		return new N8nInstance(options);
	}

	/** Installs the given tarball (from packProject), or packs the project first when none is given. */
	installPackage(tarball) {
		return tarball
			? installPackageTarball(tarball, this.userFolder, this.runtime)
			: installPackedPackage(this.userFolder, this.runtime);
	}

	importCredentials(credentials) {
		return importCredentials(this.env, credentials, this.runtime);
	}

	importWorkflows(workflows) {
		return importWorkflows(this.env, workflows, this.runtime);
	}

	cli(args, options) {
		return runN8nCli(this.env, args, { ...options, runtime: this.runtime });
	}

	/** Activates (2.x: publishes) an imported workflow; takes effect at the next `start()`. */
	activate(workflowId) {
		return this.cli(this.runtime.features.activateArgs(workflowId));
	}

	async start() {
		if (this.server) throw new Error('n8n is already running for this user folder');
		// Readiness is read on n8n's port: another program there would pass for this n8n.
		await assertN8nPortsFree(this.env);
		try {
			this.server = await startN8nServer(this.env, this.runtime, (stop) => (this.stopStarting = stop));
		} finally {
			this.stopStarting = undefined;
		}
		try {
			await setUpOwner(this.server.url, this.runtime);
		} catch (error) {
			await this.stop();
			throw error;
		}
		return this.server;
	}

	async stop() {
		const server = this.server;
		this.server = undefined;
		await (server?.stop() ?? this.stopStarting?.());
	}

	/**
	 * n8n copies its editor (thousands of minified .js files) into <user folder>/.cache at every start. The strict
	 * lint's `eslint .` cannot be told to skip it (eslint.config.mjs must stay the template), so a stopped instance
	 * drops it; n8n copies it again when it starts.
	 */
	removeEditorCache() {
		if (this.server) throw new Error('Stop n8n before removing its editor cache');
		rmSync(join(this.userFolder, '.cache'), { recursive: true, force: true });
	}
}

module.exports = {
	N8nInstance,
	OWNER,
	ensureRuntime,
	runtimeFor,
	selectedRuntime,
	compatRuntimes,
	COMPAT_N8N_VERSIONS,
	runCommand,
	exampleWorkflows,
	packProject,
	CREDENTIAL_TYPE,
	simulatorCredential,
};
