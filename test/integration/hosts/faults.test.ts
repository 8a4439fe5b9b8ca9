import type { INodeParameters } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { RunningSimulator } from '../../../simulator';
import { byId, DEVICES, hostState, items, json, requests, roles, runHosts, startHostsSimulator } from './helpers';

let sim: RunningSimulator;

beforeAll(async () => {
	sim = await startHostsSimulator();
});
afterAll(async () => await sim.close());
beforeEach(() => sim.reset());

const get = (hostIds: string): INodeParameters => ({ resource: 'host', operation: 'get', hostIds });
const contain = (options: INodeParameters = {}): INodeParameters => ({
	resource: 'host',
	operation: 'contain',
	hostId: byId('={{ $json.host }}'),
	options,
});
const statuses = (method: string, path: string) => requests(sim, method, path).map((entry) => entry.status);

describe('Host > Get against the simulator', () => {
	it('returns the records of the hosts asked for, as the simulator holds them', async () => {
		const { windows, offlineLinux } = roles(sim);
		const { items: output, error } = await runHosts(sim, get(`${windows.aid.toUpperCase()}, ${offlineLinux.aid}`));
		expect(error).toBeUndefined();
		expect(json(output)).toEqual([
			expect.objectContaining({ device_id: windows.aid, hostname: windows.hostname, status: 'normal', platform_name: 'Windows' }),
			expect.objectContaining({ device_id: offlineLinux.aid, hostname: offlineLinux.hostname, status: 'normal', platform_name: 'Linux' }),
		]);
		expect(requests(sim, 'POST', DEVICES.details)[0].body).toEqual({ ids: [windows.aid, offlineLinux.aid] });
	});
});

