import type { FleetHost, RunningSimulator } from '../../simulator';
import { delay } from '../../simulator/timers';
import { connect, expectEnvelope, UUID, waitFor, withSimulator, type Client, type Json } from './helpers';

const RTR = '/real-time-response';
const CHUNK = 400;
// Long enough for a loaded machine to read a command before it completes.
const COMPLETE_MS = 600;

describe('simulator: Real Time Response', () => {
	let sim: RunningSimulator;
	let client: Client;
	let windows: FleetHost;
	let linux: FleetHost;
	let offline: FleetHost;

	beforeAll(async () => {
		sim = await withSimulator({ commandCompleteAfterMs: COMPLETE_MS, fileUploadAfterMs: 100, outputChunkSize: CHUNK });
		windows = sim.fleet.find((h) => h.platform === 'Windows' && h.online) as FleetHost;
		linux = sim.fleet.find((h) => h.platform === 'Linux' && h.online) as FleetHost;
		offline = sim.fleet.find((h) => !h.online) as FleetHost;
	});
	afterAll(() => sim.close());
	beforeEach(async () => {
		sim.reset();
		client = await connect(sim);
	});

	async function openSession(aid: string, queueOffline = false): Promise<Json> {
		const res = await client.json('POST', `${RTR}/entities/sessions/v1`, { device_id: aid, queue_offline: queueOffline });
		expect(res.status).toBe(201);
		return res.body.resources[0];
	}

	async function run(sessionId: string, tier: 'command' | 'active-responder-command', line: string) {
		const base = line.startsWith('reg ') ? line.split(' ').slice(0, 2).join(' ') : line.split(' ')[0];
		return client.json('POST', `${RTR}/entities/${tier}/v1`, { session_id: sessionId, base_command: base, command_string: line });
	}

	async function status(tier: string, id: string, sequence: number): Promise<Json> {
		return (await client.json('GET', `${RTR}/entities/${tier}/v1?cloud_request_id=${id}&sequence_id=${sequence}`)).body;
	}

	/** Polls until the command completed and returns its chunk 0. */
	async function completed(tier: string, id: string): Promise<Json> {
		return waitFor(async () => {
			const resource = (await status(tier, id, 0)).resources[0];
			return resource.complete ? resource : undefined;
		});
	}

	it('fleet exposes 32-hex aids on all three platforms with some hosts offline', () => {
		expect(sim.fleet.every((h) => /^[0-9a-f]{32}$/.test(h.aid))).toBe(true);
		expect(new Set(sim.fleet.map((h) => h.platform))).toEqual(new Set(['Windows', 'Linux', 'Mac']));
		expect(sim.fleet.some((h) => !h.online)).toBe(true);
	});

	it('runs a command in a session, reports complete after the delay, and serves long output in sequence_id chunks', async () => {
		const session = await openSession(windows.aid);
		expect(session.session_id).toMatch(UUID);
		expect(session).toMatchObject({ device_id: windows.aid, offline_queued: false, platform: 'windows', pwd: 'C:\\' });

		const issued = await run(session.session_id, 'command', 'ps');
		expect(issued.status).toBe(201);
		expectEnvelope(issued.body);
		const id = issued.body.resources[0].cloud_request_id;
		expect(id).toMatch(UUID);

		const early = (await status('command', id, 0)).resources[0];
		expect(early).toMatchObject({ complete: false, stdout: '', task_id: id, base_command: 'ps', session_id: session.session_id });

		await completed('command', id);
		let sequence = 0;
		const chunks: string[] = [];
		for (;;) {
			const chunk = (await status('command', id, sequence)).resources[0];
			expect(chunk.complete).toBe(true);
			expect(chunk.stdout.length).toBeLessThanOrEqual(CHUNK);
			chunks.push(chunk.stdout);
			if (chunk.sequence_id === sequence) break;
			expect(chunk.sequence_id).toBe(sequence + 1);
			sequence = chunk.sequence_id;
		}
		expect(chunks.length).toBeGreaterThan(2);
		const assembled = chunks.join('');
		expect(assembled).toContain('CSFalconService.exe');

		// The same command in a batch returns the whole output inline: it must equal the reassembled chunks.
		const batch = await client.json('POST', `${RTR}/combined/batch-init-session/v1`, { host_ids: [windows.aid] });
		const inline = await client.json('POST', `${RTR}/combined/batch-command/v1`, { batch_id: batch.body.batch_id, base_command: 'ps', command_string: 'ps' });
		expect(inline.body.combined.resources[windows.aid].stdout).toBe(assembled);
	});

	it('keeps cd state per session and produces platform-specific output', async () => {
		const win = await openSession(windows.aid);
		const lin = await openSession(linux.aid);
		const cd = await run(win.session_id, 'command', 'cd C:\\Windows');
		const lsWin = await run(win.session_id, 'command', 'ls');
		const regLinux = await run(lin.session_id, 'command', 'reg query HKLM\\Software');
		const lsLinux = await run(lin.session_id, 'command', 'ls /etc');
		expect((await completed('command', cd.body.resources[0].cloud_request_id)).stdout).toBe('C:\\Windows');
		const winOut = (await completed('command', lsWin.body.resources[0].cloud_request_id)).stdout;
		expect(winOut).toContain('Directory listing for C:\\Windows');
		const regOut = await completed('command', regLinux.body.resources[0].cloud_request_id);
		expect(regOut.stdout).toBe('');
		expect(regOut.stderr).toContain('not supported on Linux');
		expect((await completed('command', lsLinux.body.resources[0].cloud_request_id)).stdout).toContain('drwxr-xr-x');
		const listed = await client.json('POST', `${RTR}/entities/sessions/GET/v1`, { ids: [win.session_id] });
		expect(listed.body.resources[0]).toMatchObject({ id: win.session_id, device_id: windows.aid, hostname: windows.hostname, pwd: 'C:\\Windows' });
		expect(listed.body.resources[0].logs.map((l: Json) => l.command_string)).toEqual(['cd C:\\Windows', 'ls']);
	});

	it('validates commands per tier', async () => {
		const session = await openSession(linux.aid);
		const rmReadOnly = await run(session.session_id, 'command', 'rm /tmp/x');
		expect(rmReadOnly.status).toBe(400);
		expect(rmReadOnly.body.errors[0].message).toContain('active-responder');
		const rm = await run(session.session_id, 'active-responder-command', 'rm /tmp/x');
		expect(rm.status).toBe(201);
		expect((await run(session.session_id, 'active-responder-command', 'put evil.exe')).status).toBe(400);
		const mismatch = await client.json('POST', `${RTR}/entities/command/v1`, { session_id: session.session_id, base_command: 'ls', command_string: 'ps' });
		expect(mismatch.status).toBe(400);
		// The read-only status endpoint does not see active-responder commands; the AR one sees both.
		const arId = rm.body.resources[0].cloud_request_id;
		expect((await client.json('GET', `${RTR}/entities/command/v1?cloud_request_id=${arId}&sequence_id=0`)).status).toBe(404);
		expect((await client.json('GET', `${RTR}/entities/active-responder-command/v1?cloud_request_id=${arId}&sequence_id=0`)).status).toBe(200);
	});

	it('lists, pulses, deletes and queries sessions with FQL, sort, pagination and aggregates', async () => {
		const a = await openSession(windows.aid);
		// Sessions opened in the same millisecond tie on date_created, and the sort below must tell them apart.
		await delay(5);
		const b = await openSession(linux.aid);
		const again = await client.json('POST', `${RTR}/entities/refresh-session/v1`, { device_id: windows.aid });
		expect(again.status).toBe(201);
		expect(again.body.resources[0].session_id).toBe(a.session_id);
		const del = await client.call('DELETE', `${RTR}/entities/sessions/v1?session_id=${b.session_id}`);
		expect(del.status).toBe(204);
		const ids = async (params: Record<string, string>) =>
			(await client.json('GET', `${RTR}/queries/sessions/v1?${new URLSearchParams(params)}`)).body;
		expect((await ids({ filter: 'deleted_at:null' })).resources).toEqual([a.session_id]);
		expect((await ids({ filter: "user_id:'@me'+platform_name:'Linux'" })).resources).toEqual([b.session_id]);
		expect((await ids({ sort: 'date_created|desc' })).resources).toEqual([b.session_id, a.session_id]);
		const page = await ids({ sort: 'date_created|asc', offset: '1', limit: '1' });
		expect(page.resources).toEqual([b.session_id]);
		expect(page.meta.pagination).toEqual({ offset: 1, limit: 1, total: 2 });
		const agg = await client.json('POST', `${RTR}/aggregates/sessions/GET/v1`, [{ name: 'by_platform', type: 'term', field: 'platform_name', size: 10 }]);
		expect(agg.body.resources[0].name).toBe('by_platform');
		expect(agg.body.resources[0].buckets).toEqual(expect.arrayContaining([{ label: 'Windows', count: 1 }, { label: 'Linux', count: 1 }]));
		expect((await client.json('POST', `${RTR}/aggregates/sessions/GET/v1`, [{ type: 'term', field: 'nope' }])).status).toBe(400);
		expect((await client.json('POST', `${RTR}/entities/command/v1`, { session_id: b.session_id, base_command: 'ls', command_string: 'ls' })).status).toBe(404);
	});

	it('expires idle sessions', async () => {
		// Each step stays well inside the idle time, so a loaded machine's pauses cannot expire the session early.
		const quick = await withSimulator({ sessionIdleSeconds: 2, commandCompleteAfterMs: 10 });
		try {
			const c = await connect(quick);
			const host = quick.fleet.find((h) => h.online) as FleetHost;
			const s = (await c.json('POST', `${RTR}/entities/sessions/v1`, { device_id: host.aid })).body.resources[0];
			await delay(1_000);
			await c.json('POST', `${RTR}/entities/refresh-session/v1`, { device_id: host.aid });
			await delay(1_000);
			expect((await c.json('POST', `${RTR}/entities/command/v1`, { session_id: s.session_id, base_command: 'ls', command_string: 'ls' })).status).toBe(201);
			await delay(2_300);
			const expired = await c.json('POST', `${RTR}/entities/command/v1`, { session_id: s.session_id, base_command: 'ls', command_string: 'ls' });
			expect(expired.status).toBe(404);
			const listed = await c.json('POST', `${RTR}/entities/sessions/GET/v1`, { ids: [s.session_id] });
			expect(listed.body.resources[0].deleted_at).not.toBeNull();
		} finally {
			await quick.close();
		}
	});

	it('refuses offline hosts with 40401 unless queue_offline, then queues commands that can be listed and cancelled', async () => {
		const refused = await client.json('POST', `${RTR}/entities/sessions/v1`, { device_id: offline.aid });
		expect(refused.status).toBe(404);
		expect(refused.body.errors[0]).toEqual({ code: 40401, message: 'Could not establish sensor comms' });

		const session = await openSession(offline.aid, true);
		expect(session.offline_queued).toBe(true);
		const first = await run(session.session_id, 'command', 'ls');
		const second = await run(session.session_id, 'active-responder-command', 'kill 4242');
		expect(first.body.resources[0].queued_command_offline).toBe(true);
		await delay(150);
		expect((await status('command', first.body.resources[0].cloud_request_id, 0)).resources[0].complete).toBe(false);

		const queued = await client.json('POST', `${RTR}/entities/queued-sessions/GET/v1`, { ids: [session.session_id] });
		expect(queued.body.resources[0]).toMatchObject({ id: session.session_id, aid: offline.aid });
		expect(queued.body.resources[0].Commands.map((c: Json) => c.status)).toEqual(['Pending', 'Pending']);

		const cancel = await client.json(
			'DELETE',
			`${RTR}/entities/queued-sessions/command/v1?session_id=${session.session_id}&cloud_request_id=${second.body.resources[0].cloud_request_id}`,
		);
		expect(cancel.status).toBe(200);
		const after = await client.json('POST', `${RTR}/entities/queued-sessions/GET/v1`, { ids: [session.session_id] });
		expect(after.body.resources[0].Commands.map((c: Json) => c.status)).toEqual(['Pending', 'Canceled']);
		expect(after.body.resources[0].Commands[1].deleted_at).not.toBeNull();
	});

	it('runs batches keyed by aid, with per-host errors, optional_hosts, refresh and hosts_to_remove', async () => {
		const unknown = 'a'.repeat(32);
		const init = await client.json('POST', `${RTR}/combined/batch-init-session/v1?timeout=30`, { host_ids: [windows.aid, linux.aid, offline.aid, unknown] });
		expect(init.status).toBe(201);
		expect(init.body.batch_id).toMatch(UUID);
		const hosts = init.body.resources;
		expect(Object.keys(hosts).sort()).toEqual([windows.aid, linux.aid, offline.aid, unknown].sort());
		expect(hosts[windows.aid]).toMatchObject({ aid: windows.aid, complete: true, errors: [] });
		expect(hosts[windows.aid].session_id).toMatch(UUID);
		expect(hosts[offline.aid].errors[0].code).toBe(40401);
		expect(hosts[unknown].errors[0].code).toBe(404);

		const started = Date.now();
		const cmd = await client.json('POST', `${RTR}/combined/batch-command/v1?timeout=30&host_timeout_duration=10s`, {
			batch_id: init.body.batch_id,
			base_command: 'ls',
			command_string: 'ls',
			optional_hosts: [linux.aid],
		});
		expect(Date.now() - started).toBeGreaterThanOrEqual(COMPLETE_MS - 10);
		expect(Object.keys(cmd.body.combined.resources)).toEqual([linux.aid]);
		const result = cmd.body.combined.resources[linux.aid];
		expect(result).toMatchObject({ aid: linux.aid, base_command: 'ls', complete: true, stderr: '', errors: [], offline_queued: false });
		expect(result.task_id).toMatch(UUID);
		expect(result.stdout).toContain('/:');

		const ar = await client.json('POST', `${RTR}/combined/batch-active-responder-command/v1`, { batch_id: init.body.batch_id, base_command: 'mkdir', command_string: 'mkdir /tmp/ir' });
		expect(ar.body.combined.resources[windows.aid].stdout).toContain('Created directory');
		const wrongTier = await client.json('POST', `${RTR}/combined/batch-command/v1`, { batch_id: init.body.batch_id, base_command: 'rm', command_string: 'rm /tmp/x' });
		expect(wrongTier.status).toBe(400);

		const refresh = await client.json('POST', `${RTR}/combined/batch-refresh-session/v1`, { batch_id: init.body.batch_id, hosts_to_remove: [linux.aid] });
		expect(refresh.status).toBe(201);
		expect(Object.keys(refresh.body.resources)).not.toContain(linux.aid);
		expect(refresh.body.resources[windows.aid]).toEqual({ aid: windows.aid, session_id: hosts[windows.aid].session_id, errors: [] });
		expect((await client.json('POST', `${RTR}/combined/batch-command/v1?timeout=601`, { batch_id: init.body.batch_id, base_command: 'ls', command_string: 'ls' })).status).toBe(400);
	});

	it('fault knobs: a host goes offline mid-batch and a command never completes', async () => {
		const init = await client.json('POST', `${RTR}/combined/batch-init-session/v1`, { host_ids: [windows.aid, linux.aid] });
		const batchId = init.body.batch_id;
		sim.setFaults({ offlineHosts: [linux.aid], neverCompleteHosts: [windows.aid] });
		const started = Date.now();
		const cmd = await client.json('POST', `${RTR}/combined/batch-command/v1?host_timeout_duration=300ms`, { batch_id: batchId, base_command: 'ls', command_string: 'ls' });
		expect(Date.now() - started).toBeGreaterThanOrEqual(290);
		const byHost = cmd.body.combined.resources;
		expect(byHost[linux.aid].errors[0]).toEqual({ code: 40401, message: 'Could not establish sensor comms' });
		expect(byHost[windows.aid].complete).toBe(false);
		expect(byHost[windows.aid].errors[0].message).toContain('host_timeout_duration');
		const stuck = byHost[windows.aid].task_id;
		await delay(200);
		expect((await status('command', stuck, 0)).resources[0].complete).toBe(false);

		sim.setFaults({ offlineHosts: [], neverCompleteHosts: [], neverCompleteCommands: ['netstat'] });
		const session = await openSession(linux.aid);
		const net = await run(session.session_id, 'command', 'netstat');
		const ls = await run(session.session_id, 'command', 'ls');
		await completed('command', ls.body.resources[0].cloud_request_id);
		expect((await status('command', net.body.resources[0].cloud_request_id, 0)).resources[0].complete).toBe(false);
	});
	it('refuses waits above the 5 minutes Falcon allows for one call, and more than 10,000 hosts in one batch session', async () => {
		const tooLong = await client.json('POST', `${RTR}/combined/batch-init-session/v1?timeout_duration=5m1s`, { host_ids: [windows.aid] });
		expect(tooLong.status).toBe(400);
		expect(tooLong.body.errors[0].message).toBe('Exceeded maximum timeout (300s)');
		const fiveMinutes = await client.json('POST', `${RTR}/combined/batch-init-session/v1?timeout=300`, { host_ids: [windows.aid] });
		expect(fiveMinutes.status).toBe(201);

		const aids = (from: number, count: number) => Array.from({ length: count }, (_, i) => (from + i).toString(16).padStart(32, '0'));
		const first = await client.json('POST', `${RTR}/combined/batch-init-session/v1`, { host_ids: aids(0, 9_999) });
		expect(first.status).toBe(201);
		const batchId = first.body.batch_id;
		const full = await client.json('POST', `${RTR}/combined/batch-init-session/v1`, { host_ids: aids(9_999, 1), existing_batch_id: batchId });
		expect(full.status).toBe(201);
		const over = await client.json('POST', `${RTR}/combined/batch-init-session/v1`, { host_ids: aids(10_000, 1), existing_batch_id: batchId });
		expect(over.status).toBe(400);
		expect(over.body.errors[0].message).toBe('a batch session holds at most 10000 hosts (this one would hold 10001)');
	});
});
