import { sleep } from 'n8n-workflow';

import { forgetKept } from '../../../nodes/CrowdStrikeFalcon/RealTimeResponse/shared/sessionUsers';
import type { RunningSimulator } from '../../../simulator';
import { answered, hosts, requests, run, startRtrSimulator } from './helpers';

let sim: RunningSimulator;

beforeAll(async () => {
	sim = await startRtrSimulator({ outputChunkSize: 100, sessionIdleSeconds: 2 });
});
afterAll(async () => await sim.close());
beforeEach(() => sim.reset());

const runAndWait = (hostId: string, commandLine: string, options: Record<string, unknown> = {}) => ({
	resource: 'command',
	operation: 'runAndWait',
	hostId,
	commandTier: 'readOnly',
	baseCommand: commandLine.split(' ')[0],
	commandLine,
	options: { pollIntervalSeconds: 0.2, deadlineSeconds: 20, ...options },
});

describe('Run and Wait against the simulator', () => {
	it('reassembles output served in many sequence_id chunks, identical to the whole output a batch returns', async () => {
		const { windows } = hosts(sim);
		const single = await run(sim, runAndWait(windows.aid, 'ps'));
		expect(single.error).toBeUndefined();
		const [result] = single.items.map((item) => item.json);
		expect(result).toMatchObject({ status: 'success', complete: true, stderr: '', session_kept: false });
		expect(result.chunks).toBeGreaterThan(3);
		expect(String(result.stdout).length).toBeGreaterThan(300);

		const batch = await run(sim, { resource: 'batch', operation: 'runOnHosts', hostIds: windows.aid, commandTier: 'readOnly', baseCommand: 'ps', commandLine: 'ps', options: {} });
		expect(batch.items[0].json.stdout).toBe(result.stdout);
		// The session was deleted afterwards.
		expect(requests(sim, 'DELETE', '/entities/sessions/v1').map((entry) => entry.status)).toEqual([204]);
	});

	it('a command call answered 502 after Falcon ran it says the command may have run (not sent again)', async () => {
		const { windows } = hosts(sim);
		sim.setFaults({ serverErrors: [{ pathPrefix: '/real-time-response/entities/active-responder-command', count: 1, status: 502, afterActing: true }] });
		const parameters = { resource: 'command', operation: 'runAndWait', hostId: windows.aid, commandTier: 'activeResponder', baseCommand: 'kill', commandLine: 'kill 4242', options: { deadlineSeconds: 10 } };
		const failed = await run(sim, parameters);
		expect(failed.error?.description).toContain('Falcon may have run the command (the call failed after it was sent)');
		sim.setFaults({ serverErrors: [{ pathPrefix: '/real-time-response/entities/active-responder-command', count: 1, status: 502, afterActing: true }] });
		const { items } = await run(sim, parameters, { continueOnFail: true });
		expect(items[0].json).toMatchObject({ status: 'api_error', may_have_run: true, host_id: windows.aid });
		expect(requests(sim, 'POST', '/entities/active-responder-command/v1').map((entry) => entry.status)).toEqual([502, 502]);
	});

	it('keeps the session of a get: the file it uploads is listed and downloaded under that session', async () => {
		const { windows } = hosts(sim);
		const result = await run(sim, {
			...runAndWait(windows.aid, 'get C:\\Windows\\Temp\\dropper.exe'),
			commandTier: 'activeResponder',
		});
		expect(result.error).toBeUndefined();
		const [got] = result.items.map((item) => item.json);
		expect(got).toMatchObject({ status: 'success', session_kept: true });
		forgetKept(String(got.session_id));
		expect(requests(sim, 'DELETE', '/entities/sessions/v1')).toEqual([]);
		const files = await run(sim, { resource: 'file', operation: 'getAll', sessionId: String(got.session_id) });
		expect(files.error).toBeUndefined();
		expect(files.items.map((item) => item.json.name)).toEqual([expect.stringContaining('dropper.exe')]);
	});

	it('ends the session of a get that found no file: nothing was uploaded under it', async () => {
		const { windows } = hosts(sim);
		const result = await run(sim, {
			...runAndWait(windows.aid, 'get C:\\Windows\\Temp\\missing.exe'),
			commandTier: 'activeResponder',
		});
		expect(result.error).toBeUndefined();
		const [got] = result.items.map((item) => item.json);
		expect(got).toMatchObject({ status: 'stderr', session_kept: false });
		expect(requests(sim, 'DELETE', '/entities/sessions/v1').map((entry) => entry.query.session_id)).toEqual([got.session_id]);
	});

	it('leaves alone a session that was open before it ran (Falcon hands back the caller\'s own session on the host)', async () => {
		// Sessions here live for Falcon's 10 idle minutes, not the 2 s of the shared simulator.
		const own = await startRtrSimulator({ outputChunkSize: 100 });
		try {
			const { windows } = hosts(own);
			const started = await run(own, { resource: 'session', operation: 'start', hostId: windows.aid, options: {} });
			expect(started.error).toBeUndefined();
			const sessionId = started.items[0].json.session_id as string;
			// Started here for later steps: a run at once, handed the seconds-old session, leaves it open.
			const atOnce = await run(own, runAndWait(windows.aid, 'ps'));
			expect(atOnce.items[0].json).toMatchObject({ status: 'success', session_id: sessionId, session_kept: true });
			expect(requests(own, 'DELETE', '/entities/sessions/v1')).toEqual([]);
			// Started by another process (queue mode's other worker): recognised by its age, older than the 5 s
			// allowed for the two clocks' difference. Falcon's clock is read from its Date header, whole seconds: the
			// wait leaves more than that second of margin.
			forgetKept(sessionId);
			await sleep(6_500);
			const result = await run(own, runAndWait(windows.aid, 'ps'));
			expect(result.items[0].json).toMatchObject({ status: 'success', session_id: sessionId, session_reused: true, session_kept: true });
			expect(requests(own, 'DELETE', '/entities/sessions/v1')).toEqual([]);
			// A session this run opened is still deleted after it.
			const fresh = await run(own, runAndWait(hosts(own).linux.aid, 'ps'));
			expect(fresh.items[0].json).toMatchObject({ status: 'success', session_reused: false, session_kept: false });
			expect(requests(own, 'DELETE', '/entities/sessions/v1').map((entry) => entry.status)).toEqual([204]);
		} finally {
			await own.close();
		}
	}, 30_000);

	it('two executions on one host at once share Falcon\'s session: the first to finish leaves it to the other, the last deletes it', async () => {
		// Sessions here live for Falcon's 10 idle minutes, not the 2 s of the shared simulator.
		const own = await startRtrSimulator({ outputChunkSize: 100 });
		try {
			const { linux } = hosts(own);
			own.setFaults({ neverCompleteCommands: ['netstat'] });
			// Two detections on one host, an execution each: Falcon hands both the same session.
			const [quick, slow] = await Promise.all([
				run(own, runAndWait(linux.aid, 'ps')),
				run(own, runAndWait(linux.aid, 'netstat', { deadlineSeconds: 3.5, pollIntervalSeconds: 0.3 })),
			]);
			const [first, last] = [quick.items[0].json, slow.items[0].json];
			expect(first.session_id).toBe(last.session_id);
			// Before, the quick one deleted the session under the slow one, whose own delete then found none (404).
			expect(first).toMatchObject({ status: 'success', session_kept: true });
			expect(last).toMatchObject({ status: 'timeout', session_kept: false, session_reused: true });
			expect(last.session_cleanup_error).toBeUndefined();
			expect(requests(own, 'DELETE', '/entities/sessions/v1').map((entry) => entry.status)).toEqual([204]);
			// Each counted the other's use, and nothing of them is left: a later run opens and deletes a session as ever.
			const after = await run(own, runAndWait(linux.aid, 'ps'));
			expect(after.items[0].json).toMatchObject({ status: 'success', session_reused: false, session_kept: false });
			expect(after.items[0].json.session_id).not.toBe(first.session_id);
		} finally {
			await own.close();
		}
	});

	it('with Continue On Fail, a host that got no session still says which host and how, as every RTR result does', async () => {
		const { windows, offline } = hosts(sim);
		const unknown = '0123456789abcdef0123456789abcdef';
		const { items } = await run(sim, runAndWait('={{ $json.aid }}', 'ps'), {
			continueOnFail: true,
			input: [windows.aid, offline.aid, unknown].map((aid) => ({ json: { aid } })),
		});
		expect(items.map((item) => [item.json.host_id, item.json.status, item.pairedItem])).toEqual([
			[windows.aid, 'success', { item: 0 }],
			[offline.aid, 'api_error', { item: 1 }],
			[unknown, 'not_found', { item: 2 }],
		]);
		expect(items[1].json.error).toContain('40401');
	});

	// What the node's Session → Delete (and its AI gating) is about: the queued command goes with the session.
	it('a session deleted while its command waits for the offline host takes the command with it: it never runs', async () => {
		const { offline } = hosts(sim);
		const queued = await run(sim, { ...runAndWait(offline.aid, 'ps'), options: { queueOffline: true } });
		const { session_id: sessionId, cloud_request_id: cloudRequestId, status } = queued.items[0].json as Record<string, string>;
		expect(status).toBe('offline_queued');
		expect((await run(sim, { resource: 'session', operation: 'delete', sessionId })).error).toBeUndefined();
		const after = await run(sim, { resource: 'queuedCommand', operation: 'get', sessionIds: sessionId });
		expect(after.items[0].json).toMatchObject({ id: sessionId, deleted_at: expect.any(String), Commands: [expect.objectContaining({ cloud_request_id: cloudRequestId, status: 'Canceled' })] });
		sim.setFaults({ onlineHosts: [offline.aid] });
		try {
			const read = await run(sim, { resource: 'command', operation: 'getStatus', cloudRequestId, sequenceId: 0 });
			expect(read.items[0].json).toMatchObject({ complete: false });
		} finally {
			sim.setFaults({ onlineHosts: [] });
		}
	});

	it('stops at the deadline for a command that never completes, reports timeout and still deletes the session', async () => {
		const { linux } = hosts(sim);
		sim.setFaults({ neverCompleteCommands: ['netstat'] });
		const started = Date.now();
		const { items, error } = await run(sim, runAndWait(linux.aid, 'netstat', { deadlineSeconds: 1.5, pollIntervalSeconds: 0.3 }));
		const took = Date.now() - started;
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ status: 'timeout', complete: false, stdout: '' });
		expect(took).toBeGreaterThanOrEqual(1400);
		expect(took).toBeLessThan(6000);
		expect(requests(sim, 'DELETE', '/entities/sessions/v1').map((entry) => entry.status)).toEqual([204]);
	});

	it('a status read that keeps failing after the command was sent gives an api_error item with the command\'s IDs, not a lost run', async () => {
		const { mac } = hosts(sim);
		// The command goes through; every try of every status read after it, until the deadline, gets a 500.
		sim.setFaults({ serverErrors: [{ pathPrefix: '/real-time-response/entities/command/v1', after: 1, count: 1_000_000, status: 500 }] });
		const { items, error } = await run(sim, runAndWait(mac.aid, 'ls /', { deadlineSeconds: 5 }));
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			status: 'api_error',
			cloud_request_id: expect.any(String),
			session_id: expect.any(String),
			error: { code: 500, message: expect.stringMatching(/^Falcon API error 500/), trace_id: expect.any(String) },
		});
		expect(requests(sim, 'POST', '/entities/command/v1').map((entry) => entry.status)).toEqual([201]);
	});

	it('waits out a status endpoint outage longer than the transport\'s retries, within the deadline, and returns the output', async () => {
		const { mac } = hosts(sim);
		// Two whole status reads (three tries each) get a 500; the third read is answered.
		sim.setFaults({ serverErrors: [{ pathPrefix: '/real-time-response/entities/command/v1', after: 1, count: 6, status: 500 }] });
		const { items, error } = await run(sim, runAndWait(mac.aid, 'ls /', { deadlineSeconds: 30 }));
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ status: 'success', complete: true });
		const polls = requests(sim, 'GET', '/entities/command/v1').map((entry) => entry.status);
		expect(polls.slice(0, 6)).toEqual([500, 500, 500, 500, 500, 500]);
		expect(polls[polls.length - 1]).toBe(200);
	}, 60_000);

	it('a cancelled execution stops waiting out a status endpoint outage at once, not after the pause under way', async () => {
		const { mac } = hosts(sim);
		// The command goes through; every try of every status read gets a 500. After five reads (3 tries each) the pause
		// before the sixth is 4 s (pauses double from 250 ms up to the poll interval).
		sim.setFaults({ serverErrors: [{ pathPrefix: '/real-time-response/entities/command/v1', after: 1, count: 1_000_000, status: 500 }] });
		let cancelledAt = 0;
		const cancel = (async () => {
			await answered(sim, 'GET', '/entities/command/v1', 5 * 3, 30_000);
			await sleep(200);
			cancelledAt = Date.now();
		})();
		const { run: execution } = await run(sim, runAndWait(mac.aid, 'ls /', { deadlineSeconds: 60, pollIntervalSeconds: 60 }), { cancelWhen: cancel });
		expect(execution.status).toBe('canceled');
		expect(Date.now() - cancelledAt).toBeLessThan(1_500);
		expect(requests(sim, 'GET', '/entities/command/v1')).toHaveLength(5 * 3);
	}, 90_000);

	it('a cancelled execution still deletes the session it opened', async () => {
		// Sessions here live for Falcon's 10 idle minutes, not the 2 s of the shared simulator.
		const own = await startRtrSimulator({ outputChunkSize: 100 });
		try {
			const { windows } = hosts(own);
			own.setFaults({ neverCompleteCommands: ['netstat'] });
			const cancel = answered(own, 'GET', '/entities/command/v1', 2, 30_000);
			const { run: execution } = await run(own, runAndWait(windows.aid, 'netstat', { deadlineSeconds: 60, pollIntervalSeconds: 0.3 }), {
				cancelWhen: cancel,
			});
			expect(execution.status).toBe('canceled');
			// n8n aborts its own authenticated requests with the execution: the DELETE goes on a token of the node's own.
			expect(requests(own, 'DELETE', '/entities/sessions/v1').map((entry) => entry.status)).toEqual([204]);
		} finally {
			await own.close();
		}
	}, 30_000);

	it('rides out a 429 while polling: waits as told and returns the output', async () => {
		const { mac } = hosts(sim);
		const running = run(sim, runAndWait(mac.aid, 'ls /', {}));
		await answered(sim, 'POST', '/entities/command/v1');
		sim.setFaults({ rateLimitNext: 1 });
		const { items, error } = await running;
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ status: 'success', complete: true });
		const polls = requests(sim, 'GET', '/entities/command/v1').map((entry) => entry.status);
		expect(polls).toContain(429);
		expect(polls[polls.length - 1]).toBe(200);
	});

	it('Session Get Many filtered by Host ID lists that host\'s sessions only', async () => {
		const { windows, linux } = hosts(sim);
		const onWindows = await run(sim, { resource: 'session', operation: 'start', hostId: windows.aid, options: {} });
		await run(sim, { resource: 'session', operation: 'start', hostId: linux.aid, options: {} });
		const { items, error } = await run(sim, { resource: 'session', operation: 'getAll', returnAll: true, filters: { hostId: windows.aid }, options: {} });
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.id)).toEqual([onWindows.items[0].json.session_id]);
		expect(items[0].json.device_id).toBe(windows.aid);
	});

	it('refuses a session given with Use Session ID that is on another host, before running anything', async () => {
		const { windows, linux } = hosts(sim);
		const started = await run(sim, { resource: 'session', operation: 'start', hostId: windows.aid, options: {} });
		const sessionId = String(started.items[0].json.session_id);
		const result = await run(sim, runAndWait(linux.aid, 'ps', { sessionId }));
		expect(result.error?.message).toBe(`Session ${sessionId} is on host ${windows.aid}, not on the host given (${linux.aid})`);
		expect(requests(sim, 'POST', '/entities/command/v1')).toEqual([]);
	});

	it('refuses a session given with Use Session ID that has ended (Falcon still lists it), before running anything', async () => {
		const { windows } = hosts(sim);
		const started = await run(sim, { resource: 'session', operation: 'start', hostId: windows.aid, options: {} });
		const sessionId = String(started.items[0].json.session_id);
		await run(sim, { resource: 'session', operation: 'delete', sessionId });
		const result = await run(sim, runAndWait(windows.aid, 'ps', { sessionId }));
		expect(result.error?.message).toBe(`Falcon has no session ${sessionId} (it ended, or expired after 10 idle minutes)`);
		expect(result.error?.description).toContain('Nothing was run');
		expect(requests(sim, 'POST', '/entities/command/v1')).toEqual([]);
	});

	it('keeps the session alive past its idle expiry while it waits', async () => {
		const { windows } = hosts(sim);
		sim.setFaults({ neverCompleteCommands: ['env'] });
		const { items } = await run(sim, runAndWait(windows.aid, 'env', { deadlineSeconds: 4.5, keepAliveSeconds: 1, keepSession: true }));
		expect(items[0].json).toMatchObject({ status: 'timeout', session_kept: true });
		expect(requests(sim, 'POST', '/entities/refresh-session/v1').length).toBeGreaterThanOrEqual(3);
		// 4.5 s of waiting on a session that expires after 2 s idle: still usable afterwards.
		const again = await run(sim, runAndWait(windows.aid, 'ls', { sessionId: items[0].json.session_id }));
		expect(again.items[0].json).toMatchObject({ status: 'success', session_id: items[0].json.session_id });
	});

	it('queues the command for an offline host and returns at once', async () => {
		const { offline } = hosts(sim);
		const { items } = await run(sim, runAndWait(offline.aid, 'ps', { queueOffline: true }));
		expect(items[0].json).toMatchObject({ status: 'offline_queued', offline_queued: true, session_kept: true });
		expect(requests(sim, 'GET', '/entities/command/v1')).toHaveLength(0);
	});

	it('reports an offline host without queueing as a Falcon error', async () => {
		const { offline } = hosts(sim);
		const { items } = await run(sim, runAndWait(offline.aid, 'ps'), { continueOnFail: true });
		expect(items[0].json.error).toBe('Falcon API error 404: 40401: Could not establish sensor comms');
	});
});
