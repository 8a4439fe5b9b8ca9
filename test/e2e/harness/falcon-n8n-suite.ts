/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test harness code, never part of the package */
import { join } from 'node:path';

import { N8nInstance, type Runtime } from '../../../scripts/runtime/n8n-instance';
import { executeWorkflow, type ExecutionResult } from './execute';
import { FalconApi } from './falcon-api';
import { freePort } from './free-port';
import { outputDir, packedTarball } from './paths';
import { N8nRestClient } from './rest';
import {
	CREDENTIAL_TYPE,
	simulatorCredential,
	startTestSimulator,
	type CredentialRef,
	type RunningSimulator,
	type SimulatorOptions,
} from './simulator';

export interface FalconN8nOptions {
	simulator?: SimulatorOptions;
	/** Workflows imported before the tests run (one import is much faster than one per test). */
	workflows?: (suite: FalconN8nSuite) => object[] | Promise<object[]>;
	/** Also run `n8n start` and log in to its REST API (tests of the editor, REST endpoints and triggers). */
	server?: boolean;
	/** Ids of imported workflows to publish (activate) before `n8n start`, e.g. trigger workflows. */
	publish?: string[];
	/** The n8n to run, as a runtime or an n8n version; default the one RUNTIME_N8N selects (the pinned 2.x). */
	runtime?: Runtime | string;
	/** Where the global setup left the packed package; default the e2e suite's. */
	packageDir?: string;
}

export interface ExecutionSummary {
	id: string;
	status: string;
	mode: string;
	workflowId: string;
}

/** Everything a test needs; filled in by the suite's beforeAll. */
export class FalconN8nSuite {
	readonly credential: CredentialRef = { id: 'falconSimulatorE2e', name: 'Falcon Simulator' };

	readonly badSecretCredential: CredentialRef = {
		id: 'falconBadSecretE2e',
		name: 'Falcon Simulator (wrong secret)',
	};

	/** Distinctive, so a test can prove it never shows up in any output. */
	// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- a deliberately wrong, fake secret
	readonly badSecret = 'e2e-wrong-secret-7c1d9f3b';

	readonly folder: string;

	simulator!: RunningSimulator;

	/** The simulator's own API, as the oracle for what n8n did. */
	falcon!: FalconApi;

	n8n!: N8nInstance;

	/** e.g. "n8n-nodes-crowdstrike-falcon." (installed as a community package). */
	nodeTypePrefix!: string;

	/** Only with { server: true }. */
	url!: string;

	/** Only with { server: true }: logged in as the instance owner. */
	rest!: N8nRestClient;

	constructor(readonly name: string) {
		this.folder = join(outputDir, name);
	}

	/** `n8n start`, then a REST login as the owner; fails when n8n started without this package's credential type. */
	async startServer(): Promise<void> {
		const server = await this.n8n.start();
		this.url = server.url;
		this.rest = await N8nRestClient.login(this.url, this.n8n.owner);
		const knownCredentials = await this.rest.getText('/types/credentials.json');
		if (!knownCredentials.includes(`"${CREDENTIAL_TYPE}"`)) {
			throw new Error(`n8n started without this package's credential type; see ${server.logFile}`);
		}
	}

	async execute(workflowId: string): Promise<ExecutionResult> {
		return await executeWorkflow(this.n8n, workflowId);
	}

	/** With { server: true }: the executions n8n recorded for a workflow, newest first. */
	async executions(workflowId: string): Promise<ExecutionSummary[]> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		return (await this.rest.get<{ results: ExecutionSummary[] }>(`/executions?filter=${filter}`))
			.results;
	}
}

/**
 * Registers beforeAll/afterAll that start an in-process simulator and a fresh n8n with the packed package installed,
 * a working and a wrong-secret credential imported. One call per test file:
 *   const suite = useFalconN8n('my-suite', { workflows: (s) => [manualWorkflow(...)] });
 */
export function useFalconN8n(name: string, options: FalconN8nOptions = {}): FalconN8nSuite {
	const suite = new FalconN8nSuite(name);

	beforeAll(async () => {
		suite.simulator = await startTestSimulator(options.simulator);
		suite.falcon = new FalconApi(suite.simulator);
		const [port, brokerPort] = [await freePort(), await freePort()];
		suite.n8n = new N8nInstance({
			userFolder: join(suite.folder, 'n8n'),
			port,
			brokerPort,
			listenAddress: '127.0.0.1',
			runtime: options.runtime,
		});
		({ nodeTypePrefix: suite.nodeTypePrefix } = await suite.n8n.installPackage(
			packedTarball(options.packageDir),
		));
		await suite.n8n.importCredentials([
			simulatorCredential(suite.simulator, suite.credential),
			simulatorCredential(suite.simulator, suite.badSecretCredential, {
				clientSecret: suite.badSecret,
			}),
		]);
		const workflows = (await options.workflows?.(suite)) ?? [];
		if (workflows.length > 0) await suite.n8n.importWorkflows(workflows);
		for (const id of options.publish ?? []) await suite.n8n.activate(id);
		if (options.server) await suite.startServer();
	});

	afterAll(async () => {
		await suite.n8n?.stop();
		suite.n8n?.removeEditorCache();
		await suite.simulator?.close();
	});

	return suite;
}
