import { sleep } from 'n8n-workflow';

import type { RunningSimulator } from '../../../simulator';
import { answered, hosts, requests, run, startRtrSimulator } from './helpers';

let sim: RunningSimulator;

beforeAll(async () => {
	sim = await startRtrSimulator();
});
afterAll(async () => await sim.close());
beforeEach(() => sim.reset());

const UNKNOWN = '0123456789abcdef0123456789abcdef';
const runOnHosts = (hostIds: string, options: Record<string, unknown> = {}) => ({
	resource: 'batch',
	operation: 'runOnHosts',
	hostIds,
	commandTier: 'readOnly',
	baseCommand: 'ps',
	commandLine: 'ps',
	options: { pollIntervalSeconds: 0.2, deadlineSeconds: 20, ...options },
});

describe('Run on Hosts against the simulator', () => {
	it('returns one item per host, paired to the item that named it, with online, offline and unknown hosts', async () => {
		const { windows, linux, offline } = hosts(sim);
		const { items, error } = await run(sim, runOnHosts('={{ $json.hosts }}'), {
			input: [{ json: { hosts: `${windows.aid},${linux.aid}` } }, { json: { hosts: `${offline.aid}, ${UNKNOWN}` } }],
		});
		expect(error).toBeUndefined();
		expect(items.map((item) => [item.json.host_id, item.json.status, item.pairedItem])).toEqual([
			[windows.aid, 'success', { item: 0 }],
			[linux.aid, 'success', { item: 0 }],
			[offline.aid, 'api_error', { item: 1 }],
			[UNKNOWN, 'not_found', { item: 1 }],
		]);
		expect(items[0].json.stdout).toContain('CSFalconService.exe');
		// Falcon's per-host error, with the trace id of the answer that carried it.
		const [init] = requests(sim, 'POST', '/combined/batch-init-session/v1');
		expect(items[2].json.errors).toEqual([{ code: 40401, message: 'Could not establish sensor comms', trace_id: init.traceId }]);
		// One batch for both items.
		expect(requests(sim, 'POST', '/combined/batch-init-session/v1')).toHaveLength(1);
		expect(requests(sim, 'POST', '/combined/batch-command/v1')).toHaveLength(1);
	});

	it('a command call answered 502 after Falcon ran it is not sent again, and the error warns that running the execution again runs it again', async () => {
		const { windows, linux } = hosts(sim);
		sim.setFaults({ serverErrors: [{ pathPrefix: '/real-time-response/combined/batch-active-responder-command', count: 1, status: 502, afterActing: true }] });
		const parameters = {
			resource: 'batch',
			operation: 'runOnHosts',
			hostIds: `${windows.aid},${linux.aid}`,
			commandTier: 'activeResponder',
			baseCommand: 'kill',
			commandLine: 'kill 4242',
			options: { failWhen: '={{ $json.failWhen }}', deadlineSeconds: 10 },
		};
		const stopped = await run(sim, parameters, { input: [{ json: { failWhen: 'anyFailed' } }] });
		expect(stopped.error?.message).toMatch(/^2 of 2 hosts failed/);
		expect(stopped.error?.description).toMatch(/^2 hosts got the command \(2 still running it or unconfirmed; .*running the execution again runs it on them again/);
		expect(requests(sim, 'POST', '/combined/batch-active-responder-command/v1').map((entry) => entry.status)).toEqual([502]);
		sim.setFaults({ serverErrors: [{ pathPrefix: '/real-time-response/combined/batch-active-responder-command', count: 1, status: 502, afterActing: true }] });
		const reported = await run(sim, parameters, { input: [{ json: { failWhen: 'never' } }] });
		expect(reported.items.map((item) => [item.json.status, item.json.may_have_run])).toEqual([
			['api_error', true],
			['api_error', true],
		]);
		expect(String((reported.items[0].json.errors as Array<{ message: string }>)[0].message)).toContain('Falcon may have run the command');
	});

	it("sends one item's command while another item's host is slow to answer; one host's commands go in the items' order", async () => {
		const { windows, linux } = hosts(sim);
		sim.setFaults({ neverCompleteHosts: [linux.aid] });
		const startedAt = Date.now();
		const { items, error } = await run(
			sim,
			{
				resource: 'batch',
				operation: 'runOnHosts',
				hostIds: '={{ $json.aid }}',
				commandTier: 'activeResponder',
				baseCommand: 'kill',
				commandLine: '={{ "kill " + $json.pid }}',
				options: { deadlineSeconds: 5, pollIntervalSeconds: 0.5 },
			},
			{ input: [{ json: { aid: linux.aid, pid: 111 } }, { json: { aid: windows.aid, pid: 222 } }, { json: { aid: linux.aid, pid: 333 } }] },
		);
		expect(error).toBeUndefined();
		const sent = requests(sim, 'POST', '/combined/batch-active-responder-command/v1').map((entry) => ({
			at: Date.parse(entry.time) - startedAt,
			line: (entry.body as { command_string: string }).command_string,
		}));
		const at = (line: string) => sent.find((entry) => entry.line === line)!.at;
		// Falcon holds `kill 111` open while the slow host does not answer (the Deadline, 5 s, as its timeout).
		expect(at('kill 222') - at('kill 111')).toBeLessThan(2_500);
		// The slow host's second command waits for its first call: a host gets its commands in the items' order.
		expect(at('kill 333') - at('kill 111')).toBeGreaterThan(3_000);
		expect(items.map((item) => [item.json.command_string, item.pairedItem])).toEqual([
			['kill 111', { item: 0 }],
			['kill 222', { item: 1 }],
			['kill 333', { item: 2 }],
		]);
	});

	it('reports a host that went offline between starting the batch and running the command, the others succeed', async () => {
		const { windows, linux, mac } = hosts(sim);
		// Each answer is held back 400 ms, long enough to take Linux down once its session exists.
		sim.setFaults({ latencyMs: 400 });
		const running = run(sim, runOnHosts([windows.aid, linux.aid, mac.aid].join(',')));
		await answered(sim, 'POST', '/combined/batch-init-session/v1');
		sim.setFaults({ offlineHosts: [linux.aid] });
		const { items, error } = await running;
		expect(error).toBeUndefined();
		const byHost = Object.fromEntries(items.map((item) => [item.json.host_id, item.json]));
		expect(byHost[linux.aid]).toMatchObject({ status: 'api_error', errors: [{ code: 40401, message: 'Could not establish sensor comms' }] });
		expect(byHost[windows.aid].status).toBe('success');
		expect(byHost[mac.aid].status).toBe('success');
		expect(requests(sim, 'POST', '/combined/batch-init-session/v1')[0].body).toMatchObject({ host_ids: [windows.aid, linux.aid, mac.aid] });
	});

	it('keeps polling hosts Falcon stopped waiting for, until the command completes', async () => {
		const { windows, linux } = hosts(sim);
		const { items } = await run(sim, runOnHosts(`${windows.aid},${linux.aid}`, { hostTimeoutDuration: '100ms', timeout: 5 }));
		expect(items.map((item) => item.json.status)).toEqual(['success', 'success']);
		expect(requests(sim, 'GET', '/entities/command/v1').length).toBeGreaterThan(0);
	});

	it('waits out a status endpoint outage longer than the transport\'s retries, within the deadline, as Run and Wait does', async () => {
		const { windows, linux } = hosts(sim);
		// Falcon stops waiting for the hosts at once; then two whole status reads (three tries each) get a 500.
		sim.setFaults({ serverErrors: [{ pathPrefix: '/real-time-response/entities/command/v1', after: 0, count: 6, status: 500 }] });
		const { items, error } = await run(sim, runOnHosts(`${windows.aid},${linux.aid}`, { hostTimeoutDuration: '100ms', timeout: 5 }));
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.status)).toEqual(['success', 'success']);
		expect(requests(sim, 'GET', '/entities/command/v1').filter((entry) => entry.status === 500)).toHaveLength(6);
	});

	it('a cancelled execution stops waiting out a status endpoint outage at once, not after the pause under way', async () => {
		const { windows, linux } = hosts(sim);
		// Every status read gets a 500: four passes over both hosts (3 tries per read), after which the pause before the
		// fifth is 4 s (pauses double from 250 ms up to the poll interval).
		sim.setFaults({ serverErrors: [{ pathPrefix: '/real-time-response/entities/command/v1', after: 0, count: 1_000_000, status: 500 }] });
		let cancelledAt = 0;
		const cancel = (async () => {
			await answered(sim, 'GET', '/entities/command/v1', 4 * 2 * 3, 30_000);
			await sleep(200);
			cancelledAt = Date.now();
		})();
		const options = { hostTimeoutDuration: '100ms', timeout: 5, deadlineSeconds: 60, pollIntervalSeconds: 60 };
		const { run: execution } = await run(sim, runOnHosts(`${windows.aid},${linux.aid}`, options), { cancelWhen: cancel });
		expect(execution.status).toBe('canceled');
		expect(Date.now() - cancelledAt).toBeLessThan(1_500);
		expect(requests(sim, 'GET', '/entities/command/v1')).toHaveLength(4 * 2 * 3);
	}, 90_000);

	it('reports timeout for hosts still running at the deadline, and fails only when every host failed if asked', async () => {
		const { windows, linux } = hosts(sim);
		sim.setFaults({ neverCompleteHosts: [linux.aid] });
		const some = await run(sim, runOnHosts(`${windows.aid},${linux.aid}`, { hostTimeoutDuration: '200ms', timeout: 1, deadlineSeconds: 1, failWhen: 'allFailed' }));
		expect(some.error).toBeUndefined();
		expect(some.items.map((item) => item.json.status)).toEqual(['success', 'timeout']);

		const all = await run(sim, runOnHosts(linux.aid, { hostTimeoutDuration: '200ms', timeout: 1, deadlineSeconds: 1, failWhen: 'allFailed' }));
		expect(all.error?.message).toBe(`1 of 1 hosts failed (${linux.aid}: timeout)`);
	});

	it("judges each item's hosts by that item's own Fail When (an expression)", async () => {
		const { windows, offline } = hosts(sim);
		const input = (first: string, second: string) => [
			{ json: { hosts: offline.aid, failWhen: first } },
			{ json: { hosts: windows.aid, failWhen: second } },
		];
		const parameters = runOnHosts('={{ $json.hosts }}', { failWhen: '={{ $json.failWhen }}' });
		// Item 1 asks to fail when any of its hosts failed: its offline host fails the node, whatever item 0 asks.
		const strict = await run(sim, parameters, { input: input('anyFailed', 'never') });
		expect(strict.error?.message).toBe(`1 of 1 hosts failed (${offline.aid}: api_error)`);
		// Item 0 never fails the node: item 1's rule does not judge item 0's host.
		const lenient = await run(sim, parameters, { input: input('never', 'anyFailed') });
		expect(lenient.error).toBeUndefined();
		expect(lenient.items.map((item) => item.json.status)).toEqual(['api_error', 'success']);
	});

	it('says the hosts an Active Responder command already ran on would run it again, when Fail When stops the node', async () => {
		const { windows, offline } = hosts(sim);
		const { error } = await run(sim, {
			...runOnHosts(`${windows.aid},${offline.aid}`, { failWhen: 'anyFailed' }),
			commandTier: 'activeResponder',
			baseCommand: 'mkdir',
			commandLine: 'mkdir C:\\Temp\\ir',
		});
		expect(error?.message).toBe(`1 of 2 hosts failed (${offline.aid}: api_error)`);
		expect((error as { description?: string }).description).toMatch(/^1 host got the command \(offline ones .* running the execution again runs it on them again/);
	});

	it('counts the hosts still running an Active Responder command at the Deadline as having got it, when Fail When stops the node', async () => {
		const { windows, linux } = hosts(sim);
		sim.setFaults({ neverCompleteCommands: ['runscript'] });
		const { error, items } = await run(sim, {
			...runOnHosts(`${windows.aid},${linux.aid}`, { failWhen: 'allFailed', deadlineSeconds: 3, timeout: 1, hostTimeoutDuration: '500ms' }),
			commandTier: 'activeResponder',
			baseCommand: 'runscript',
			commandLine: 'runscript -Raw=```Remove-Item C:\\evil.exe```',
		});
		expect(items).toEqual([]);
		expect(error?.message).toBe(`2 of 2 hosts failed (${windows.aid}: timeout, ${linux.aid}: timeout)`);
		expect((error as { description?: string }).description).toMatch(/^2 hosts got the command \(2 still running it or unconfirmed; .* running the execution again runs it on them again/);
	});

	it('a Deadline shorter than Falcon\'s 30 s default wait bounds the calls too: an unresponsive host does not hold the node 30 s', async () => {
		const { windows, linux } = hosts(sim);
		sim.setFaults({ neverCompleteHosts: [linux.aid] });
		const startedAt = Date.now();
		const { items, error } = await run(sim, runOnHosts(`${windows.aid},${linux.aid}`, { deadlineSeconds: 4 }));
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.status)).toEqual(['success', 'timeout']);
		expect(Date.now() - startedAt).toBeLessThan(15_000);
		expect(requests(sim, 'POST', '/combined/batch-command/v1')[0].query).toMatchObject({ timeout: '4' });
	});

	it('chunks a large host list into one batch through existing_batch_id', async () => {
		const aids = sim.fleet.filter((host) => host.online).map((host) => host.aid);
		const { items } = await run(sim, runOnHosts(aids.join(','), { hostsPerRequest: 2 }));
		expect(items.map((item) => item.json.status)).toEqual(aids.map(() => 'success'));
		const inits = requests(sim, 'POST', '/combined/batch-init-session/v1');
		expect(inits).toHaveLength(Math.ceil(aids.length / 2));
		expect(new Set(items.map((item) => item.json.batch_id)).size).toBe(1);
		expect((inits[1].body as { existing_batch_id: string }).existing_batch_id).toBe(items[0].json.batch_id);
	});
	it('splits more than 10,000 hosts into several batch sessions (Falcon caps one at 10,000) and merges their results', async () => {
		const { windows } = hosts(sim);
		const strangers = Array.from({ length: 10_000 }, (_, i) => `e${(i + 1).toString(16).padStart(31, '0')}`);
		const { items, error } = await run(sim, runOnHosts([windows.aid, ...strangers].join(',')));
		expect(error).toBeUndefined();
		expect(items).toHaveLength(10_001);
		expect(items[0].json).toMatchObject({ host_id: windows.aid, status: 'success' });
		expect(new Set(items.slice(1).map((item) => item.json.status))).toEqual(new Set(['not_found']));
		const inits = requests(sim, 'POST', '/combined/batch-init-session/v1');
		// Two batch sessions opened (the other calls join one through existing_batch_id); Falcon refused none.
		expect(inits.filter((init) => !(init.body as { existing_batch_id?: string }).existing_batch_id)).toHaveLength(2);
		expect(inits.every((init) => init.status === 201)).toBe(true);
	});
});

