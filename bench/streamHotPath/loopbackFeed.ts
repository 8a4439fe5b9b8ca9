/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- benchmark code, never part of the package */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { buildFleet } from '../../simulator';
import { EventGenerator } from '../../simulator/events';
import { pinnedTo } from './cpuPinning';

export interface LoopbackFeed {
	/** Base URL of the reduced Falcon API (token, discovery, refresh, feed). */
	url: string;
	/** The feed of partition 0 from its first offset: what the baseline reader reads. */
	feedUrl: string;
	close(): Promise<void>;
}

const TEMPLATE_COUNT = 256;
const OFFSET_MARK = 987654321012345;

/**
 * Starts loopbackFalcon.js in its own process (on the CPU STREAM_HOT_PATH_FEED_CPU names, if any) with event templates drawn from the simulator's generator (the
 * mix of detection, audit, RTR and incident events a tenant sends, 0.3 to 1.8 kB per line).
 */
export async function startLoopbackFeed(seed = 7): Promise<LoopbackFeed> {
	const cid = 'BE7C0FFEE0000000000000000000000A';
	const generator = new EventGenerator(seed, buildFleet(seed), cid);
	const createdAt = Date.now();
	const templates = Array.from({ length: TEMPLATE_COUNT }, () => {
		const eventType = generator.nextType();
		const line = JSON.stringify({
			metadata: { customerIDString: cid, offset: OFFSET_MARK, eventType, eventCreationTime: createdAt, version: '1.0' },
			event: generator.body(eventType),
		});
		const [before, after] = line.split(String(OFFSET_MARK));
		return [before, after];
	});
	const folder = mkdtempSync(join(tmpdir(), 'falcon-hot-path-'));
	const file = join(folder, 'templates.json');
	writeFileSync(file, JSON.stringify(templates));
	const child = fork(join(__dirname, 'loopbackFalcon.js'), [file], {
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		...pinnedTo(process.env.STREAM_HOT_PATH_FEED_CPU),
	});
	const port = await new Promise<number>((resolve, reject) => {
		child.once('message', (message: { port: number }) => resolve(message.port));
		child.once('exit', (code) => reject(new Error(`the loopback feed exited (${code})`)));
	});
	const url = `http://127.0.0.1:${port}`;
	return {
		url,
		feedUrl: `${url}/sensors/entities/datafeed/v1/0?appId=baseline`,
		close: async () => {
			await stop(child);
			rmSync(folder, { recursive: true, force: true });
		},
	};
}

async function stop(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null) return;
	const exited = new Promise((resolve) => child.once('exit', resolve));
	child.kill();
	await exited;
}
