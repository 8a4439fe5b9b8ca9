// One n8n instance = one user folder (database, encryption key, installed package) and the processes run on it.
// This is the entry point shared by `npm start` and the end-to-end test harness.
const { mkdirSync, rmSync } = require('node:fs');
const { installPackageTarball, installPackedPackage, packProject } = require('./install-package');
const { n8nEnvironment } = require('./n8n-environment');
const { runN8nCli, importCredentials, importWorkflows } = require('./n8n-cli');
const { startN8nServer } = require('./n8n-server');
const { OWNER } = require('./n8n-owner');
const { ensureRuntime } = require('./ensure-runtime');
const { runCommand } = require('./run-command');
const { exampleWorkflows } = require('./examples');
const { CREDENTIAL_TYPE, simulatorCredential } = require('./falcon-credential');

class N8nInstance {
	constructor({ userFolder, port = 5678, brokerPort, listenAddress, reset = true }) {
		if (reset) rmSync(userFolder, { recursive: true, force: true });
		mkdirSync(userFolder, { recursive: true });
		this.userFolder = userFolder;
		this.env = n8nEnvironment({ userFolder, port, brokerPort, listenAddress });
		this.owner = OWNER;
		this.server = undefined;
	}

	/** Installs the given tarball (from packProject), or packs the project first when none is given. */
	installPackage(tarball) {
		return tarball
			? installPackageTarball(tarball, this.userFolder)
			: installPackedPackage(this.userFolder);
	}

	importCredentials(credentials) {
		return importCredentials(this.env, credentials);
	}

	importWorkflows(workflows) {
		return importWorkflows(this.env, workflows);
	}

	cli(args, options) {
		return runN8nCli(this.env, args, options);
	}

	async start() {
		if (this.server) throw new Error('n8n is already running for this user folder');
		this.server = await startN8nServer(this.env);
		return this.server;
	}

	async stop() {
		const server = this.server;
		this.server = undefined;
		await server?.stop();
	}
}

module.exports = {
	N8nInstance,
	OWNER,
	ensureRuntime,
	runCommand,
	exampleWorkflows,
	packProject,
	CREDENTIAL_TYPE,
	simulatorCredential,
};
