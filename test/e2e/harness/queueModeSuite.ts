import { FalconN8nSuite } from './falcon-n8n-suite';
import { FalconApi } from './falcon-api';
import { N8nCluster, type N8nClusterOptions } from './n8nCluster';
import { packedTarball } from './paths';
import { N8nRestClient } from './rest';
import { simulatorCredential, startTestSimulator, type SimulatorOptions } from './simulator';

/** Postgres, two n8n imports and three n8n processes: about a minute on 2 idle cores, much more on busy ones. */
const SETUP_TIMEOUT_MS = 400_000;

export interface QueueModeOptions {
	simulator?: SimulatorOptions;
	/** Workers started with the main. */
	workers: number;
	/** Bull concurrency of each worker (n8n's default is 10). */
	concurrency?: number;
	/** Extra variables for every n8n process. */
	env?: Record<string, string>;
	cluster?: Omit<N8nClusterOptions, 'mode' | 'env'>;
	workflows: (suite: QueueModeSuite) => object[];
	/** Ids of imported workflows to publish once the main and the workers run. */
	publish: string[];
}

/** A FalconN8nSuite whose n8n is the main of a queue-mode cluster; `rest` is renewed by `restartMain`. */
export class QueueModeSuite extends FalconN8nSuite {
	cluster!: N8nCluster;

	async startMain(): Promise<void> {
		const server = await this.n8n.start();
		this.url = server.url;
		this.rest = await N8nRestClient.login(server.url, this.n8n.owner);
	}

	/** SIGTERM (n8n shuts down cleanly) or SIGKILL of the main and its task runner, then a fresh start. */
	async restartMain(how: 'SIGTERM' | 'SIGKILL'): Promise<void> {
		if (how === 'SIGKILL') await this.cluster.killMain();
		else await this.n8n.stop();
		await this.startMain();
	}
}

/**
 * Publishes imported workflows the way the editor's Publish button does, on the running main: n8n activates them at
 * once (the CLI's publish:workflow needs a restart, and import's --activeState=fromJson fails in n8n 2.41.1 with
 * "Cannot query license state because license provider has not been set").
 */
async function publish(suite: QueueModeSuite, ids: string[]): Promise<void> {
	for (const id of ids) {
		const { versionId } = await suite.rest.get<{ versionId: string }>(`/workflows/${id}`);
		await suite.rest.post(`/workflows/${id}/activate`, { versionId });
	}
}

/**
 * beforeAll/afterAll for a queue-mode suite: the simulator, Postgres, Redis, an n8n main and `workers` workers with
 * the packed package, the simulator credential and the given workflows imported and published.
 */
export function useQueueModeFalconN8n(name: string, options: QueueModeOptions): QueueModeSuite {
	const suite = new QueueModeSuite(name);

	beforeAll(async () => {
		suite.simulator = await startTestSimulator(options.simulator);
		suite.falcon = new FalconApi(suite.simulator);
		suite.cluster = await N8nCluster.start(suite.folder, packedTarball(), {
			...options.cluster,
			mode: 'queue',
			env: options.env,
		});
		suite.n8n = suite.cluster.main;
		suite.nodeTypePrefix = suite.cluster.installed.nodeTypePrefix;
		await suite.n8n.importCredentials([simulatorCredential(suite.simulator, suite.credential)]);
		await suite.n8n.importWorkflows(options.workflows(suite));
		await Promise.all([
			suite.startMain(),
			...Array.from({ length: options.workers }, async () => await suite.cluster.startWorker(options.concurrency)),
		]);
		await publish(suite, options.publish);
	}, SETUP_TIMEOUT_MS);

	afterAll(async () => {
		await suite.cluster?.stop();
		await suite.simulator?.close();
	}, SETUP_TIMEOUT_MS);

	return suite;
}
