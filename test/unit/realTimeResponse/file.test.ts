import type { Scope } from 'nock';

import { missingArchiveGrace } from '../../../nodes/CrowdStrikeFalcon/RealTimeResponse/shared/getFileFlow';
import { envelope } from '../../harness/falcon';
import { BATCH, falcon, HOST_A, HOST_B, json, meta, REQUEST, run, RTR, SESSION, SESSION_B, SHA } from './helpers';

const ARCHIVE = Buffer.from('7z\xbc\xaf\x27\x1c fake archive bytes', 'latin1');

async function bytesOf(item: { binary?: Record<string, { data: string }> }, field = 'data'): Promise<Buffer> {
	return Buffer.from(item.binary![field].data, 'base64');
}

const SHA_B = 'b'.repeat(64);

/** Both hosts' sessions open, `get C:\\x.log` sent to both, and the first status read naming both uploads. */
function uploadedOnBothHosts(scope: Scope): Scope {
	const file = (session: string, sha256: string, id: number) => ({ id, session_id: session, cloud_request_id: REQUEST, name: 'C:\\x.log', sha256, size: 3, created_at: '2026-01-01T00:00:00Z' });
	return scope
		// A Deadline under Falcon's 30 s default wait names the wait (timeout): any is fine here.
		.post(`${RTR}/combined/batch-init-session/v1`, { host_ids: [HOST_A, HOST_B], queue_offline: false })
		.query(true)
		.reply(201, { meta: meta(), batch_id: BATCH, resources: {
			[HOST_A]: { aid: HOST_A, session_id: SESSION, complete: true, errors: [] },
			[HOST_B]: { aid: HOST_B, session_id: SESSION_B, complete: true, errors: [] },
		}, errors: [] })
		.post(`${RTR}/combined/batch-get-command/v1`, { batch_id: BATCH, file_path: 'C:\\x.log', optional_hosts: [HOST_A, HOST_B] })
		.query(true)
		.reply(201, { meta: meta(), batch_get_cmd_req_id: REQUEST, combined: { resources: {
			[HOST_A]: { aid: HOST_A, session_id: SESSION, task_id: REQUEST, complete: true, stdout: '', stderr: '', errors: [] },
			[HOST_B]: { aid: HOST_B, session_id: SESSION_B, task_id: REQUEST, complete: true, stdout: '', stderr: '', errors: [] },
		} }, errors: [] })
		.get(`${RTR}/combined/batch-get-command/v1`)
		.query({ batch_get_cmd_req_id: REQUEST })
		.reply(200, { meta: meta(), resources: { [HOST_A]: file(SESSION, SHA, 101), [HOST_B]: file(SESSION_B, SHA_B, 102) }, errors: [] });
}

