/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/require-node-api-error -- benchmark code, never part of the package */
import { join } from 'node:path';

import { N8nCluster } from '../../test/e2e/harness/n8nCluster';
import { packedTarball, projectRoot } from '../../test/e2e/harness/paths';
import { N8nRestClient } from '../../test/e2e/harness/rest';
import { simulatorCredential, startTestSimulator, type RunningSimulator } from '../../test/e2e/harness/simulator';

export const benchOutput = join(projectRoot, 'test-output', 'bench', 'n8n');

/** Finished Bull jobs n8n keeps in Redis (its default, 0, removes them at once). */
export const QUEUE_RETENTION = { N8N_EXECUTIONS_QUEUE_KEEP_LAST_COMPLETED: '1000', N8N_EXECUTIONS_QUEUE_KEEP_LAST_FAILED: '1000' };

export interface BenchProcess {
	name: string;
	pid: number;
}

/** One n8n deployment under test: its simulator, its cluster and a logged-in REST client. */
export interface BenchInstance {
	label: string;
	simulator: RunningSimulator;
	cluster: N8nCluster;
	rest: N8nRestClient;
	credential: { id: string; name: string };
	nodeTypePrefix: string;
	/** The processes whose CPU time is measured: n8n main, workers, Postgres, Redis. */
	processes(): BenchProcess[];
	publish(workflowId: string): Promise<void>;
	unpublish(workflowId: string): Promise<void>;
	stop(): Promise<void>;
}

/**
 * Starts the simulator (two partitions, enough retention for the backlog) and n8n on Postgres, regular or queue
 * mode with `workers` workers; `workflows` are imported unpublished.
 */
export async function startBenchInstance(
	label: string,
	options: { mode: 'regular' | 'queue'; workers: number; retainedEvents: number; workflows: (instance: Pick<BenchInstance, 'credential' | 'nodeTypePrefix'>) => object[] },
): Promise<BenchInstance> {
	const simulator = await startTestSimulator({ partitions: 2, keepAliveMs: 1_000, maxRetainedEvents: options.retainedEvents, rateLimitPerMinute: 100_000 });
	const credential = { id: 'falconSimulatorBench', name: 'Falcon Simulator' };
	const cluster = await N8nCluster.start(join(benchOutput, label), packedTarball(), {
		mode: options.mode,
		// As in production: the database syncs to disk, and pg_stat_statements shows where its time goes.
		postgres: { fsync: true, statementStatistics: true },
		env: {
			// Every execution is kept, so the benchmark can count them; pruning would delete some mid-run.
			EXECUTIONS_DATA_PRUNE: 'false',
			// See README "Scaling": without finished jobs kept in Redis, n8n 2.41 can miss a job's completion and never
			// settle the trigger's execution, which then stops the trigger at Max Executions in Flight.
			// BENCH_QUEUE_RETENTION=0 runs with n8n's default instead, to see the problem.
			...(options.mode === 'queue' && process.env.BENCH_QUEUE_RETENTION !== '0' ? QUEUE_RETENTION : {}),
			// BENCH_CPU_PROFILE=1: every n8n process writes a V8 CPU profile (.cpuprofile) when it exits.
			...(process.env.BENCH_CPU_PROFILE === '1' ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${join(benchOutput, label, 'cpu-profiles')}` } : {}),
		},
	});
	try {
		const nodeTypePrefix = cluster.installed.nodeTypePrefix;
		await cluster.main.importCredentials([simulatorCredential(simulator, credential)]);
		await cluster.main.importWorkflows(options.workflows({ credential, nodeTypePrefix }));
		const server = await cluster.main.start();
		for (let index = 0; index < options.workers; index++) await cluster.startWorker();
		const rest = await N8nRestClient.login(server.url, cluster.main.owner);
		return {
			label,
			simulator,
			cluster,
			rest,
			credential,
			nodeTypePrefix,
			processes: () => [
				{ name: 'n8n main', pid: cluster.main.server!.pid },
				...[...cluster.workers.values()].map((worker) => ({ name: `n8n ${worker.name}`, pid: worker.pid })),
				{ name: 'postgres', pid: cluster.postgres.serverPid() },
				...(cluster.redis ? [{ name: 'redis', pid: cluster.redis.pid }] : []),
			],
			publish: async (workflowId) => {
				const { versionId } = await rest.get<{ versionId: string }>(`/workflows/${workflowId}`);
				await rest.post(`/workflows/${workflowId}/activate`, { versionId });
			},
			unpublish: async (workflowId) => {
				await rest.post(`/workflows/${workflowId}/deactivate`, {});
			},
			stop: async () => {
				await cluster.stop();
				await simulator.close();
			},
		};
	} catch (error) {
		await cluster.stop();
		await simulator.close();
		throw error;
	}
}