describe('Hosts under server faults', () => {
	it('Get is retried after a 503 on the details path and succeeds', async () => {
		const { mac } = roles(sim);
		sim.setFaults({ serverErrors: [{ pathPrefix: DEVICES.details, count: 2, status: 503 }] });
		const { items: output, error } = await runHosts(sim, get(mac.aid));
		expect(error).toBeUndefined();
		expect(json(output)).toEqual([expect.objectContaining({ device_id: mac.aid, hostname: mac.hostname })]);
		expect(statuses('POST', DEVICES.details)).toEqual([503, 503, 200]);
	});

	it('Get gives up after its retries with Falcon\'s status and trace id', async () => {
		const { mac } = roles(sim);
		sim.setFaults({ serverErrors: [{ pathPrefix: DEVICES.details, count: 5, status: 503 }] });
		const { error } = await runHosts(sim, get(mac.aid));
		expect(error?.httpCode).toBe('503');
		expect(error?.description).toMatch(/^POST \/devices\/entities\/devices\/v2 \| trace_id: \S+/);
		expect(statuses('POST', DEVICES.details)).toEqual([503, 503, 503]);
	});

	it('a 403 names the scope the operation needs', async () => {
		const { mac } = roles(sim);
		sim.setFaults({ serverErrors: [{ pathPrefix: DEVICES.details, count: 1, status: 403 }] });
		const { error } = await runHosts(sim, get(mac.aid));
		expect(error?.httpCode).toBe('403');
		expect(error?.message).toMatch(/^This operation needs the API scope 'Hosts: Read' on the API client\. Falcon API error 403: /);
		expect(statuses('POST', DEVICES.details)).toEqual([403]);
	});

	it('Contain is not repeated after a 503 on PerformActionV2 (not idempotent): the run fails, nothing is contained', async () => {
		const { windows, linux } = roles(sim);
		sim.setFaults({ serverErrors: [{ pathPrefix: DEVICES.action, count: 1, status: 503 }] });
		const { error } = await runHosts(sim, contain({ wait: true, deadlineSeconds: 5, pollIntervalSeconds: 0.5 }), {
			input: items([windows.aid, linux.aid]),
		});
		expect(error?.name).toBe('NodeApiError');
		expect(error?.httpCode).toBe('503');
		expect(statuses('POST', DEVICES.action)).toEqual([503]);
		expect(hostState(sim, windows.aid).status).toBe('normal');
		expect(hostState(sim, linux.aid).status).toBe('normal');
		// The fault is used up: running again contains both, in one more call.
		const again = await runHosts(sim, contain({ wait: true, deadlineSeconds: 5, pollIntervalSeconds: 0.5 }), {
			input: items([windows.aid, linux.aid]),
		});
		expect(json(again.items).map((host) => host.result)).toEqual(['contained', 'contained']);
		expect(statuses('POST', DEVICES.action)).toEqual([503, 202]);
	});

	it('a 503 sent after Falcon acted on the whole call does not fail the run: the hosts\' status shows the containment, and it is waited for', async () => {
		const { windows, linux } = roles(sim);
		sim.setFaults({ serverErrors: [{ pathPrefix: DEVICES.action, count: 1, status: 503, afterActing: true }] });
		const { items: output, error } = await runHosts(sim, contain({ wait: true, deadlineSeconds: 10, pollIntervalSeconds: 0.5 }), {
			input: items([windows.aid, linux.aid]),
		});
		expect(error).toBeUndefined();
		expect(statuses('POST', DEVICES.action)).toEqual([503]);
		expect(json(output)).toEqual([
			expect.objectContaining({ host_id: windows.aid, status_before: 'normal', status_after: 'contained', result: 'contained' }),
			expect.objectContaining({ host_id: linux.aid, status_before: 'normal', status_after: 'contained', result: 'contained' }),
		]);
		expect(json(output).some((host) => 'error' in host)).toBe(false);
	});

	it('with Continue On Fail, a 503 on PerformActionV2 becomes an error item per input item, sent once', async () => {
		const { windows, linux } = roles(sim);
		sim.setFaults({ serverErrors: [{ pathPrefix: DEVICES.action, count: 1, status: 503 }] });
		const { items: output, error } = await runHosts(sim, contain(), { input: items([windows.aid, linux.aid]), continueOnFail: true });
		expect(error).toBeUndefined();
		expect(output).toEqual([
			{ json: expect.objectContaining({ error: expect.stringMatching(/^Falcon API error 503: /), http_status: 503 }), pairedItem: { item: 0 } },
			{ json: expect.objectContaining({ error: expect.stringMatching(/^Falcon API error 503: /), http_status: 503 }), pairedItem: { item: 1 } },
		]);
		expect(statuses('POST', DEVICES.action)).toEqual([503]);
	});

	it('a 503 on the status reads of Contain is retried: the host is still contained exactly once', async () => {
		const { mac } = roles(sim);
		sim.setFaults({ serverErrors: [{ pathPrefix: DEVICES.details, count: 1, status: 503 }] });
		const { items: output, error } = await runHosts(sim, contain({ wait: true, deadlineSeconds: 10, pollIntervalSeconds: 0.5 }), {
			input: items([mac.aid]),
		});
		expect(error).toBeUndefined();
		expect(json(output)).toEqual([expect.objectContaining({ status_before: 'normal', status_after: 'contained', result: 'contained' })]);
		expect(statuses('POST', DEVICES.details).slice(0, 2)).toEqual([503, 200]);
		expect(statuses('POST', DEVICES.action)).toEqual([202]);
	});

	it('a status read that fails after Falcon took the action does not fail the run: the host is reported pending, with why its status is unknown', async () => {
		const { mac } = roles(sim);
		// The read before the action goes through; every try of the read after it fails.
		sim.setFaults({ serverErrors: [{ pathPrefix: DEVICES.details, after: 1, count: 10, status: 503 }] });
		const { items: output, error } = await runHosts(sim, contain(), { input: items([mac.aid]) });
		expect(error).toBeUndefined();
		expect(statuses('POST', DEVICES.action)).toEqual([202]);
		expect(json(output)).toEqual([
			expect.objectContaining({
				host_id: mac.aid,
				status_before: 'normal',
				status_after: null,
				result: 'containment_pending',
				status_error: { code: 503, message: expect.stringMatching(/^Falcon API error 503: /), trace_id: expect.any(String) },
			}),
		]);
		expect(['containment_pending', 'contained']).toContain(hostState(sim, mac.aid).status);
	});

	it('Update Tags: a call Falcon refuses fails only its own hosts; the hosts of the calls it took are reported tagged', async () => {
		const { windows, linux } = roles(sim);
		// The second call's 503 comes again when it is sent once more.
		sim.setFaults({ serverErrors: [{ pathPrefix: DEVICES.tags, after: 1, count: 2, status: 503 }] });
		const { items: output, error } = await runHosts(
			sim,
			{ resource: 'host', operation: 'updateTags', hostId: byId('={{ $json.host }}'), tagAction: 'add', tags: '={{ $json.tags }}' },
			{ input: [{ json: { host: windows.aid, tags: 'incident-1' } }, { json: { host: linux.aid, tags: 'incident-2' } }] },
		);
		expect(error).toBeUndefined();
		expect(statuses('PATCH', DEVICES.tags)).toEqual([202, 503, 503]);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(json(output)[0]).toMatchObject({ host_id: windows.aid, updated: true });
		expect(json(output)[1]).toMatchObject({
			host_id: linux.aid,
			updated: false,
			code: 503,
			error: expect.stringMatching(/^Falcon API error 503: /),
			trace_id: expect.any(String),
		});
		expect(hostState(sim, windows.aid).tags).toContain('FalconGroupingTags/incident-1');
		expect(hostState(sim, linux.aid).tags).not.toContain('FalconGroupingTags/incident-2');
	});

	it('Update Tags is sent once more only after a 503 on UpdateDeviceTags: a second 503 fails the run', async () => {
		const { windows } = roles(sim);
		sim.setFaults({ serverErrors: [{ pathPrefix: DEVICES.tags, count: 2, status: 503 }] });
		const { error } = await runHosts(sim, {
			resource: 'host',
			operation: 'updateTags',
			hostId: byId(windows.aid),
			tagAction: 'add',
			tags: 'incident-1',
		});
		expect(error?.httpCode).toBe('503');
		expect(statuses('PATCH', DEVICES.tags)).toEqual([503, 503]);
		expect(hostState(sim, windows.aid).tags).toEqual(['FalconGroupingTags/finance']);
	});

	it('rides out a 429 on the containment action (a 429 means Falcon did not act: waiting and resending is safe)', async () => {
		const { linux } = roles(sim);
		// The token request and the first details read go through; the action call, held in the simulator's
		// latency when the knob is set, gets the 429.
		sim.setFaults({ latencyMs: 100 });
		const running = runHosts(sim, contain(), { input: items([linux.aid]) });
		const until = Date.now() + 10_000;
		while (requests(sim, 'POST', DEVICES.details).length === 0 && Date.now() < until) await sleep(2);
		sim.setFaults({ rateLimitNext: 1 });
		const { items: output, error } = await running;
		expect(error).toBeUndefined();
		expect(json(output)).toEqual([expect.objectContaining({ host_id: linux.aid, result: 'containment_pending' })]);
		expect(statuses('POST', DEVICES.action)).toEqual([429, 202]);
	});
});
