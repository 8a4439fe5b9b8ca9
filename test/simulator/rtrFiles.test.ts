/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions */
// Verifies the archives with a real 7-Zip binary, so this test needs child_process and the filesystem.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FleetHost, RunningSimulator } from '../../simulator';
import { sevenZipBinary } from '../harness/sevenZip';
import { connect, waitFor, withSimulator, type Client, type Json } from './helpers';

const RTR = '/real-time-response';

function sevenZip(args: string[]): string {
	return execFileSync(sevenZipBinary(), args, { encoding: 'utf8' });
}

describe('simulator: RTR get, session files and the 7z download', () => {
	let sim: RunningSimulator;
	let client: Client;
	let dir: string;
	let windows: FleetHost;
	let linux: FleetHost;

	beforeAll(async () => {
		// The upload delay is what lets the test see a file still uploading between two requests: 150 ms was once too
		// little on a loaded CI machine (the file was ready before the "early" download).
		sim = await withSimulator({ commandCompleteAfterMs: 80, fileUploadAfterMs: 1000 });
		windows = sim.fleet.find((h) => h.platform === 'Windows' && h.online) as FleetHost;
		linux = sim.fleet.find((h) => h.platform === 'Linux' && h.online) as FleetHost;
		dir = mkdtempSync(join(tmpdir(), 'falcon-sim-'));
	});
	afterAll(async () => {
		rmSync(dir, { recursive: true, force: true });
		await sim.close();
	});
	beforeEach(async () => {
		sim.reset();
		client = await connect(sim);
	});

	/** Writes the archive, checks it with `7z t -pinfected` and a wrong password, and returns the extracted text. */
	function extractVerified(bytes: Buffer, name: string): { path: string; text: string } {
		const path = join(dir, `${name}.7z`);
		writeFileSync(path, bytes);
		expect(sevenZip(['t', '-pinfected', path])).toContain('Everything is Ok');
		expect(() => execFileSync(sevenZipBinary(), ['t', '-pwrong', path], { stdio: 'ignore' })).toThrow();
		return { path, text: sevenZip(['x', '-so', '-pinfected', path]) };
	}

	it('get on one host: file listed (v1 ints, v2 UUIDs with progress), download errors while uploading, then a real 7z', async () => {
		const session = (await client.json('POST', `${RTR}/entities/sessions/v1`, { device_id: windows.aid })).body.resources[0];
		const path = 'C:\\Windows\\System32\\drivers\\etc\\hosts';
		const get = await client.json('POST', `${RTR}/entities/active-responder-command/v1`, {
			session_id: session.session_id,
			base_command: 'get',
			command_string: `get ${path}`,
		});
		const requestId = get.body.resources[0].cloud_request_id;
		await waitFor(async () => {
			const s = await client.json('GET', `${RTR}/entities/active-responder-command/v1?cloud_request_id=${requestId}&sequence_id=0`);
			return s.body.resources[0].complete ? true : undefined;
		});

		const v2 = (await client.json('GET', `${RTR}/entities/file/v2?session_id=${session.session_id}`)).body.resources;
		expect(v2).toHaveLength(1);
		expect(v2[0]).toMatchObject({ name: path, cloud_request_id: requestId, complete: false, session_id: session.session_id });
		expect(v2[0].id).toMatch(/^[0-9a-f-]{36}$/);
		const v1 = (await client.json('GET', `${RTR}/entities/file/v1?session_id=${session.session_id}`)).body.resources;
		expect(typeof v1[0].id).toBe('number');
		expect(v1[0].sha256).toBe(v2[0].sha256);

		const early = await client.call('GET', `${RTR}/entities/extracted-file-contents/v1?session_id=${session.session_id}&sha256=${v2[0].sha256}`);
		expect(early.status).toBe(404);
		expect(early.headers.get('content-type')).toContain('application/json');
		expect(((await early.json()) as Json).errors[0].message).toContain('uploaded');

		const ready = await waitFor(async () => {
			const files = (await client.json('GET', `${RTR}/entities/file/v2?session_id=${session.session_id}`)).body.resources;
			return files[0].complete ? files[0] : undefined;
		});
		expect(ready).toMatchObject({ progress: 1, size: v1[0].size });

		const download = await client.call('GET', `${RTR}/entities/extracted-file-contents/v1?session_id=${session.session_id}&sha256=${ready.sha256}&filename=hosts.txt`);
		expect(download.status).toBe(200);
		expect(download.headers.get('content-type')).toBe('application/x-7z-compressed');
		const bytes = Buffer.from(await download.arrayBuffer());
		expect(bytes.subarray(0, 6).toString('hex')).toBe('377abcaf271c');

		const cat = await client.json('POST', `${RTR}/entities/command/v1`, { session_id: session.session_id, base_command: 'cat', command_string: `cat ${path}` });
		const catOut = await waitFor(async () => {
			const s = await client.json('GET', `${RTR}/entities/command/v1?cloud_request_id=${cat.body.resources[0].cloud_request_id}&sequence_id=0`);
			return s.body.resources[0].complete ? (s.body.resources[0].stdout as string) : undefined;
		});
		const { path: archivePath, text } = extractVerified(bytes, 'single');
		expect(text).toBe(catOut);
		expect(sevenZip(['l', '-slt', '-pinfected', archivePath])).toContain('Path = hosts.txt');

		const del = await client.call('DELETE', `${RTR}/entities/file/v2?session_id=${session.session_id}&ids=${ready.id}`);
		expect(del.status).toBe(204);
		expect((await client.json('GET', `${RTR}/entities/file/v1?session_id=${session.session_id}`)).body.resources).toEqual([]);
	});

	it('batch get: per-host stdout, then sha256 appears in BatchGetCmdStatus after the upload delay', async () => {
		const init = await client.json('POST', `${RTR}/combined/batch-init-session/v1`, { host_ids: [windows.aid, linux.aid] });
		const get = await client.json('POST', `${RTR}/combined/batch-get-command/v1`, { batch_id: init.body.batch_id, file_path: '/etc/passwd' });
		expect(get.status).toBe(201);
		const requestId = get.body.batch_get_cmd_req_id;
		expect(get.body.combined.resources[linux.aid]).toMatchObject({ complete: true, stdout: '/etc/passwd\n', base_command: 'get' });

		const first = (await client.json('GET', `${RTR}/combined/batch-get-command/v1?batch_get_cmd_req_id=${requestId}`)).body.resources;
		expect(first[linux.aid].sha256).toBe('');
		const ready = await waitFor(async () => {
			const r = (await client.json('GET', `${RTR}/combined/batch-get-command/v1?batch_get_cmd_req_id=${requestId}`)).body.resources;
			return r[linux.aid].sha256 && r[windows.aid].sha256 ? r : undefined;
		});
		expect(ready[linux.aid].sha256).toMatch(/^[0-9a-f]{64}$/);
		expect(ready[linux.aid].created_at).not.toBe('');
		expect(ready[linux.aid].sha256).not.toBe(ready[windows.aid].sha256);

		const missing = await client.json('POST', `${RTR}/combined/batch-get-command/v1`, { batch_id: init.body.batch_id, file_path: '/tmp/missing.bin' });
		expect(missing.body.combined.resources[linux.aid].stdout).toBe('');
		expect(missing.body.combined.resources[linux.aid].stderr).toContain('No such file');

		const { session_id: sessionId, sha256 } = ready[linux.aid];
		const download = await client.call('GET', `${RTR}/entities/extracted-file-contents/v1?session_id=${sessionId}&sha256=${sha256}`);
		const bytes = Buffer.from(await download.arrayBuffer());
		const { text } = extractVerified(bytes, 'batch');
		expect(text).toContain(`# /etc/passwd on ${linux.hostname}`);
	});
});