describe('Run on Hosts with one command line per item', () => {
	let slow: RunningSimulator;
	beforeAll(async () => {
		slow = await startRtrSimulator({ commandCompleteAfterMs: 1_050 });
	});
	afterAll(async () => await slow.close());

	// Each batch command call is held for the 1 s host timeout: the first batch's Deadline must not run out while
	// the second is being sent, or its hosts would come out timeout without a single status read. The Deadline stays
	// below two host timeouts (a first read only after the second call would come too late), with room for a loaded
	// machine's slow reads after the commands complete.
	it('waits for each batch within its own Deadline, although the next batch was sent in between', async () => {
		const { windows, linux } = hosts(slow);
		const { items } = await run(
			slow,
			{
				...runOnHosts('={{ $json.host }}', { hostTimeoutDuration: '1s', timeoutDuration: '1500ms', deadlineSeconds: 1.9 }),
				commandLine: '={{ $json.command }}',
			},
			{ input: [{ json: { host: windows.aid, command: 'ps' } }, { json: { host: linux.aid, command: 'ps -x' } }] },
		);
		expect(items.map((item) => [item.json.host_id, item.json.status])).toEqual([
			[windows.aid, 'success'],
			[linux.aid, 'success'],
		]);
		expect(requests(slow, 'GET', '/entities/command/v1').length).toBeGreaterThan(0);
	});
});
