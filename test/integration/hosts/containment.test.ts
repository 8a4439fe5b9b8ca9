import type { INodeParameters } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { RunningSimulator } from '../../../simulator';
import { answered, byId, DEVICES, hostState, items, json, requests, roles, runHosts, startHostsSimulator } from './helpers';

let sim: RunningSimulator;

beforeAll(async () => {
	sim = await startHostsSimulator();
});
afterAll(async () => await sim.close());
beforeEach(() => sim.reset());

const fromItems = byId('={{ $json.host }}');
const contain = (options: INodeParameters = {}, hostId: unknown = fromItems): INodeParameters => ({
	resource: 'host',
	operation: 'contain',
	hostId: hostId as INodeParameters[string],
	options,
});
const lift = (options: INodeParameters = {}, hostId: unknown = fromItems): INodeParameters => ({
	resource: 'host',
	operation: 'liftContainment',
	hostId: hostId as INodeParameters[string],
	options,
});
const waitFor = (deadlineSeconds = 10): INodeParameters => ({ wait: true, deadlineSeconds, pollIntervalSeconds: 0.5 });

const actionRequests = (actionName?: string) =>
	requests(sim, 'POST', DEVICES.action).filter((entry) => actionName === undefined || entry.query.action_name === actionName);

/** Contains the hosts and waits until the simulator reports them contained. */
async function containAndSettle(...aids: string[]): Promise<void> {
	const { error } = await runHosts(sim, contain(waitFor()), { input: items(aids) });
	expect(error).toBeUndefined();
	for (const aid of aids) expect(hostState(sim, aid).status).toBe('contained');
}

