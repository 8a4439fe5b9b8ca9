/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- test harness code, never part of the package */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { N8nInstance, type InstalledPackage } from '../../../scripts/runtime/n8n-instance';
import { freePort } from './free-port';
import { startN8nWorker, type RunningWorker } from './n8nWorker';
import { startPostgres, type PostgresOptions, type RunningPostgres } from './postgres';
import { killTree } from './processTree';
import { startRedis, type RunningRedis } from './redis';

export interface N8nClusterOptions {
	/** 'queue': a main plus `n8n worker`s sharing Redis; 'regular': one n8n running everything. Both on Postgres. */
	mode: 'queue' | 'regular';
	postgres?: PostgresOptions;
	/** Extra variables for every n8n process (e.g. shorter Bull lock and stalled-check times in tests). */
	env?: Record<string, string>;
}

/** Variables only the main needs: a worker never creates the owner. */
const MAIN_ONLY = /^N8N_INSTANCE_OWNER_/;

/**
 * n8n on Postgres, in regular or queue mode, in its own folder: Postgres and Redis started for it, a main
 * (`N8nInstance`, whose folder holds the imported credentials and workflows) and any number of workers, each with
 * its own user folder and task broker port, all with one encryption key and the package installed as a community
 * package. Binary data goes to the database, the mode n8n supports in queue mode.
 */
export class N8nCluster {
	readonly workers = new Map<string, RunningWorker>();

	private workerCount = 0;

	private constructor(
		readonly folder: string,
		readonly mode: 'queue' | 'regular',
		readonly postgres: RunningPostgres,
		readonly redis: RunningRedis | undefined,
		readonly main: N8nInstance,
		private readonly tarball: string,
		/** The package as n8n sees it, e.g. its node type prefix. */
		readonly installed: InstalledPackage,
	) {}

	static async start(folder: string, tarball: string, options: N8nClusterOptions): Promise<N8nCluster> {
		const postgres = await startPostgres(join(folder, 'postgres'), options.postgres);
		let redis: RunningRedis | undefined;
		try {
			redis = options.mode === 'queue' ? await startRedis(join(folder, 'redis')) : undefined;
			const [port, brokerPort] = [await freePort(), await freePort()];
			const main = new N8nInstance({ userFolder: join(folder, 'main'), port, brokerPort, listenAddress: '127.0.0.1' });
			Object.assign(main.env, {
				N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
				N8N_DEFAULT_BINARY_DATA_MODE: 'database',
				...postgres.n8nEnvironment,
				...(redis ? { EXECUTIONS_MODE: 'queue', ...redis.n8nEnvironment } : { EXECUTIONS_MODE: 'regular' }),
				...options.env,
			});
			return new N8nCluster(folder, options.mode, postgres, redis, main, tarball, await main.installPackage(tarball));
		} catch (error) {
			await redis?.stop();
			await postgres.stop();
			throw error;
		}
	}

	/** Installs the package for a new worker and starts it; names are worker-1, worker-2, ... */
	async startWorker(concurrency = 10): Promise<RunningWorker> {
		if (this.mode !== 'queue') throw new Error('Workers need queue mode');
		const name = `worker-${++this.workerCount}`;
		const userFolder = join(this.folder, name);
		const helper = new N8nInstance({ userFolder, reset: true });
		await helper.installPackage(this.tarball);
		const env: Record<string, string> = {};
		for (const [key, value] of Object.entries(this.main.env)) if (!MAIN_ONLY.test(key)) env[key] = value;
		Object.assign(env, { N8N_USER_FOLDER: userFolder, N8N_RUNNERS_BROKER_PORT: String(await freePort()) });
		const worker = await startN8nWorker(this.main.runtime, env, { name, concurrency });
		this.workers.set(name, worker);
		void worker.exited.then(() => this.workers.delete(name));
		return worker;
	}

	/** SIGKILL of the main and its task runner while it works; `main.start()` brings it back. */
	async killMain(): Promise<void> {
		const server = this.main.server;
		if (!server) return;
		killTree(server.pid);
		await server.exited;
		await this.main.stop();
	}

	/** Everything a process logged: the main's n8n.log, or a worker's log by name. */
	log(process: 'main' | string): string {
		const file = process === 'main' ? join(this.main.userFolder, 'n8n.log') : join(this.folder, process, 'n8n-worker.log');
		return readFileSync(file, 'utf8');
	}

	/** Every process, then Redis and Postgres; safe to call after a partial start. */
	async stop(): Promise<void> {
		await Promise.all([...this.workers.values()].map(async (worker) => await worker.stop()));
		await this.main.stop();
		this.main.removeEditorCache();
		await this.redis?.stop();
		await this.postgres.stop();
	}
}
