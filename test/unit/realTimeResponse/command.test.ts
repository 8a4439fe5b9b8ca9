import { envelope, falconErrors } from '../../harness/falcon';
import { forgetKept } from '../../../nodes/CrowdStrikeFalcon/RealTimeResponse/shared/sessionUsers';
import { falcon, HOST_A, HOST_B, json, run, REQUEST, RTR, SESSION } from './helpers';

const accepted = { session_id: SESSION, cloud_request_id: REQUEST, queued_command_offline: false };
const initResource = { session_id: SESSION, device_id: HOST_A, offline_queued: false };
const fast = { pollIntervalSeconds: 0.1, deadlineSeconds: 5 };

describe('Command', () => {
	// The tests reuse one session ID; a real kept session's ID is never handed out again.
	afterEach(() => forgetKept(SESSION));

	it('Execute posts session, base command and the whole command line (RTR_ExecuteCommand)', async () => {
		const api = falcon()
			.post(`${RTR}/entities/command/v1`, { session_id: SESSION, base_command: 'reg query', command_string: 'reg query HKLM\\Software', persist: true })
			.reply(201, envelope([accepted]));
		const result = await run({
			resource: 'command',
			operation: 'execute',
			sessionId: SESSION,
			baseCommand: 'reg query',
			commandLine: ' reg query HKLM\\Software ',
			options: { persist: true },
		});
		expect(result.error).toBeUndefined();
		expect(json(result.items)).toEqual([accepted]);
		expect(api.isDone()).toBe(true);
	});

	it('Execute Active Responder posts to the active responder endpoint (RTR_ExecuteActiveResponderCommand)', async () => {
		const api = falcon()
			.post(`${RTR}/entities/active-responder-command/v1`, { session_id: SESSION, base_command: 'kill', command_string: 'kill 4242' })
			.reply(201, envelope([accepted]));
		const result = await run({ resource: 'command', operation: 'executeActiveResponder', sessionId: SESSION, baseCommand: 'kill', commandLine: 'kill 4242' });
		expect(json(result.items)).toEqual([accepted]);
		expect(api.isDone()).toBe(true);
	});

	it.each([
		['getStatus', 'command', 'RTR_CheckCommandStatus'],
		['getActiveResponderStatus', 'active-responder-command', 'RTR_CheckActiveResponderCommandStatus'],
	])('%s reads cloud_request_id and sequence_id (%s, %s)', async (operation, endpoint) => {
		const status = { session_id: SESSION, task_id: REQUEST, complete: true, stdout: 'chunk 2', stderr: '', sequence_id: 2 };
		const api = falcon()
			.get(`${RTR}/entities/${endpoint}/v1`)
			.query({ cloud_request_id: REQUEST, sequence_id: '2' })
			.reply(200, envelope([status]));
		const result = await run({ resource: 'command', operation, cloudRequestId: REQUEST, sequenceId: 2 });
		expect(json(result.items)).toEqual([status]);
		expect(api.isDone()).toBe(true);
	});

	describe('Run and Wait', () => {
		it('starts a session, runs, polls until complete, joins the chunks and deletes the session', async () => {
			const api = falcon()
				.post(`${RTR}/entities/sessions/v1`, { device_id: HOST_A })
				.query({ timeout: '5' })
				.reply(201, envelope([initResource]))
				.post(`${RTR}/entities/command/v1`, { session_id: SESSION, base_command: 'ps', command_string: 'ps' })
				.reply(201, envelope([accepted]))
				.get(`${RTR}/entities/command/v1`)
				.query({ cloud_request_id: REQUEST, sequence_id: '0' })
				.reply(200, envelope([{ complete: false, stdout: '', stderr: '', sequence_id: 0 }]))
				.get(`${RTR}/entities/command/v1`)
				.query({ cloud_request_id: REQUEST, sequence_id: '0' })
				.reply(200, envelope([{ complete: true, stdout: 'first ', stderr: '', sequence_id: 1 }]))
				.get(`${RTR}/entities/command/v1`)
				.query({ cloud_request_id: REQUEST, sequence_id: '1' })
				.reply(200, envelope([{ complete: true, stdout: 'second', stderr: '', sequence_id: 1 }]))
				.delete(`${RTR}/entities/sessions/v1`)
				.query({ session_id: SESSION })
				.reply(204);
			const result = await run({
				resource: 'command',
				operation: 'runAndWait',
				hostId: HOST_A,
				commandTier: 'readOnly',
				baseCommand: 'ps',
				commandLine: 'ps',
				options: { ...fast, timeout: 5 },
			});
			expect(result.error).toBeUndefined();
			expect(json(result.items)).toEqual([
				expect.objectContaining({
					host_id: HOST_A,
					status: 'success',
					stdout: 'first second',
					stderr: '',
					complete: true,
					chunks: 2,
					session_id: SESSION,
					cloud_request_id: REQUEST,
					session_kept: false,
				}),
			]);
			expect(api.isDone()).toBe(true);
		});

		it('keeps the output already read when a later chunk cannot be read, with the error and the command ids', async () => {
			const api = falcon()
				.post(`${RTR}/entities/sessions/v1`, { device_id: HOST_A })
				.query(true)
				.reply(201, envelope([initResource]))
				.post(`${RTR}/entities/command/v1`, { session_id: SESSION, base_command: 'ps', command_string: 'ps' })
				.reply(201, envelope([accepted]))
				.get(`${RTR}/entities/command/v1`)
				.query({ cloud_request_id: REQUEST, sequence_id: '0' })
				.reply(200, envelope([{ complete: true, stdout: 'first ', stderr: '', sequence_id: 1 }]))
				.get(`${RTR}/entities/command/v1`)
				.query({ cloud_request_id: REQUEST, sequence_id: '1' })
				.reply(403, { meta: { trace_id: 'trace-chunk' }, errors: [{ code: 403, message: 'access denied' }] })
				.delete(`${RTR}/entities/sessions/v1`)
				.query({ session_id: SESSION })
				.reply(204);
			const result = await run({ resource: 'command', operation: 'runAndWait', hostId: HOST_A, commandTier: 'readOnly', baseCommand: 'ps', commandLine: 'ps', options: fast });
			expect(result.error).toBeUndefined();
			expect(json(result.items)[0]).toMatchObject({
				status: 'api_error',
				stdout: 'first ',
				cloud_request_id: REQUEST,
				session_id: SESSION,
				error: { code: 403, trace_id: 'trace-chunk' },
			});
			expect(api.isDone()).toBe(true);
		});

		it('uses the active responder endpoints for that tier, reports stderr, and keeps the session when asked', async () => {
			const api = falcon()
				.post(`${RTR}/entities/sessions/v1`, { device_id: HOST_A })
				.query(true)
				.reply(201, envelope([initResource]))
				.post(`${RTR}/entities/active-responder-command/v1`, { session_id: SESSION, base_command: 'rm', command_string: 'rm C:\\x' })
				.reply(201, envelope([accepted]))
				.get(`${RTR}/entities/active-responder-command/v1`)
				.query({ cloud_request_id: REQUEST, sequence_id: '0' })
				.reply(200, envelope([{ complete: true, stdout: '', stderr: 'rm: No such file', sequence_id: 0 }]));
			const result = await run({
				resource: 'command',
				operation: 'runAndWait',
				hostId: HOST_A,
				commandTier: 'activeResponder',
				baseCommand: 'rm',
				commandLine: 'rm C:\\x',
				// Given as text by an expression (a sheet cell): still kept.
				options: { ...fast, keepSession: '={{ "true" }}' },
			});
			expect(json(result.items)[0]).toMatchObject({ status: 'stderr', stderr: 'rm: No such file', session_kept: true });
			expect(api.isDone()).toBe(true);
		});

		it('reuses a given session without starting or deleting one', async () => {
			const api = falcon()
				// The session is read first: it must be on the host given.
				.post(`${RTR}/entities/sessions/GET/v1`, { ids: [SESSION] })
				.reply(200, envelope([{ id: SESSION, device_id: HOST_A }]))
				.post(`${RTR}/entities/command/v1`, { session_id: SESSION, base_command: 'ls', command_string: 'ls' })
				.reply(201, envelope([accepted]))
				.get(`${RTR}/entities/command/v1`)
				.query({ cloud_request_id: REQUEST, sequence_id: '0' })
				.reply(200, envelope([{ complete: true, stdout: 'a b', stderr: '', sequence_id: 0 }]));
			const result = await run({
				resource: 'command',
				operation: 'runAndWait',
				hostId: HOST_A,
				commandTier: 'readOnly',
				baseCommand: 'ls',
				commandLine: 'ls',
				// Pasted with spaces and in upper case: sent as checked.
				options: { ...fast, sessionId: ` ${SESSION.toUpperCase()} ` },
			});
			expect(json(result.items)[0]).toMatchObject({ status: 'success', stdout: 'a b', session_kept: true });
			expect(api.isDone()).toBe(true);
		});

		it('returns offline_queued without waiting and keeps the session so the queued command survives', async () => {
			const api = falcon()
				.post(`${RTR}/entities/sessions/v1`, { device_id: HOST_A, queue_offline: true })
				.query(true)
				.reply(201, envelope([{ ...initResource, offline_queued: true }]))
				.post(`${RTR}/entities/command/v1`)
				.reply(201, envelope([{ ...accepted, queued_command_offline: true }]));
			const result = await run({
				resource: 'command',
				operation: 'runAndWait',
				hostId: HOST_A,
				commandTier: 'readOnly',
				baseCommand: 'ps',
				commandLine: 'ps',
				options: { ...fast, queueOffline: true },
			});
			expect(json(result.items)[0]).toMatchObject({ status: 'offline_queued', offline_queued: true, session_kept: true });
			expect(api.isDone()).toBe(true);
		});

		it('never deletes a session a Session → Start here opened for later steps, though Falcon hands it over seconds old', async () => {
			const fresh = { ...initResource, created_at: new Date().toISOString() };
			const start = falcon().post(`${RTR}/entities/sessions/v1`).reply(201, envelope([fresh]));
			const api = falcon()
				.post(`${RTR}/entities/sessions/v1`)
				.query(true)
				.reply(201, envelope([fresh]))
				.post(`${RTR}/entities/command/v1`)
				.reply(201, envelope([accepted]))
				.get(`${RTR}/entities/command/v1`)
				.query(true)
				.reply(200, envelope([{ complete: true, stdout: 'pid 4', stderr: '', sequence_id: 0 }]));
			const started = await run({ resource: 'session', operation: 'start', hostId: HOST_A, options: {} });
			expect(json(started.items)[0]).toMatchObject({ session_id: SESSION });
			expect(start.isDone()).toBe(true);
			const result = await run({
				resource: 'command',
				operation: 'runAndWait',
				hostId: HOST_A,
				commandTier: 'readOnly',
				baseCommand: 'ps',
				commandLine: 'ps',
				options: fast,
			});
			// No DELETE was allowed above: nock would have refused it, and the cleanup would say so.
			expect(result.error).toBeUndefined();
			expect(json(result.items)[0]).toMatchObject({ status: 'success', session_id: SESSION, session_kept: true });
			expect(api.isDone()).toBe(true);
			// Once deleted here, a later run's session of the same ID is its own again.
			const deleted = falcon().delete(`${RTR}/entities/sessions/v1`).query({ session_id: SESSION }).reply(204);
			await run({ resource: 'session', operation: 'delete', sessionId: SESSION });
			expect(deleted.isDone()).toBe(true);
			const again = falcon()
				.post(`${RTR}/entities/sessions/v1`).query(true).reply(201, envelope([fresh]))
				.post(`${RTR}/entities/command/v1`).reply(201, envelope([accepted]))
				.get(`${RTR}/entities/command/v1`).query(true).reply(200, envelope([{ complete: true, stdout: '', stderr: '', sequence_id: 0 }]))
				.delete(`${RTR}/entities/sessions/v1`).query({ session_id: SESSION }).reply(204);
			const later = await run({ resource: 'command', operation: 'runAndWait', hostId: HOST_A, commandTier: 'readOnly', baseCommand: 'ps', commandLine: 'ps', options: fast });
			expect(json(later.items)[0]).toMatchObject({ status: 'success', session_kept: false });
			expect(again.isDone()).toBe(true);
		});

		it('a session queued while the host was offline, now online: the command runs and is waited for', async () => {
			const api = falcon()
				.post(`${RTR}/entities/sessions/v1`, { device_id: HOST_A, queue_offline: true })
				.query(true)
				.reply(201, envelope([{ ...initResource, offline_queued: true }]))
				.post(`${RTR}/entities/command/v1`)
				.reply(201, envelope([{ ...accepted, queued_command_offline: false }]))
				.get(`${RTR}/entities/command/v1`)
				.query(true)
				.reply(200, envelope([{ complete: true, stdout: 'pid 4', stderr: '', sequence_id: 0 }]))
				.delete(`${RTR}/entities/sessions/v1`)
				.query({ session_id: SESSION })
				.reply(204);
			const result = await run({
				resource: 'command',
				operation: 'runAndWait',
				hostId: HOST_A,
				commandTier: 'readOnly',
				baseCommand: 'ps',
				commandLine: 'ps',
				options: { ...fast, queueOffline: true },
			});
			expect(json(result.items)[0]).toMatchObject({ status: 'success', stdout: 'pid 4', offline_queued: false });
			expect(api.isDone()).toBe(true);
		});

		it('reports timeout at the deadline and still deletes the session', async () => {
			const api = falcon()
				.post(`${RTR}/entities/sessions/v1`)
				.query(true)
				.reply(201, envelope([initResource]))
				.post(`${RTR}/entities/command/v1`)
				.reply(201, envelope([accepted]))
				.get(`${RTR}/entities/command/v1`)
				.query(true)
				.times(100)
				.optionally()
				.reply(200, envelope([{ complete: false, stdout: '', stderr: '', sequence_id: 0 }]))
				.delete(`${RTR}/entities/sessions/v1`)
				.query({ session_id: SESSION })
				.reply(204);
			const result = await run({
				resource: 'command',
				operation: 'runAndWait',
				hostId: HOST_A,
				commandTier: 'readOnly',
				baseCommand: 'ps',
				commandLine: 'ps',
				options: { pollIntervalSeconds: 0.2, deadlineSeconds: 1 },
			});
			expect(json(result.items)[0]).toMatchObject({ status: 'timeout', complete: false, session_kept: false });
			expect(api.pendingMocks().filter((mock) => mock.includes('DELETE'))).toEqual([]);
		});

		// The session's created_at is Falcon's clock: compared as is with this server's, a server clock ahead made
		// every new session look open before the run, and every run left it open.
		it("deletes a session it opened though this server's clock is 10 s ahead of Falcon's (Falcon's Date header)", async () => {
			const falconNow = () => new Date(Date.now() - 10_000);
			const api = falcon()
				.post(`${RTR}/entities/sessions/v1`)
				.query(true)
				.reply(201, () => envelope([{ ...initResource, created_at: falconNow().toISOString() }]), { Date: falconNow().toUTCString() })
				.post(`${RTR}/entities/command/v1`)
				.reply(201, envelope([accepted]))
				.get(`${RTR}/entities/command/v1`)
				.query(true)
				.reply(200, envelope([{ complete: true, stdout: 'pid 4', stderr: '', sequence_id: 0 }]))
				.delete(`${RTR}/entities/sessions/v1`)
				.query({ session_id: SESSION })
				.reply(204);
			const result = await run({ resource: 'command', operation: 'runAndWait', hostId: HOST_A, commandTier: 'readOnly', baseCommand: 'ps', commandLine: 'ps', options: fast });
			expect(json(result.items)[0]).toMatchObject({ status: 'success', session_kept: false, session_reused: false });
			expect(api.isDone()).toBe(true);
		});

		it('deletes the session even when the command is refused', async () => {
			const api = falcon()
				.post(`${RTR}/entities/sessions/v1`)
				.query(true)
				.reply(201, envelope([initResource]))
				.post(`${RTR}/entities/command/v1`)
				.reply(400, falconErrors(40006, 'invalid command'))
				.delete(`${RTR}/entities/sessions/v1`)
				.query({ session_id: SESSION })
				.reply(204);
			const result = await run(
				{ resource: 'command', operation: 'runAndWait', hostId: HOST_A, commandTier: 'readOnly', baseCommand: 'ps', commandLine: 'ps', options: fast },
				{ continueOnFail: true },
			);
			// Its error item says which host and session, as every RTR result does.
			expect(json(result.items)[0]).toMatchObject({
				error: 'Falcon API error 400: 40006: invalid command',
				host_id: HOST_A,
				status: 'api_error',
				session_id: SESSION,
			});
			expect(api.isDone()).toBe(true);
		});
	});
});