describe('Host > Contain through the containment state machine', () => {
	it('Wait Until Contained: one item per host, the same host named twice is contained once, in one PerformActionV2 call', async () => {
		const { windows, linux } = roles(sim);
		const started = Date.now();
		const result = await runHosts(sim, contain(waitFor()), {
			input: items([windows.aid, linux.aid, windows.aid.toUpperCase()]),
		});
		expect(result.error).toBeUndefined();
		// containmentDelayMs is 400: the node must have waited for the pending state to end.
		expect(Date.now() - started).toBeGreaterThanOrEqual(350);

		expect(json(result.items)).toEqual([
			expect.objectContaining({
				host_id: windows.aid,
				hostname: windows.hostname,
				platform_name: 'Windows',
				action: 'contain',
				status_before: 'normal',
				status_after: 'contained',
				result: 'contained',
			}),
			expect.objectContaining({
				host_id: linux.aid,
				hostname: linux.hostname,
				platform_name: 'Linux',
				action: 'contain',
				status_before: 'normal',
				status_after: 'contained',
				result: 'contained',
			}),
		]);
		expect(result.items.map((item) => item.pairedItem)).toEqual([[{ item: 0 }, { item: 2 }], { item: 1 }]);
		expect(json(result.items).every((host) => host.error === undefined)).toBe(true);

		const actions = actionRequests();
		expect(actions).toHaveLength(1);
		expect(actions[0]).toMatchObject({ query: { action_name: 'contain' }, body: { ids: [windows.aid, linux.aid] }, status: 202 });
		expect(hostState(sim, windows.aid).status).toBe('contained');
		expect(hostState(sim, linux.aid).status).toBe('contained');
		// Every other host is untouched.
		const others = sim.state().hosts.filter((host) => ![windows.aid, linux.aid].includes(host.device_id));
		expect(others.every((host) => host.status === 'normal')).toBe(true);
	});

	it('without waiting reports containment_pending, and the simulator completes it after the delay', async () => {
		const { mac } = roles(sim);
		const { items: output, error } = await runHosts(sim, contain({}, byId(mac.aid)));
		expect(error).toBeUndefined();
		expect(json(output)).toEqual([
			expect.objectContaining({ host_id: mac.aid, status_before: 'normal', status_after: 'containment_pending', result: 'containment_pending' }),
		]);
		expect(hostState(sim, mac.aid).status).toBe('containment_pending');
		await sleep(500);
		expect(hostState(sim, mac.aid).status).toBe('contained');
	});

	it('an offline host stays containment_pending past a short deadline (no error), and is contained once it comes back online', async () => {
		const { offlineWindows } = roles(sim);
		expect(hostState(sim, offlineWindows.aid).online).toBe(false);
		const started = Date.now();
		const result = await runHosts(sim, contain(waitFor(1), byId(offlineWindows.aid)));
		const took = Date.now() - started;
		expect(result.error).toBeUndefined();
		expect(json(result.items)).toEqual([
			expect.objectContaining({
				host_id: offlineWindows.aid,
				status_before: 'normal',
				status_after: 'containment_pending',
				result: 'containment_pending',
			}),
		]);
		expect(result.items[0].json.error).toBeUndefined();
		expect(took).toBeGreaterThanOrEqual(950);
		expect(took).toBeLessThan(5000);
		expect(actionRequests('contain')).toHaveLength(1);
		expect(hostState(sim, offlineWindows.aid).status).toBe('containment_pending');

		sim.setFaults({ onlineHosts: [offlineWindows.aid] });
		expect(hostState(sim, offlineWindows.aid)).toMatchObject({ online: true, status: 'contained' });

		// Containing it again is a no-op the node reports as such.
		const again = await runHosts(sim, contain({}, byId(offlineWindows.aid)));
		expect(json(again.items)).toEqual([
			expect.objectContaining({ status_before: 'contained', status_after: 'contained', result: 'already_contained' }),
		]);
		expect(actionRequests('contain')).toHaveLength(1);
	});

	it("items whose options differ are all contained first, then waited for together: no host waits for another item's deadline", async () => {
		const { offlineWindows, linux } = roles(sim);
		const started = Date.now();
		const result = await runHosts(
			sim,
			contain({ wait: '={{ $json.wait }}', deadlineSeconds: 3, pollIntervalSeconds: 0.5 }),
			{ input: [{ json: { host: offlineWindows.aid, wait: true } }, { json: { host: linux.aid, wait: false } }] },
		);
		const took = Date.now() - started;
		expect(result.error).toBeUndefined();
		expect(json(result.items).map((item) => [item.host_id, item.result])).toEqual([
			[offlineWindows.aid, 'containment_pending'],
			[linux.aid, 'containment_pending'],
		]);
		// Two groups, two calls: the second went out before the first group's 3 s deadline, not after it.
		const calls = actionRequests('contain').map((entry) => Date.parse(entry.time) - started);
		expect(calls).toHaveLength(2);
		expect(Math.max(...calls)).toBeLessThan(1500);
		expect(took).toBeGreaterThanOrEqual(2900);
		expect(took).toBeLessThan(5000);
	});

	it('a cancelled execution ends Wait Until Contained at once, not after the poll interval under way', async () => {
		const { offlineWindows } = roles(sim);
		let cancelledAt = 0;
		// The read before the action and the first read after it; then a 30 s pause.
		const cancel = (async () => {
			const until = Date.now() + 30_000;
			while (requests(sim, 'POST', DEVICES.details).length < 2 && Date.now() < until) await sleep(5);
			await sleep(200);
			cancelledAt = Date.now();
		})();
		const { run: execution } = await runHosts(sim, contain({ wait: true, deadlineSeconds: 120, pollIntervalSeconds: 30 }, byId(offlineWindows.aid)), {
			cancelWhen: cancel,
		});
		expect(execution.status).toBe('canceled');
		expect(Date.now() - cancelledAt).toBeLessThan(1_500);
		expect(requests(sim, 'POST', DEVICES.details)).toHaveLength(2);
		expect(actionRequests('contain')).toHaveLength(1);
	}, 60_000);

	it('Wait Until Contained sees an offline host finish as soon as it reconnects during the wait', async () => {
		const { offlineLinux } = roles(sim);
		const running = runHosts(sim, contain(waitFor(15), byId(offlineLinux.aid)));
		await answered(sim, 'POST', DEVICES.action);
		await sleep(700);
		expect(hostState(sim, offlineLinux.aid).status).toBe('containment_pending');
		sim.setFaults({ onlineHosts: [offlineLinux.aid] });
		const started = Date.now();
		const { items: output, error } = await running;
		expect(error).toBeUndefined();
		expect(json(output)).toEqual([
			expect.objectContaining({ host_id: offlineLinux.aid, status_before: 'normal', status_after: 'contained', result: 'contained' }),
		]);
		// Finished on the next poll, long before the 15 s deadline.
		expect(Date.now() - started).toBeLessThan(3000);
	});

	it('a host already contained is reported already_contained and not sent again; the others of the run are contained', async () => {
		const { windows, mac } = roles(sim);
		await containAndSettle(mac.aid);
		expect(actionRequests('contain')).toHaveLength(1);

		const { items: output, error } = await runHosts(sim, contain(waitFor()), { input: items([mac.aid, windows.aid]) });
		expect(error).toBeUndefined();
		expect(json(output)).toEqual([
			expect.objectContaining({ host_id: mac.aid, status_before: 'contained', status_after: 'contained', result: 'already_contained' }),
			expect.objectContaining({ host_id: windows.aid, status_before: 'normal', status_after: 'contained', result: 'contained' }),
		]);
		const contains = actionRequests('contain');
		expect(contains).toHaveLength(2);
		expect(contains[1].body).toEqual({ ids: [windows.aid] });
	});

	it('Lift Containment brings a contained host back to normal; lifting a normal host reports not_contained and sends nothing for it', async () => {
		const { linux, mac } = roles(sim);
		await containAndSettle(mac.aid);

		const lifted = await runHosts(sim, lift(waitFor()), { input: items([mac.aid, linux.aid]) });
		expect(lifted.error).toBeUndefined();
		expect(json(lifted.items)).toEqual([
			expect.objectContaining({ host_id: mac.aid, action: 'lift_containment', status_before: 'contained', status_after: 'normal', result: 'normal' }),
			expect.objectContaining({ host_id: linux.aid, action: 'lift_containment', status_before: 'normal', status_after: 'normal', result: 'not_contained' }),
		]);
		const lifts = actionRequests('lift_containment');
		expect(lifts).toHaveLength(1);
		expect(lifts[0].body).toEqual({ ids: [mac.aid] });
		expect(hostState(sim, mac.aid).status).toBe('normal');
		expect(hostState(sim, linux.aid).status).toBe('normal');

		// A normal host alone: nothing at all is sent.
		const before = actionRequests().length;
		const noop = await runHosts(sim, lift({}, byId(linux.aid)));
		expect(json(noop.items)).toEqual([expect.objectContaining({ result: 'not_contained', status_before: 'normal' })]);
		expect(actionRequests()).toHaveLength(before);
	});

	it('Lift Containment without waiting reports lift_containment_pending', async () => {
		const { windows } = roles(sim);
		await containAndSettle(windows.aid);
		const { items: output } = await runHosts(sim, lift({}, byId(windows.aid)));
		expect(json(output)).toEqual([
			expect.objectContaining({ status_before: 'contained', status_after: 'lift_containment_pending', result: 'lift_containment_pending' }),
		]);
		expect(hostState(sim, windows.aid).status).toBe('lift_containment_pending');
	});

	it("lifting while containment is still pending: Falcon's 409 becomes result failed for that host, not a failed run", async () => {
		const { offlineWindows } = roles(sim);
		await runHosts(sim, contain({}, byId(offlineWindows.aid)));
		expect(hostState(sim, offlineWindows.aid).status).toBe('containment_pending');
		const { items: output, error } = await runHosts(sim, lift({}, byId(offlineWindows.aid)));
		expect(error).toBeUndefined();
		expect(json(output)).toEqual([
			expect.objectContaining({
				host_id: offlineWindows.aid,
				status_before: 'containment_pending',
				result: 'failed',
				code: 409,
				error: expect.stringContaining('not contained'),
			}),
		]);
		expect(actionRequests('lift_containment').map((entry) => entry.status)).toEqual([409]);
		expect(hostState(sim, offlineWindows.aid).status).toBe('containment_pending');
	});

	it('a lift Falcon refuses for one host and accepts for another: failed and lifted side by side', async () => {
		const { windows, offlineLinux } = roles(sim);
		await containAndSettle(windows.aid);
		await runHosts(sim, contain({}, byId(offlineLinux.aid)));
		const { items: output, error } = await runHosts(sim, lift(waitFor()), { input: items([offlineLinux.aid, windows.aid]) });
		expect(error).toBeUndefined();
		expect(json(output)).toEqual([
			expect.objectContaining({ host_id: offlineLinux.aid, status_before: 'containment_pending', result: 'failed', code: 409 }),
			expect.objectContaining({ host_id: windows.aid, status_before: 'contained', status_after: 'normal', result: 'normal' }),
		]);
		expect(actionRequests('lift_containment').map((entry) => [entry.status, entry.body])).toEqual([[202, { ids: [offlineLinux.aid, windows.aid] }]]);
		expect(hostState(sim, windows.aid).status).toBe('normal');
		expect(hostState(sim, offlineLinux.aid).status).toBe('containment_pending');
	});

	it('an unknown host next to a known one is reported not_found and only the known host is sent', async () => {
		const { windows } = roles(sim);
		const unknown = 'deadbeefdeadbeefdeadbeefdeadbeef';
		const { items: output, error } = await runHosts(sim, contain(waitFor()), { input: items([unknown, windows.aid]) });
		expect(error).toBeUndefined();
		expect(json(output)).toEqual([
			{
				host_id: unknown,
				hostname: null,
				platform_name: null,
				action: 'contain',
				status_before: null,
				status_after: null,
				result: 'not_found',
				last_seen: null,
			},
			expect.objectContaining({ host_id: windows.aid, result: 'contained' }),
		]);
		expect(actionRequests().map((entry) => entry.body)).toEqual([{ ids: [windows.aid] }]);
	});

	it('a run that names only an unknown host reports not_found (Falcon answers the details read with 404)', async () => {
		const unknown = 'deadbeefdeadbeefdeadbeefdeadbeef';
		const result = await runHosts(sim, contain({}, byId(unknown)));
		// The simulator, like Falcon, answers PostDeviceDetailsV2 with HTTP 404 when none of the ids exists.
		expect(requests(sim, 'POST', DEVICES.details).map((entry) => entry.status)).toEqual([404]);
		expect(result.error).toBeUndefined();
		expect(json(result.items)).toEqual([expect.objectContaining({ host_id: unknown, result: 'not_found' })]);
		expect(actionRequests()).toHaveLength(0);
	});
});

