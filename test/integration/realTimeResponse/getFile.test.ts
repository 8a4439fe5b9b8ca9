/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- test code: 7z verifies the archive */
import { execFileSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import type { RunningSimulator } from '../../../simulator';
import { fileContent } from '../../../simulator/rtr/cannedOutput';
import { batchTiming } from '../../../nodes/CrowdStrikeFalcon/RealTimeResponse/shared/batch';
import { hosts, requests, RTR, run, startRtrSimulator } from './helpers';
import { sevenZipBinary } from '../../harness/sevenZip';

let sim: RunningSimulator;
const SEED = 11;

beforeAll(async () => {
	sim = await startRtrSimulator({ seed: SEED, fileUploadAfterMs: 600 });
});
afterAll(async () => await sim.close());
beforeEach(() => sim.reset());

/** What the simulator serves for this file, fetched again with a token of our own. */
async function servedArchive(sessionId: string, sha256: string): Promise<Buffer> {
	const tokenResponse = await fetch(`${sim.url}/oauth2/token`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ client_id: sim.clientId, client_secret: sim.clientSecret }).toString(),
	});
	const { access_token } = (await tokenResponse.json()) as { access_token: string };
	const response = await fetch(`${sim.url}${RTR}/entities/extracted-file-contents/v1?session_id=${sessionId}&sha256=${sha256}`, {
		headers: { Authorization: `Bearer ${access_token}` },
	});
	return Buffer.from(await response.arrayBuffer());
}

