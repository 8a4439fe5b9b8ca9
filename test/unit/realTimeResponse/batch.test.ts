/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code sets n8n's axios default timeout, scaled down */
import axios from 'axios';
import type { INodeParameters } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { batchTiming } from '../../../nodes/CrowdStrikeFalcon/RealTimeResponse/shared/batch';
import { BATCH, falcon, HOST_A, HOST_B, HOST_C, json, meta, REQUEST, run, RTR, SESSION, SESSION_B } from './helpers';

const keyed = (byHost: Record<string, object>, top: Record<string, unknown> = {}) => ({ meta: meta(), ...top, resources: byHost, errors: [] });
const combined = (byHost: Record<string, object>, top: Record<string, unknown> = {}) => ({ meta: meta(), ...top, combined: { resources: byHost }, errors: [] });
/** Run on Hosts with `ps` on these hosts. */
const psOnHosts = async (hostIds: string[], options: INodeParameters = {}) =>
	await run({
		resource: 'batch', operation: 'runOnHosts', hostIds: hostIds.join(','), commandTier: 'readOnly', baseCommand: 'ps', commandLine: 'ps',
		options,
	});
const hostResult = (aid: string, session: string, extra: object = {}) => ({
	aid, session_id: session, task_id: '', complete: true, stdout: '', stderr: '', errors: [], offline_queued: false, ...extra,
});