describe('Host > Contain on more hosts than one PerformActionV2 call takes', () => {
	let big: RunningSimulator;

	beforeAll(async () => {
		big = await startHostsSimulator({ fleetSize: 130, containmentDelayMs: 0 });
	});
	afterAll(async () => await big.close());
	beforeEach(() => big.reset());

	it('130 hosts: one status read before and one after, actions in calls of at most 100, every host reported once as the simulator has it', async () => {
		const aids = big.fleet.map((host) => host.aid);
		const { items: output, error } = await runHosts(big, contain(), { input: items(aids) });
		expect(error).toBeUndefined();
		expect(output).toHaveLength(130);

		const reads = requests(big, 'POST', DEVICES.details);
		expect(reads.map((entry) => (entry.body as { ids: string[] }).ids.length)).toEqual([130, 130]);
		const actions = requests(big, 'POST', DEVICES.action);
		expect(actions.map((entry) => (entry.body as { ids: string[] }).ids.length)).toEqual([100, 30]);
		expect(actions.map((entry) => entry.status)).toEqual([202, 202]);

		const state = new Map(big.state().hosts.map((host) => [host.device_id, host]));
		for (const { json: host } of output) {
			const simulated = state.get(String(host.host_id))!;
			// Zero delay: online hosts are contained at once; offline ones wait for their sensor.
			expect([host.host_id, host.status_after, host.result]).toEqual([
				simulated.device_id,
				simulated.status,
				simulated.online ? 'contained' : 'containment_pending',
			]);
		}
		expect(new Set(output.map((item) => item.json.host_id)).size).toBe(130);
	});

	it('a second call Falcon refuses fails only its own 30 hosts, with its status, message and trace id; the first 100 are reported as carried out', async () => {
		const aids = big.fleet.map((host) => host.aid);
		big.setFaults({ serverErrors: [{ pathPrefix: DEVICES.action, after: 1, count: 1, status: 500 }] });
		const { items: output, error } = await runHosts(big, contain(), { input: items(aids) });
		expect(error).toBeUndefined();
		expect(output).toHaveLength(130);

		const actions = requests(big, 'POST', DEVICES.action);
		expect(actions.map((entry) => entry.status)).toEqual([202, 500]);
		const refused = new Set((actions[1].body as { ids: string[] }).ids);
		const state = new Map(big.state().hosts.map((host) => [host.device_id, host]));
		for (const { json: host } of output) {
			const simulated = state.get(String(host.host_id))!;
			if (refused.has(String(host.host_id))) {
				expect(host).toMatchObject({ result: 'failed', code: 500, error: expect.stringMatching(/^Falcon API error 500: /) });
				expect(host.trace_id).toEqual(expect.any(String));
				expect(simulated.status).toBe('normal');
			} else {
				expect(host.result).toBe(simulated.online ? 'contained' : 'containment_pending');
				expect(host).not.toHaveProperty('error');
			}
		}
		expect(output.filter((item) => item.json.result === 'failed')).toHaveLength(30);
	});
});