describe('File', () => {
	it.each([
		['getAll', 'v2', 'RTR_ListFilesV2'],
		['getAllV1', 'v1', 'RTR_ListFiles'],
	])('%s lists the files of a session (%s, %s)', async (operation, version) => {
		const files = [{ id: 'f-1', name: 'C:\\a.txt', sha256: SHA, session_id: SESSION }];
		const api = falcon().get(`${RTR}/entities/file/${version}`).query({ session_id: SESSION }).reply(200, envelope(files));
		const result = await run({ resource: 'file', operation, sessionId: SESSION });
		expect(json(result.items)).toEqual(files);
		expect(api.isDone()).toBe(true);
	});

	it.each([
		['delete', 'v2', REQUEST, 'RTR_DeleteFileV2'],
		['deleteV1', 'v1', '42', 'RTR_DeleteFile'],
	])('%s sends ids and session_id in the query (%s, %s)', async (operation, version, fileId) => {
		const api = falcon().delete(`${RTR}/entities/file/${version}`).query({ session_id: SESSION, ids: fileId }).reply(204);
		const result = await run({ resource: 'file', operation, sessionId: SESSION, fileId });
		expect(json(result.items)).toEqual([{ session_id: SESSION, file_id: fileId, deleted: true, trace_id: null }]);
		expect(api.isDone()).toBe(true);
	});

	it('Download streams the 7z into binary data (RTR_GetExtractedFileContents)', async () => {
		const api = falcon()
			.get(`${RTR}/entities/extracted-file-contents/v1`)
			.query({ session_id: SESSION, sha256: SHA, filename: 'evil.exe' })
			.reply(200, ARCHIVE, { 'Content-Type': 'application/x-7z-compressed' });
		const result = await run({
			resource: 'file', operation: 'download', sessionId: SESSION, sha256: SHA.toUpperCase(),
			options: { fileName: 'evil.exe', binaryPropertyName: 'archive' },
		});
		expect(result.error).toBeUndefined();
		expect(json(result.items)).toEqual([
			{ session_id: SESSION, sha256: SHA, file_name: 'evil.exe.7z', mime_type: 'application/x-7z-compressed', archive_password: 'infected' },
		]);
		expect(result.items[0].binary!.archive).toMatchObject({ fileName: 'evil.exe.7z', mimeType: 'application/x-7z-compressed' });
		expect(await bytesOf(result.items[0] as never, 'archive')).toEqual(ARCHIVE);
		expect(api.isDone()).toBe(true);
	});

	it('Download fails with Falcon\'s error when a 200 answer carries JSON instead of the archive', async () => {
		const api = falcon()
			.get(`${RTR}/entities/extracted-file-contents/v1`)
			.query({ session_id: SESSION, sha256: SHA })
			.reply(200, { meta: meta({ trace_id: 'trace-json' }), errors: [{ code: 404, message: 'file not found' }] }, { 'Content-Type': 'application/json' });
		const result = await run({ resource: 'file', operation: 'download', sessionId: SESSION, sha256: SHA, options: {} });
		expect(result.error?.message).toBe('Falcon API error 404: file not found');
		expect(result.error?.description).toContain('trace_id: trace-json');
		expect(result.error?.description).toContain('Falcon answered HTTP 200 with JSON instead of the 7z archive');
		expect(result.items).toEqual([]);
		expect(api.isDone()).toBe(true);
	});

	it('Get From Hosts tries a download answered 404 again for a short grace only, so the next host still gets its archive in time; each item names its file_id', async () => {
		const graceBefore = missingArchiveGrace.ms;
		missingArchiveGrace.ms = 300;
		try {
			falcon()
				.get(`${RTR}/entities/extracted-file-contents/v1`)
				.query({ session_id: SESSION, sha256: SHA })
				.times(100)
				.reply(404, { meta: meta({ trace_id: 'trace-404' }), errors: [{ code: 404, message: 'file not found' }] });
			const api = uploadedOnBothHosts(falcon())
				.get(`${RTR}/entities/extracted-file-contents/v1`)
				.query({ session_id: SESSION_B, sha256: SHA_B })
				.reply(200, ARCHIVE, { 'Content-Type': 'application/x-7z-compressed' });
			const startedAt = Date.now();
			const result = await run({
				resource: 'file', operation: 'getFromHosts', hostIds: `${HOST_A},${HOST_B}`, filePath: 'C:\\x.log',
				options: { pollIntervalSeconds: 0.1, deadlineSeconds: 60 },
			});
			expect(Date.now() - startedAt).toBeLessThan(5_000);
			expect(result.error).toBeUndefined();
			expect(json(result.items)).toEqual([
				expect.objectContaining({ host_id: HOST_A, status: 'api_error', file_id: 101, errors: [expect.objectContaining({ code: 404, trace_id: 'trace-404' })] }),
				expect.objectContaining({ host_id: HOST_B, status: 'success', file_id: 102, session_id: SESSION_B }),
			]);
			expect(api.isDone()).toBe(true);
		} finally {
			missingArchiveGrace.ms = graceBefore;
		}
	});

	it('Get From Hosts keeps the batch sessions alive between downloads that outlast the keep-alive interval', async () => {
		const api = uploadedOnBothHosts(falcon())
			// A large file: its download takes longer than the keep-alive interval.
			.get(`${RTR}/entities/extracted-file-contents/v1`)
			.query({ session_id: SESSION, sha256: SHA })
			.delay(1_300)
			.reply(200, ARCHIVE, { 'Content-Type': 'application/x-7z-compressed' })
			.post(`${RTR}/combined/batch-refresh-session/v1`, { batch_id: BATCH })
			.reply(201, { meta: meta(), resources: {}, errors: [] })
			.get(`${RTR}/entities/extracted-file-contents/v1`)
			.query({ session_id: SESSION_B, sha256: SHA_B })
			.reply(200, ARCHIVE, { 'Content-Type': 'application/x-7z-compressed' });
		const result = await run({
			resource: 'file', operation: 'getFromHosts', hostIds: `${HOST_A},${HOST_B}`, filePath: 'C:\\x.log',
			options: { pollIntervalSeconds: 0.1, deadlineSeconds: 10, keepAliveSeconds: 1 },
		});
		expect(result.error).toBeUndefined();
		expect(json(result.items).map((item) => item.status)).toEqual(['success', 'success']);
		expect(api.isDone()).toBe(true);
	});

	it('Get From Hosts: batch get, waits for the sha256, downloads each archive named <host>_<basename>.7z', async () => {
		const status = (sha256: string) => ({ session_id: SESSION, cloud_request_id: REQUEST, name: 'C:\\Temp\\evil.exe', sha256, size: 12, created_at: sha256 ? '2026-01-01T00:00:00Z' : '' });
		const api = falcon()
			.post(`${RTR}/combined/batch-init-session/v1`, { host_ids: [HOST_A, HOST_B], queue_offline: false })
			.query(true)
			.reply(201, { meta: meta(), batch_id: BATCH, resources: {
				[HOST_A]: { aid: HOST_A, session_id: SESSION, complete: true, errors: [] },
				[HOST_B]: { aid: HOST_B, session_id: SESSION_B, complete: true, errors: [] },
			}, errors: [] })
			.post(`${RTR}/combined/batch-get-command/v1`, { batch_id: BATCH, file_path: 'C:\\Temp\\evil.exe', optional_hosts: [HOST_A, HOST_B] })
			.query(true)
			.reply(201, { meta: meta(), batch_get_cmd_req_id: REQUEST, combined: { resources: {
				[HOST_A]: { aid: HOST_A, session_id: SESSION, task_id: REQUEST, complete: true, stdout: 'C:\\Temp\\evil.exe', stderr: '', errors: [] },
				[HOST_B]: { aid: HOST_B, session_id: SESSION_B, task_id: REQUEST, complete: true, stdout: '', stderr: 'get: No such file', errors: [] },
			} }, errors: [] })
			.get(`${RTR}/combined/batch-get-command/v1`)
			.query({ batch_get_cmd_req_id: REQUEST })
			.reply(200, { meta: meta(), resources: { [HOST_A]: status('') }, errors: [] })
			.get(`${RTR}/combined/batch-get-command/v1`)
			.query({ batch_get_cmd_req_id: REQUEST })
			.reply(200, { meta: meta(), resources: { [HOST_A]: status(SHA) }, errors: [] })
			.get(`${RTR}/entities/extracted-file-contents/v1`)
			.query({ session_id: SESSION, sha256: SHA })
			.reply(200, ARCHIVE, { 'Content-Type': 'application/x-7z-compressed' });
		const result = await run({
			resource: 'file', operation: 'getFromHosts', hostIds: `${HOST_A},${HOST_B}`, filePath: 'C:\\Temp\\evil.exe',
			options: { pollIntervalSeconds: 0.1, deadlineSeconds: 5 },
		});
		expect(result.error).toBeUndefined();
		expect(json(result.items)).toEqual([
			expect.objectContaining({ host_id: HOST_A, status: 'success', sha256: SHA, size: 12, file_name: `${HOST_A}_evil.exe.7z`, archive_password: 'infected' }),
			expect.objectContaining({ host_id: HOST_B, status: 'stderr', stderr: 'get: No such file', file_name: null }),
		]);
		expect(await bytesOf(result.items[0] as never)).toEqual(ARCHIVE);
		expect(result.items[1].binary).toBeUndefined();
		expect(api.isDone()).toBe(true);
	});
});

describe('File > Delete (V1) answered 404', () => {
	// Only Token Delete sends the rest of a refused DELETE again; this one fails as Falcon answered.
	it('fails the item, naming Falcon\'s error, and sends nothing again', async () => {
		const api = falcon()
			.delete(`${RTR}/entities/file/v1`)
			.query({ session_id: SESSION, ids: '42, 43' })
			.reply(404, { meta: meta({ trace_id: 'trace-404' }), errors: [{ code: 404, message: 'file 42 not found' }] });
		const result = await run({ resource: 'file', operation: 'deleteV1', sessionId: SESSION, fileId: '42, 43' });
		expect(result.error?.message).toBe('Falcon API error 404: file 42 not found');
		expect(api.isDone()).toBe(true);
	});
});