describe('Run and Wait reads output chunks', () => {
	// CrowdStrike's gofalcon (WaitForExecution) appends every answer's stdout and asks next for the sequence_id the
	// answer named, complete only at the last chunk; the simulator answers the other way (chunks after completion).
	it('as gofalcon reads them: an answer still incomplete hands over a chunk and the next sequence_id to ask for', async () => {
		const asked: string[] = [];
		falcon()
			.post(`${RTR}/entities/sessions/v1`)
			.query(true)
			.reply(201, envelope([{ session_id: SESSION, device_id: HOST_A }]))
			.post(`${RTR}/entities/command/v1`)
			.reply(201, envelope([{ session_id: SESSION, cloud_request_id: REQUEST }]))
			.get(`${RTR}/entities/command/v1`)
			.query(true)
			.times(2)
			.reply((uri) => {
				const sequence = new URL(`http://falcon${uri}`).searchParams.get('sequence_id');
				asked.push(String(sequence));
				return sequence === '0'
					? [200, envelope([{ complete: false, stdout: 'PART-1 ', stderr: '', sequence_id: 1 }])]
					: [200, envelope([{ complete: true, stdout: 'PART-2', stderr: '', sequence_id: 1 }])];
			})
			.delete(`${RTR}/entities/sessions/v1`)
			.query(true)
			.reply(204);
		const result = await run({
			resource: 'command', operation: 'runAndWait', hostId: HOST_A, commandTier: 'readOnly', baseCommand: 'ps', commandLine: 'ps',
			options: { pollIntervalSeconds: 0.2, deadlineSeconds: 2 },
		});
		expect(json(result.items)[0]).toMatchObject({ status: 'success', stdout: 'PART-1 PART-2' });
		expect(asked).toEqual(['0', '1']);
	});
});

