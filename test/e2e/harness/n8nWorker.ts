/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- test harness code, never part of the package */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';

import type { Runtime } from '../../../scripts/runtime/n8n-instance';
import { freePort } from './free-port';
import { killTree } from './processTree';

const READY_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 40_000;

export interface RunningWorker {
	name: string;
	pid: number;
	logFile: string;
	/** Resolves with the exit code or signal when the process ends. */
	exited: Promise<number | string>;
	/** SIGTERM: n8n lets running jobs finish (up to its graceful shutdown timeout), then exits. */
	stop(): Promise<void>;
	/** SIGKILL of the worker and its task runner: a crashed machine. */
	kill(): Promise<void>;
}

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

async function ready(url: string): Promise<boolean> {
	try {
		return (await fetch(url)).ok;
	} catch {
		return false;
	}
}

/**
 * `n8n worker` with the given environment (a queue-mode environment: same database, Redis and encryption key as the
 * main, its own user folder and task broker port). Its output goes to <user folder>/n8n-worker.log; resolves once its
 * health server reports it ready (database migrated, Redis connected, queue consumer set up).
 */
export async function startN8nWorker(
	runtime: Runtime,
	env: Record<string, string>,
	{ name, concurrency = 10 }: { name: string; concurrency?: number },
): Promise<RunningWorker> {
	const healthPort = await freePort();
	const logFile = join(env.N8N_USER_FOLDER, 'n8n-worker.log');
	const log = createWriteStream(logFile, { flags: 'a' });
	const child = spawn(runtime.nodeBinary, [runtime.n8nBin, 'worker', `--concurrency=${concurrency}`], {
		env: { ...process.env, ...env, QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(healthPort) },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	child.stdout.on('data', (chunk) => log.write(chunk));
	child.stderr.on('data', (chunk) => log.write(chunk));
	const exited = new Promise<number | string>((resolve) =>
		child.once('exit', (code, signal) => {
			log.end();
			resolve(code ?? signal ?? 'unknown');
		}),
	);
	const running = () => child.exitCode === null && child.signalCode === null;
	const pid = child.pid!;

	const worker: RunningWorker = {
		name,
		pid,
		logFile,
		exited,
		stop: async () => {
			if (!running()) return;
			child.kill('SIGTERM');
			let timer: NodeJS.Timeout | undefined;
			const patience = new Promise<string>((resolve) => (timer = setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS)));
			const status = await Promise.race([exited, patience]);
			clearTimeout(timer);
			if (status === 'timeout') await worker.kill();
		},
		kill: async () => {
			if (running()) killTree(pid);
			await exited;
		},
	};

	const deadline = Date.now() + READY_TIMEOUT_MS;
	while (!(await ready(`http://127.0.0.1:${healthPort}/healthz/readiness`))) {
		if (!running()) throw new Error(`n8n worker ${name} exited (${await exited}) before it was ready; see ${logFile}`);
		if (Date.now() > deadline) {
			await worker.kill();
			throw new Error(`n8n worker ${name} was not ready within ${READY_TIMEOUT_MS / 1000} s; see ${logFile}`);
		}
		await sleep(500);
	}
	return worker;
}