function extract(archive: Buffer, password: string): Buffer {
	const dir = mkdtempSync(join(tmpdir(), 'rtr-7z-'));
	try {
		writeFileSync(join(dir, 'file.7z'), archive);
		return execFileSync(sevenZipBinary(), ['x', '-so', `-p${password}`, join(dir, 'file.7z')], { stdio: ['ignore', 'pipe', 'ignore'] });
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

describe('Get From Hosts against the simulator', () => {
	it('waits for the upload, streams each 7z into binary data, byte for byte what Falcon served', async () => {
		const { windows, mac } = hosts(sim);
		const paths = { [windows.aid]: 'C:\\Users\\Public\\invoice.docm', [mac.aid]: '/Users/Shared/invoice.docm' };
		// Two items asking for different paths: two batches, each host's item paired to its own input.
		const { items, error } = await run(
			sim,
			{
				resource: 'file',
				operation: 'getFromHosts',
				hostIds: '={{ $json.host }}',
				filePath: '={{ $json.path }}',
				options: { pollIntervalSeconds: 0.2, deadlineSeconds: 20 },
			},
			{ input: [windows, mac].map((host) => ({ json: { host: host.aid, path: paths[host.aid] } })) },
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(2);
		for (const [index, host] of [windows, mac].entries()) {
			const item = items[index];
			expect(item.pairedItem).toEqual({ item: index });
			const content = fileContent(SEED, host, paths[host.aid]);
			expect(item.json).toMatchObject({
				host_id: host.aid,
				status: 'success',
				file_name: `${host.aid}_invoice.docm.7z`,
				size: content.length,
				archive_password: 'infected',
			});
			const binary = item.binary!.data;
			expect(binary).toMatchObject({ fileName: `${host.aid}_invoice.docm.7z`, mimeType: 'application/x-7z-compressed' });
			const bytes = Buffer.from(binary.data, 'base64');
			expect(bytes.equals(await servedArchive(String(item.json.session_id), String(item.json.sha256)))).toBe(true);
			expect(extract(bytes, 'infected').equals(content)).toBe(true);
		}
		// Polled the batch status until the sha256 appeared, then downloaded each file once.
		expect(requests(sim, 'GET', '/combined/batch-get-command/v1').length).toBeGreaterThan(1);
		expect(requests(sim, 'GET', '/entities/extracted-file-contents/v1').filter((entry) => entry.status === 200)).toHaveLength(4);
	});

	it('a download cut midway is asked for again; cut every time, the host fails saying so and nothing is stored', async () => {
		const { windows } = hosts(sim);
		const getFromHosts = {
			resource: 'file',
			operation: 'getFromHosts',
			hostIds: windows.aid,
			filePath: 'C:\\Users\\Public\\invoice.docm',
			options: { pollIntervalSeconds: 0.2, deadlineSeconds: 20 },
		};
		sim.setFaults({ cutDownloads: 1 });
		const once = await run(sim, getFromHosts);
		expect(once.error).toBeUndefined();
		expect(once.items[0].json).toMatchObject({ status: 'success' });
		const bytes = Buffer.from(once.items[0].binary!.data.data, 'base64');
		expect(extract(bytes, 'infected').equals(fileContent(SEED, windows, 'C:\\Users\\Public\\invoice.docm'))).toBe(true);
		expect(requests(sim, 'GET', '/entities/extracted-file-contents/v1')).toHaveLength(2);

		sim.reset();
		sim.setFaults({ cutDownloads: 3 });
		const always = await run(sim, getFromHosts, { continueOnFail: true });
		expect(always.items[0].json).toMatchObject({
			status: 'api_error',
			errors: [expect.objectContaining({ message: expect.stringMatching(/^The archive download was interrupted: /) })],
		});
		expect(always.items[0].binary).toBeUndefined();
		expect(requests(sim, 'GET', '/entities/extracted-file-contents/v1')).toHaveLength(3);

		// File → Download names what happened and how to get the file, not an empty message.
		sim.setFaults({ cutDownloads: 3 });
		const download = await run(sim, {
			resource: 'file',
			operation: 'download',
			sessionId: String(always.items[0].json.session_id),
			sha256: String(always.items[0].json.sha256),
			options: {},
		});
		expect(download.error?.message).toMatch(/^The archive download was interrupted: /);
		expect((download.error as { description?: string }).description).toContain('File → Download');
	});

	it('a status poll that keeps failing after the get was sent reports the hosts still uploading as api_error, not a lost run', async () => {
		const { windows, mac } = hosts(sim);
		sim.setFaults({ serverErrors: [{ pathPrefix: '/real-time-response/combined/batch-get-command/v1', after: 1, count: 50, status: 503 }] });
		const { items, error } = await run(sim, {
			resource: 'file',
			operation: 'getFromHosts',
			hostIds: `${windows.aid},${mac.aid}`,
			filePath: 'C:\\Users\\Public\\invoice.docm',
			options: { pollIntervalSeconds: 0.2, deadlineSeconds: 3 },
		});
		expect(error).toBeUndefined();
		expect(items.map((item) => [item.json.host_id, item.json.status, item.binary])).toEqual([
			[windows.aid, 'api_error', undefined],
			[mac.aid, 'api_error', undefined],
		]);
		// The same shape as every per-host failure of the package: status, Falcon's message and its trace id.
		expect(items[0].json.errors).toEqual([
			{ code: 503, message: expect.stringMatching(/^Falcon API error 503/), trace_id: expect.stringMatching(/^[0-9a-f-]{36}$/) },
		]);
		expect(items[0].json.batch_get_cmd_req_id).toEqual(expect.any(String));
	});

	it('rides out a status poll that fails for a moment: the files are still downloaded', async () => {
		const { windows, mac } = hosts(sim);
		// The get goes through; the three tries of the first status read fail.
		sim.setFaults({ serverErrors: [{ pathPrefix: '/real-time-response/combined/batch-get-command/v1', after: 1, count: 3, status: 503 }] });
		const { items } = await run(sim, {
			resource: 'file',
			operation: 'getFromHosts',
			hostIds: `${windows.aid},${mac.aid}`,
			filePath: 'C:\\Users\\Public\\invoice.docm',
			options: { pollIntervalSeconds: 0.2, deadlineSeconds: 20 },
		});
		expect(items.map((item) => [item.json.status, item.json.errors, Boolean(item.binary)])).toEqual([
			['success', [], true],
			['success', [], true],
		]);
		expect(requests(sim, 'GET', '/combined/batch-get-command/v1').map((entry) => entry.status).slice(0, 4)).toEqual([503, 503, 503, 200]);
	});

	// Falcon answers the get before the host finished it (per-host timeout 100 ms).
	const answeredBeforeTheHost = { pollIntervalSeconds: 0.2, deadlineSeconds: 20, hostTimeoutDuration: '100ms', timeout: 5 };

	it('a host Falcon stopped waiting for gives its file once uploaded, without the stale timeout error', async () => {
		const { windows } = hosts(sim);
		const { items } = await run(sim, {
			resource: 'file',
			operation: 'getFromHosts',
			hostIds: windows.aid,
			filePath: 'C:\\Users\\Public\\invoice.docm',
			options: answeredBeforeTheHost,
		});
		expect(items[0].json).toMatchObject({ status: 'success', errors: [] });
		expect(items[0].binary).toBeDefined();
	});

	it('a host Falcon stopped waiting for gives its stderr once the get failed on it, not a timeout at the Deadline', async () => {
		const { linux } = hosts(sim);
		const started = Date.now();
		const { items } = await run(sim, {
			resource: 'file',
			operation: 'getFromHosts',
			hostIds: linux.aid,
			filePath: '/tmp/does-not-exist.bin',
			options: answeredBeforeTheHost,
		});
		expect(items[0].json).toMatchObject({ status: 'stderr', errors: [], stderr: expect.stringContaining('No such file or directory') });
		expect(Date.now() - started).toBeLessThan(10_000);
		expect(requests(sim, 'GET', '/entities/active-responder-command/v1').length).toBeGreaterThan(0);
	});

	it("rides out Falcon's 404 for a moment after the sha256 appeared, also when another host held the downloads until the Deadline", async () => {
		const { windows, linux } = hosts(sim);
		sim.setFaults({ neverCompleteHosts: [linux.aid], serverErrors: [{ pathPrefix: '/real-time-response/entities/extracted-file-contents', count: 1, status: 404 }] });
		const { items, error } = await run(sim, {
			resource: 'file',
			operation: 'getFromHosts',
			hostIds: `${windows.aid},${linux.aid}`,
			filePath: 'C:\\Windows\\Temp\\dropper.exe',
			options: { deadlineSeconds: 4, timeout: 2, pollIntervalSeconds: 0.5 },
		});
		expect(error).toBeUndefined();
		const windowsItem = items.find((item) => item.json.host_id === windows.aid)!;
		expect(windowsItem.json.status).toBe('success');
		expect(windowsItem.binary).toBeDefined();
		expect(requests(sim, 'GET', '/entities/extracted-file-contents/v1').map((entry) => entry.status)).toEqual([404, 200]);
	});

	it("sends every item's get before waiting: a host that never uploads one item's file delays no other item's", async () => {
		const { windows, linux } = hosts(sim);
		sim.setFaults({ neverCompleteHosts: [linux.aid] });
		const startedAt = Date.now();
		const { items, error } = await run(
			sim,
			{
				resource: 'file',
				operation: 'getFromHosts',
				hostIds: '={{ $json.aid }}',
				filePath: '={{ $json.path }}',
				options: { deadlineSeconds: 8, timeout: 2, pollIntervalSeconds: 0.5 },
			},
			{ input: [{ json: { aid: linux.aid, path: '/tmp/a.bin' } }, { json: { aid: windows.aid, path: 'C:\\Windows\\Temp\\dropper.exe' } }] },
		);
		const took = Date.now() - startedAt;
		expect(error).toBeUndefined();
		const sentAt = requests(sim, 'POST', '/combined/batch-get-command/v1').map((entry) => Date.parse(entry.time) - startedAt);
		expect(sentAt).toHaveLength(2);
		// The second get goes out with the first (their hosts differ), not after the first Deadline (8 s).
		expect(sentAt[1] - sentAt[0]).toBeLessThan(5_000);
		// Both batches wait together: about one Deadline, not two.
		expect(took).toBeLessThan(14_000);
		expect(items.map((item) => [item.json.host_id, item.json.status, item.pairedItem])).toEqual([
			[linux.aid, 'timeout', { item: 0 }],
			[windows.aid, 'success', { item: 1 }],
		]);
	});

	it('reports a missing file as stderr and an offline host as api_error, without binary data', async () => {
		const { linux, offline } = hosts(sim);
		const { items } = await run(sim, {
			resource: 'file',
			operation: 'getFromHosts',
			hostIds: `${linux.aid},${offline.aid}`,
			filePath: '/tmp/does-not-exist.bin',
			options: { pollIntervalSeconds: 0.2, deadlineSeconds: 5 },
		});
		expect(items.map((item) => [item.json.status, item.binary])).toEqual([
			['stderr', undefined],
			['api_error', undefined],
		]);
		expect(items[0].json.stderr).toContain('No such file or directory');
	});
});

describe('Get From Hosts with sessions that idle out quickly', () => {
	let quick: RunningSimulator;
	const refreshEvery = batchTiming.refreshWhileOpeningMs;
	beforeAll(async () => {
		quick = await startRtrSimulator({ sessionIdleSeconds: 3 });
	});
	afterAll(async () => {
		batchTiming.refreshWhileOpeningMs = refreshEvery;
		await quick.close();
	});

	it("keeps a sent batch's sessions alive while later items' batches are still being sent: its file is not lost", async () => {
		batchTiming.refreshWhileOpeningMs = 1_000;
		const { windows, linux } = hosts(quick);
		quick.setFaults({ neverCompleteHosts: [linux.aid] });
		// Three items on the slow host go one after another (one host's calls keep the items' order), 2 s each.
		const input = [
			{ json: { aid: windows.aid, path: 'C:\\Windows\\Temp\\dropper.exe' } },
			...[1, 2, 3].map((n) => ({ json: { aid: linux.aid, path: `/tmp/${n}.bin` } })),
		];
		const { items, error } = await run(
			quick,
			{ resource: 'file', operation: 'getFromHosts', hostIds: '={{ $json.aid }}', filePath: '={{ $json.path }}', options: { deadlineSeconds: 8, timeout: 2, pollIntervalSeconds: 0.5 } },
			{ input },
		);
		expect(error).toBeUndefined();
		const windowsItem = items.find((item) => item.json.host_id === windows.aid)!;
		expect(windowsItem.json.status).toBe('success');
		expect(windowsItem.binary).toBeDefined();
	});
});