describe('a failing item after earlier items acted', () => {
	/** Host A runs the command; host B's session cannot start (offline): the node fails at the second item. */
	const secondHostOffline = async (commandPath: string, parameters: Record<string, unknown>) => {
		falcon()
			.post(`${RTR}/entities/sessions/v1`, { device_id: HOST_A })
			.query(true)
			.reply(201, envelope([{ session_id: SESSION, device_id: HOST_A }]))
			.post(`${RTR}${commandPath}`)
			.reply(201, envelope([{ session_id: SESSION, cloud_request_id: REQUEST }]))
			.get(`${RTR}${commandPath}`)
			.query(true)
			.reply(200, envelope([{ complete: true, stdout: 'done', stderr: '', sequence_id: 0 }]))
			.delete(`${RTR}/entities/sessions/v1`)
			.query(true)
			.reply(204)
			.post(`${RTR}/entities/sessions/v1`, { device_id: HOST_B })
			.query(true)
			.reply(404, falconErrors(40401, 'Could not establish sensor comms'));
		const runAndWait = { resource: 'command', operation: 'runAndWait', hostId: '={{ $json.host }}', ...parameters };
		const result = await run(
			{ ...runAndWait, options: { pollIntervalSeconds: 0.1, deadlineSeconds: 5 } },
			{ input: [{ json: { host: HOST_A } }, { json: { host: HOST_B } }] },
		);
		expect(result.error?.message).toBe('Falcon API error 404: 40401: Could not establish sensor comms');
		return String(result.error?.description);
	};

	// n8n's contract fails the node at the item; the error must not hide that a kill already ran on host A.
	it('says that earlier items already ran their host-changing commands, whose output the error drops', async () => {
		const description = await secondHostOffline('/entities/active-responder-command/v1', {
			commandTier: 'activeResponder',
			baseCommand: 'kill',
			commandLine: 'kill 4242',
		});
		expect(description).toContain(
			'Earlier items of this run already acted (1 output item, lost with this error): running the execution again acts on them again.',
		);
	});

	it('says nothing of the kind for read-only commands', async () => {
		const description = await secondHostOffline('/entities/command/v1', { commandTier: 'readOnly', baseCommand: 'ps', commandLine: 'ps' });
		expect(description).not.toContain('already acted');
	});
});