describe('Batch', () => {
	// B is offline: its session start is queued, although Falcon marks the start itself complete.
	it('Start posts host_ids, queue_offline and existing_batch_id with all three timeouts (BatchInitSessions)', async () => {
		const api = falcon()
			.post(`${RTR}/combined/batch-init-session/v1`, { host_ids: [HOST_A, HOST_B], queue_offline: true, existing_batch_id: BATCH })
			.query({ timeout: '60', host_timeout_duration: '50s' })
			.reply(201, keyed({ [HOST_A]: hostResult(HOST_A, SESSION), [HOST_B]: hostResult(HOST_B, SESSION_B, { offline_queued: true }) }, { batch_id: BATCH }));
		const result = await run({
			resource: 'batch',
			operation: 'start',
			hostIds: `${HOST_A}, ${HOST_B.toUpperCase()}, ${HOST_A}`,
			options: { queueOffline: true, existingBatchId: BATCH, timeout: 60, hostTimeoutDuration: '50s' },
		});
		expect(result.error).toBeUndefined();
		expect(json(result.items)).toEqual([
			{ batch_id: BATCH, ...hostResult(HOST_A, SESSION), status: 'success' },
			{ batch_id: BATCH, ...hostResult(HOST_B, SESSION_B, { offline_queued: true }), status: 'offline_queued' },
		]);
		expect(api.isDone()).toBe(true);
	});

	it('Refresh posts batch_id and hosts_to_remove (BatchRefreshSessions)', async () => {
		const api = falcon()
			.post(`${RTR}/combined/batch-refresh-session/v1`, { batch_id: BATCH, hosts_to_remove: [HOST_B] })
			.query({ timeout_duration: '45s' })
			.reply(201, keyed({ [HOST_A]: { session_id: SESSION, errors: [] } }));
		const result = await run({ resource: 'batch', operation: 'refresh', batchId: BATCH, options: { hostsToRemove: HOST_B, timeoutDuration: '45s' } });
		expect(json(result.items)).toEqual([{ batch_id: BATCH, aid: HOST_A, session_id: SESSION, errors: [], status: 'success' }]);
		expect(api.isDone()).toBe(true);
	});

	// n8n sets axios' default timeout to 300 s, as long as Falcon may hold a call waiting for hosts; scaled down here.
	it("gives a call Falcon holds open for its timeout that long and a margin, not n8n's default request timeout", async () => {
		const n8nDefault = axios.defaults.timeout;
		axios.defaults.timeout = 300;
		try {
			const api = falcon()
				.post(`${RTR}/combined/batch-refresh-session/v1`, { batch_id: BATCH })
				.query({ timeout_duration: '1s' })
				.delay(600)
				.reply(201, keyed({ [HOST_A]: { session_id: SESSION, errors: [] } }));
			const result = await run({ resource: 'batch', operation: 'refresh', batchId: BATCH, options: { timeoutDuration: '1s' } });
			expect(result.error).toBeUndefined();
			expect(json(result.items)).toEqual([{ batch_id: BATCH, aid: HOST_A, session_id: SESSION, errors: [], status: 'success' }]);
			expect(api.isDone()).toBe(true);
		} finally {
			axios.defaults.timeout = n8nDefault;
		}
	});

	it.each([
		['execute', 'batch-command', 'ls', 'BatchCmd'],
		['executeActiveResponder', 'batch-active-responder-command', 'rm', 'BatchActiveResponderCmd'],
	])('%s posts the command with optional_hosts and persist_all, one item per host (%s, %s)', async (operation, endpoint, verb) => {
		const api = falcon()
			.post(`${RTR}/combined/${endpoint}/v1`, {
				batch_id: BATCH, base_command: verb, command_string: `${verb} /tmp`, optional_hosts: [HOST_A], persist_all: true,
			})
			.query({ timeout: '30' })
			.reply(201, combined({ [HOST_A]: hostResult(HOST_A, SESSION, { task_id: REQUEST, stdout: 'out' }) }));
		const result = await run({
			resource: 'batch', operation, batchId: BATCH, baseCommand: verb, commandLine: `${verb} /tmp`,
			options: { optionalHosts: HOST_A, persistAll: true, timeout: 30 },
		});
		expect(result.error).toBeUndefined();
		expect(json(result.items)).toEqual([{ batch_id: BATCH, ...hostResult(HOST_A, SESSION, { task_id: REQUEST, stdout: 'out' }), status: 'success' }]);
		expect(api.isDone()).toBe(true);
	});

	it('Get File posts batch_id and file_path and returns the request id per host (BatchGetCmd)', async () => {
		const api = falcon()
			.post(`${RTR}/combined/batch-get-command/v1`, { batch_id: BATCH, file_path: 'C:\\evil.exe' })
			.reply(201, combined({ [HOST_A]: hostResult(HOST_A, SESSION, { stdout: 'C:\\evil.exe' }) }, { batch_get_cmd_req_id: REQUEST }));
		const result = await run({ resource: 'batch', operation: 'getFile', batchId: BATCH, filePath: 'C:\\evil.exe', options: {} });
		expect(json(result.items)[0]).toMatchObject({ batch_id: BATCH, batch_get_cmd_req_id: REQUEST, aid: HOST_A, status: 'success' });
		expect(api.isDone()).toBe(true);
	});

	it('Get File Status reads batch_get_cmd_req_id and flags ready uploads (BatchGetCmdStatus)', async () => {
		const ready = { session_id: SESSION, cloud_request_id: REQUEST, name: 'C:\\evil.exe', sha256: 'b'.repeat(64), size: 12, created_at: '2026-01-01T00:00:00Z' };
		const api = falcon()
			.get(`${RTR}/combined/batch-get-command/v1`)
			.query({ batch_get_cmd_req_id: REQUEST, timeout: '10' })
			.reply(200, keyed({ [HOST_A]: ready, [HOST_B]: { ...ready, sha256: '', created_at: '' } }));
		const result = await run({ resource: 'batch', operation: 'getFileStatus', requestId: REQUEST, options: { timeout: 10 } });
		expect(json(result.items).map((item) => [item.aid, item.ready])).toEqual([[HOST_A, true], [HOST_B, false]]);
		expect(api.isDone()).toBe(true);
	});

	describe('Run on Hosts', () => {
		it('reads a straggler\'s output chunks as gofalcon does too: an incomplete answer hands over a chunk and the next sequence_id', async () => {
			falcon()
				.post(`${RTR}/combined/batch-init-session/v1`)
				.query(true)
				.reply(201, keyed({ [HOST_A]: hostResult(HOST_A, SESSION) }, { batch_id: BATCH }))
				.post(`${RTR}/combined/batch-command/v1`)
				.query(true)
				.reply(201, combined({ [HOST_A]: hostResult(HOST_A, SESSION, { task_id: REQUEST, complete: false, errors: [{ code: 50401, message: 'poll its task_id' }] }) }))
				.get(`${RTR}/entities/command/v1`)
				.query({ cloud_request_id: REQUEST, sequence_id: '0' })
				.reply(200, { meta: meta(), resources: [{ complete: false, stdout: 'PART-1 ', stderr: '', sequence_id: 1 }], errors: [] })
				.get(`${RTR}/entities/command/v1`)
				.query({ cloud_request_id: REQUEST, sequence_id: '1' })
				.reply(200, { meta: meta(), resources: [{ complete: true, stdout: 'PART-2', stderr: '', sequence_id: 1 }], errors: [] });
			const result = await psOnHosts([HOST_A], { pollIntervalSeconds: 0.1, deadlineSeconds: 3 });
			expect(json(result.items)[0]).toMatchObject({ host_id: HOST_A, status: 'success', stdout: 'PART-1 PART-2' });
		});

		it("sends every item's command before waiting for any, and the batches wait together: a slow host delays no other item's command", async () => {
			const order: string[] = [];
			// The two batches go out at once (their hosts differ): each call is told apart by its body.
			const noted = (what: string, names: string) => (body: object) => JSON.stringify(body).includes(names) && order.push(what) > 0;
			const batchB = '4f8f7d7b-1c9e-4c5d-8d86-3a4c4c7b5e02';
			const stillRunning = (aid: string, session: string) =>
				combined({ [aid]: hostResult(aid, session, { task_id: REQUEST, complete: false, errors: [{ code: 50401, message: 'poll its task_id' }] }) });
			falcon()
				.post(`${RTR}/combined/batch-init-session/v1`, noted('init A', HOST_A))
				.query(true)
				.reply(201, keyed({ [HOST_A]: hostResult(HOST_A, SESSION) }, { batch_id: BATCH }))
				.post(`${RTR}/combined/batch-active-responder-command/v1`, noted('kill on A', BATCH))
				.query(true)
				.reply(201, stillRunning(HOST_A, SESSION))
				.post(`${RTR}/combined/batch-init-session/v1`, noted('init B', HOST_B))
				.query(true)
				.reply(201, keyed({ [HOST_B]: hostResult(HOST_B, SESSION_B) }, { batch_id: batchB }))
				.post(`${RTR}/combined/batch-active-responder-command/v1`, noted('kill on B', batchB))
				.query(true)
				.reply(201, stillRunning(HOST_B, SESSION_B))
				.get(`${RTR}/entities/active-responder-command/v1`)
				.query(() => order.push('status read') > 0)
				.times(100)
				.optionally()
				.reply(200, { meta: meta(), resources: [{ complete: false, stdout: '', stderr: '', sequence_id: 0 }], errors: [] })
				.post(`${RTR}/combined/batch-refresh-session/v1`)
				.times(50)
				.optionally()
				.reply(201, keyed({}));
			const result = await run(
				{
					resource: 'batch', operation: 'runOnHosts', hostIds: '={{ $json.host }}', commandTier: 'activeResponder', baseCommand: 'kill',
					commandLine: '={{ "kill " + $json.pid }}', options: { pollIntervalSeconds: 0.5, deadlineSeconds: 1 },
				},
				{ input: [{ json: { host: HOST_A, pid: 4242 } }, { json: { host: HOST_B, pid: 777 } }] },
			);
			// Both commands are out before the first status read; each batch's command after its own session start.
			expect(order.indexOf('status read')).toBe(4);
			expect(order.indexOf('init A')).toBeLessThan(order.indexOf('kill on A'));
			expect(order.indexOf('init B')).toBeLessThan(order.indexOf('kill on B'));
			expect(json(result.items).map(({ host_id, status }) => [host_id, status])).toEqual([
				[HOST_A, 'timeout'],
				[HOST_B, 'timeout'],
			]);
		});

		// `not_found` is for hosts Falcon does not know: a 404 about a session or a call is an api_error.
		it('a host whose command was sent stays api_error when its status read answers 404, and so do hosts of a batch command call refused with 404', async () => {
			falcon()
				.post(`${RTR}/combined/batch-init-session/v1`)
				.query(true)
				.reply(201, keyed({ [HOST_A]: hostResult(HOST_A, SESSION), [HOST_B]: hostResult(HOST_B, SESSION_B) }, { batch_id: BATCH }))
				.post(`${RTR}/combined/batch-active-responder-command/v1`)
				.query(true)
				.reply(201, combined({
					[HOST_A]: hostResult(HOST_A, SESSION, { task_id: REQUEST, complete: false, errors: [{ code: 50401, message: 'poll its task_id' }] }),
					[HOST_B]: hostResult(HOST_B, SESSION_B, { task_id: REQUEST, stdout: 'removed' }),
				}))
				.get(`${RTR}/entities/active-responder-command/v1`)
				.query(true)
				.reply(404, { meta: meta(), resources: [], errors: [{ code: 404, message: 'cloud_request_id not found' }] });
			const parameters = {
				resource: 'batch', operation: 'runOnHosts', hostIds: `${HOST_A},${HOST_B}`, commandTier: 'activeResponder', baseCommand: 'rm',
				commandLine: 'rm C:\\evil.exe', options: { pollIntervalSeconds: 0.1, deadlineSeconds: 3 },
			};
			const statusRead = await run(parameters);
			expect(json(statusRead.items).map(({ host_id, status }) => [host_id, status])).toEqual([
				[HOST_A, 'api_error'],
				[HOST_B, 'success'],
			]);

			falcon()
				.post(`${RTR}/combined/batch-init-session/v1`)
				.query(true)
				.reply(201, keyed({ [HOST_A]: hostResult(HOST_A, SESSION), [HOST_B]: hostResult(HOST_B, SESSION_B) }, { batch_id: BATCH }))
				.post(`${RTR}/combined/batch-active-responder-command/v1`)
				.query(true)
				.reply(404, { meta: meta(), resources: [], errors: [{ code: 404, message: 'batch session expired' }] });
			const refused = await run(parameters);
			expect(json(refused.items).map(({ status }) => status)).toEqual(['api_error', 'api_error']);
		});

		it('runs one batch for all items and returns one item per host with a normalised status, paired to its item', async () => {
			const api = falcon()
				.post(`${RTR}/combined/batch-init-session/v1`, { host_ids: [HOST_A, HOST_B, HOST_C], queue_offline: false })
				.reply(201, keyed({
					[HOST_A]: hostResult(HOST_A, SESSION),
					[HOST_B]: hostResult(HOST_B, SESSION_B),
					[HOST_C]: { aid: HOST_C, session_id: '', complete: false, errors: [{ code: 404, message: `host not found: ${HOST_C}` }] },
				}, { batch_id: BATCH }))
				.post(`${RTR}/combined/batch-command/v1`, {
					batch_id: BATCH, base_command: 'netstat', command_string: 'netstat', optional_hosts: [HOST_A, HOST_B], persist_all: false,
				})
				.reply(201, combined({
					// A's session was queued while it was offline; it came back and ran the command.
					[HOST_A]: hostResult(HOST_A, SESSION, { task_id: REQUEST, stdout: 'tcp 443', offline_queued: true }),
					[HOST_B]: hostResult(HOST_B, SESSION_B, { task_id: REQUEST, stderr: 'netstat: failed' }),
				}));
			const result = await run(
				{ resource: 'batch', operation: 'runOnHosts', hostIds: '={{ $json.hosts }}', commandTier: 'readOnly', baseCommand: 'netstat', commandLine: 'netstat', options: {} },
				{ input: [{ json: { hosts: [HOST_A, HOST_B] } }, { json: { hosts: HOST_C } }] },
			);
			expect(result.error).toBeUndefined();
			expect(result.items.map((item) => [item.json.host_id, item.json.status, item.pairedItem])).toEqual([
				[HOST_A, 'success', { item: 0 }],
				[HOST_B, 'stderr', { item: 0 }],
				[HOST_C, 'not_found', { item: 1 }],
			]);
			expect(result.items[0].json).toMatchObject({ stdout: 'tcp 443', session_id: SESSION, cloud_request_id: REQUEST, batch_id: BATCH });
			expect(api.isDone()).toBe(true);
		});

		it('opens large host lists in chunks joined into one batch', async () => {
			const api = falcon()
				.post(`${RTR}/combined/batch-init-session/v1`, { host_ids: [HOST_A, HOST_B], queue_offline: false })
				.reply(201, keyed({ [HOST_A]: hostResult(HOST_A, SESSION), [HOST_B]: hostResult(HOST_B, SESSION_B) }, { batch_id: BATCH }))
				.post(`${RTR}/combined/batch-init-session/v1`, { host_ids: [HOST_C], queue_offline: false, existing_batch_id: BATCH })
				.reply(201, keyed({ [HOST_C]: hostResult(HOST_C, SESSION) }, { batch_id: BATCH }))
				.post(`${RTR}/combined/batch-command/v1`, (body) => body.optional_hosts.length === 3)
				.reply(201, combined({
					[HOST_A]: hostResult(HOST_A, SESSION), [HOST_B]: hostResult(HOST_B, SESSION), [HOST_C]: hostResult(HOST_C, SESSION),
				}));
			const result = await psOnHosts([HOST_A, HOST_B, HOST_C], { hostsPerRequest: 2 });
			expect(json(result.items).map((item) => item.status)).toEqual(['success', 'success', 'success']);
			expect(api.isDone()).toBe(true);
		});

		it('refreshes the batch between chunks once minutes have passed, so the first sessions outlive the last chunks', async () => {
			let now = Date.now();
			const clock = jest.spyOn(Date, 'now').mockImplementation(() => now);
			try {
				const api = falcon()
					.post(`${RTR}/combined/batch-init-session/v1`, { host_ids: [HOST_A], queue_offline: false })
					// This chunk's hosts took their time to answer.
					.reply(201, () => {
						now += 4 * 60_000;
						return keyed({ [HOST_A]: hostResult(HOST_A, SESSION) }, { batch_id: BATCH });
					})
					.post(`${RTR}/combined/batch-refresh-session/v1`, { batch_id: BATCH })
					.reply(201, keyed({ [HOST_A]: hostResult(HOST_A, SESSION) }, { batch_id: BATCH }))
					.post(`${RTR}/combined/batch-init-session/v1`, { host_ids: [HOST_B], queue_offline: false, existing_batch_id: BATCH })
					.reply(201, keyed({ [HOST_B]: hostResult(HOST_B, SESSION_B) }, { batch_id: BATCH }))
					// Quick: no refresh before the last chunk.
					.post(`${RTR}/combined/batch-init-session/v1`, { host_ids: [HOST_C], queue_offline: false, existing_batch_id: BATCH })
					.reply(201, keyed({ [HOST_C]: hostResult(HOST_C, SESSION) }, { batch_id: BATCH }))
					.post(`${RTR}/combined/batch-command/v1`, (body) => body.optional_hosts.length === 3)
					.reply(201, combined({
						[HOST_A]: hostResult(HOST_A, SESSION), [HOST_B]: hostResult(HOST_B, SESSION), [HOST_C]: hostResult(HOST_C, SESSION),
					}));
				const result = await psOnHosts([HOST_A, HOST_B, HOST_C], { hostsPerRequest: 1 });
				expect(result.error).toBeUndefined();
				expect(api.pendingMocks()).toEqual([]);
				expect(json(result.items).map((item) => item.status)).toEqual(['success', 'success', 'success']);
			} finally {
				clock.mockRestore();
			}
		});

		it('refreshes the batch while a later chunk is still opening, so a chunk that takes minutes does not expire the first sessions', async () => {
			// Minutes in Falcon, scaled down: refreshed every 400 ms while the last chunk takes 1 s to answer.
			const production = { ...batchTiming };
			batchTiming.refreshWhileOpeningMs = 400;
			try {
				const calls: string[] = [];
				const called = (name: string) => () => {
					calls.push(name);
					return keyed({ [HOST_A]: hostResult(HOST_A, SESSION), [HOST_B]: hostResult(HOST_B, SESSION_B) }, { batch_id: BATCH });
				};
				const api = falcon()
					.post(`${RTR}/combined/batch-init-session/v1`, { host_ids: [HOST_A], queue_offline: false })
					.reply(201, called('first chunk'))
					.post(`${RTR}/combined/batch-init-session/v1`, { host_ids: [HOST_B], queue_offline: false, existing_batch_id: BATCH })
					.delay(1_000)
					.reply(201, called('last chunk'))
					.post(`${RTR}/combined/batch-command/v1`, (body) => body.optional_hosts.length === 2)
					.reply(201, () => {
						calls.push('command');
						return combined({ [HOST_A]: hostResult(HOST_A, SESSION), [HOST_B]: hostResult(HOST_B, SESSION_B) });
					});
				falcon().post(`${RTR}/combined/batch-refresh-session/v1`, { batch_id: BATCH }).times(20).reply(201, called('refresh'));
				const result = await psOnHosts([HOST_A, HOST_B], { hostsPerRequest: 1 });
				expect(result.error).toBeUndefined();
				expect(json(result.items).map((item) => item.status)).toEqual(['success', 'success']);
				expect(api.pendingMocks()).toEqual([]);
				// Refreshed while the last chunk was open (sent before the refreshes, answered a second later), and no more
				// once every chunk had answered.
				const refreshed = calls.filter((call) => call === 'refresh').length;
				expect(refreshed).toBeGreaterThanOrEqual(1);
				expect(refreshed).toBeLessThanOrEqual(3);
				expect(calls).toEqual(['first chunk', 'last chunk', ...calls.slice(2, -1).map(() => 'refresh'), 'command']);
				await sleep(500);
				expect(calls).toHaveLength(refreshed + 3);
			} finally {
				Object.assign(batchTiming, production);
			}
		});

		it('a chunk whose session start fails, and a command call refused as a whole, fail their hosts with the status, message and trace id', async () => {
			const failedInit = { meta: meta({ trace_id: 'trace-init' }), resources: {}, errors: [{ code: 500, message: 'init failed' }] };
			const refused = { meta: meta({ trace_id: 'trace-command' }), combined: { resources: {} }, errors: [{ code: 400, message: 'bad command' }] };
			const api = falcon()
				.post(`${RTR}/combined/batch-init-session/v1`, { host_ids: [HOST_A], queue_offline: false })
				.reply(201, keyed({ [HOST_A]: hostResult(HOST_A, SESSION) }, { batch_id: BATCH }))
				.post(`${RTR}/combined/batch-init-session/v1`, { host_ids: [HOST_B], queue_offline: false, existing_batch_id: BATCH })
				.times(3)
				.reply(500, failedInit)
				.post(`${RTR}/combined/batch-command/v1`, (body) => body.optional_hosts.length === 1)
				.reply(400, refused);
			const result = await psOnHosts([HOST_A, HOST_B], { hostsPerRequest: 1 });
			expect(result.error).toBeUndefined();
			expect(json(result.items).map((item) => [item.host_id, item.status, item.errors])).toEqual([
				[HOST_A, 'api_error', [{ code: 400, message: 'Falcon API error 400: bad command', trace_id: 'trace-command' }]],
				[HOST_B, 'api_error', [{ code: 500, message: 'Falcon API error 500: init failed', trace_id: 'trace-init' }]],
			]);
			expect(api.isDone()).toBe(true);
		});

		it('polls hosts Falcon stopped waiting for, until they complete', async () => {
			const api = falcon()
				.post(`${RTR}/combined/batch-init-session/v1`)
				.query(true)
				.reply(201, keyed({ [HOST_A]: hostResult(HOST_A, SESSION) }, { batch_id: BATCH }))
				.post(`${RTR}/combined/batch-active-responder-command/v1`)
				.query(true)
				.reply(201, combined({
					[HOST_A]: hostResult(HOST_A, SESSION, { task_id: REQUEST, complete: false, errors: [{ code: 50401, message: 'poll its task_id' }] }),
				}))
				.get(`${RTR}/entities/active-responder-command/v1`)
				.query({ cloud_request_id: REQUEST, sequence_id: '0' })
				.reply(200, { meta: meta(), resources: [{ complete: true, stdout: 'done', stderr: '', sequence_id: 0 }], errors: [] });
			const result = await run({
				resource: 'batch', operation: 'runOnHosts', hostIds: HOST_A, commandTier: 'activeResponder', baseCommand: 'runscript',
				commandLine: 'runscript -Raw=```ls```', options: { pollIntervalSeconds: 0.1, deadlineSeconds: 5 },
			});
			expect(json(result.items)[0]).toMatchObject({ status: 'success', stdout: 'done', complete: true, errors: [] });
			expect(api.isDone()).toBe(true);
		});

		it('a host that timed out starting its session fails: the task of the start\'s own command is not the user\'s', async () => {
			const api = falcon()
				.post(`${RTR}/combined/batch-init-session/v1`)
				.query(true)
				.reply(201, keyed({
					[HOST_A]: hostResult(HOST_A, '', { task_id: 'pwd-task', base_command: 'pwd', complete: false, errors: [{ code: 50401, message: 'timed out' }] }),
					[HOST_B]: hostResult(HOST_B, SESSION_B),
				}, { batch_id: BATCH }))
				.post(`${RTR}/combined/batch-command/v1`, (body) => JSON.stringify(body.optional_hosts) === JSON.stringify([HOST_B]))
				.query(true)
				.reply(201, combined({ [HOST_B]: hostResult(HOST_B, SESSION_B, { task_id: REQUEST, stdout: 'processes' }) }));
			const startTask = falcon()
				.get(`${RTR}/entities/command/v1`)
				.query({ cloud_request_id: 'pwd-task', sequence_id: '0' })
				.reply(200, { meta: meta(), resources: [{ complete: true, stdout: 'C:\\Windows', stderr: '', sequence_id: 0 }], errors: [] });
			const result = await psOnHosts([HOST_A, HOST_B], { pollIntervalSeconds: 0.1, deadlineSeconds: 2 });
			expect(result.error).toBeUndefined();
			expect(json(result.items).map((item) => [item.host_id, item.status, item.stdout])).toEqual([
				[HOST_A, 'api_error', ''],
				[HOST_B, 'success', 'processes'],
			]);
			expect(api.isDone()).toBe(true);
			expect(startTask.isDone()).toBe(false);
		});

		it('with many hosts still running, keeps the batch alive and stops at the deadline in the middle of a pass of status reads', async () => {
			const aids = Array.from({ length: 12 }, (_, index) => `${index.toString(16)}${'0'.repeat(31)}`);
			const running = (aid: string) => hostResult(aid, SESSION, { task_id: `task-${aid}`, complete: false });
			let statusReads = 0;
			let refreshes = 0;
			falcon()
				.post(`${RTR}/combined/batch-init-session/v1`)
				.query(true)
				.reply(201, keyed(Object.fromEntries(aids.map((aid) => [aid, hostResult(aid, SESSION)])), { batch_id: BATCH }))
				.post(`${RTR}/combined/batch-command/v1`)
				.query(true)
				.reply(201, combined(Object.fromEntries(aids.map((aid) => [aid, running(aid)]))))
				.get(`${RTR}/entities/command/v1`)
				.query(true)
				.times(aids.length)
				.delay(400)
				.reply(() => {
					statusReads++;
					return [200, { meta: meta(), resources: [{ complete: false, stdout: '', stderr: '', sequence_id: 0 }], errors: [] }];
				})
				.post(`${RTR}/combined/batch-refresh-session/v1`)
				.times(5)
				.reply(() => {
					refreshes++;
					return [201, keyed({})];
				});
			const startedAt = Date.now();
			const result = await psOnHosts(aids, { pollIntervalSeconds: 0.1, deadlineSeconds: 2, keepAliveSeconds: 1 });
			// One pass over 12 hosts takes 4.8 s: it is cut at the 2 s deadline, with a refresh inside it.
			expect(Date.now() - startedAt).toBeLessThan(3500);
			expect(statusReads).toBeLessThan(aids.length);
			expect(refreshes).toBeGreaterThanOrEqual(1);
			expect(json(result.items).map((item) => item.status)).toEqual(aids.map(() => 'timeout'));
		});

		it('keeps a host\'s inline output, with the error, when its remaining chunks cannot be read; the other hosts carry on', async () => {
			const api = falcon()
				.post(`${RTR}/combined/batch-init-session/v1`)
				.reply(201, keyed({ [HOST_A]: hostResult(HOST_A, SESSION), [HOST_B]: hostResult(HOST_B, SESSION_B) }, { batch_id: BATCH }))
				.post(`${RTR}/combined/batch-active-responder-command/v1`)
				.reply(201, combined({
					[HOST_A]: hostResult(HOST_A, SESSION, { task_id: REQUEST, stdout: 'first chunk ', sequence_id: 1 }),
					[HOST_B]: hostResult(HOST_B, SESSION_B, { task_id: 'other-task', stdout: 'killed' }),
				}))
				.get(`${RTR}/entities/active-responder-command/v1`)
				.query(true)
				.times(3)
				.reply(500, { meta: meta(), resources: [], errors: [{ code: 500, message: 'internal error' }] });
			const result = await run({
				resource: 'batch', operation: 'runOnHosts', hostIds: `${HOST_A},${HOST_B}`, commandTier: 'activeResponder',
				baseCommand: 'kill', commandLine: 'kill 4242', options: {},
			});
			expect(result.error).toBeUndefined();
			const [a, b] = json(result.items);
			expect(a).toMatchObject({ host_id: HOST_A, stdout: 'first chunk ', cloud_request_id: REQUEST, batch_id: BATCH });
			expect(a.errors).toEqual([{ code: 500, message: expect.stringMatching(/^Falcon API error 500/), trace_id: expect.anything() }]);
			expect(b).toMatchObject({ host_id: HOST_B, status: 'success', stdout: 'killed', errors: [] });
			expect(api.isDone()).toBe(true);
		});

		it('fails only when every host failed, if asked to', async () => {
			falcon()
				.post(`${RTR}/combined/batch-init-session/v1`)
				.reply(201, keyed({ [HOST_A]: { aid: HOST_A, errors: [{ code: 40401, message: 'Could not establish sensor comms' }] } }, { batch_id: BATCH }));
			const result = await psOnHosts([HOST_A], { failWhen: 'allFailed' });
			expect(result.error?.message).toBe(`1 of 1 hosts failed (${HOST_A}: api_error)`);
		});
	});
});
