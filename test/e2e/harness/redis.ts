/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- test harness code, never part of the package */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { run } from './command';
import { freePort } from './free-port';
import { waitFor } from './wait-for';

export interface RunningRedis {
	port: number;
	pid: number;
	/** QUEUE_BULL_REDIS_* variables pointing n8n at this server. */
	n8nEnvironment: Record<string, string>;
	/** redis-cli against this server; resolves with its output. */
	cli(args: string[]): Promise<string>;
	stop(): Promise<void>;
}

/**
 * A throw-away Redis (Debian's `redis-server`, as .ci/run installs it) on a free loopback port, working in `folder`,
 * persisting nothing; it runs as a child of this process and is stopped with it.
 */
export async function startRedis(folder: string): Promise<RunningRedis> {
	rmSync(folder, { recursive: true, force: true });
	mkdirSync(folder, { recursive: true });
	const port = await freePort();
	const log = createWriteStream(join(folder, 'redis.log'));
	const child = spawn(
		'redis-server',
		['--port', String(port), '--bind', '127.0.0.1', '--dir', folder, '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
		{ stdio: ['ignore', 'pipe', 'pipe'] },
	);
	child.stdout.pipe(log);
	child.stderr.pipe(log);
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	let failure: Error | undefined;
	child.once('error', (error) => {
		failure = new Error(`Cannot start redis-server (install Debian's redis-server package, as .ci/run does): ${error.message}`);
	});
	const cli = async (args: string[]) => (await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args])).stdout.trim();
	await waitFor(
		`Redis on port ${port}`,
		async () => {
			if (failure) throw failure;
			return (await cli(['ping']).catch(() => '')) === 'PONG' ? true : undefined;
		},
		{ timeoutMs: 30_000, intervalMs: 200 },
	);
	return {
		port,
		pid: child.pid!,
		n8nEnvironment: { QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(port) },
		cli,
		stop: async () => {
			if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
			await exited;
			log.end();
		},
	};
}
