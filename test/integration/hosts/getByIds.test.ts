import type { IDataObject } from 'n8n-workflow';

import type { RunningSimulator } from '../../../simulator';
import { ALERTS, DEVICES, json, requests, roles, runAlerts, runHosts, startHostsSimulator } from './helpers';

let sim: RunningSimulator;

beforeAll(async () => {
	sim = await startHostsSimulator();
});
afterAll(async () => await sim.close());
beforeEach(() => sim.reset());

// A host deleted from Falcon (e.g. after 45 days offline) that a playbook still lists.
const STALE_HOST = '0123456789abcdef0123456789abcdef';
const STALE_ALERT = `${'a'.repeat(32)}:ind:${STALE_HOST}:12345-67-890`;

describe('a Get by ids where Falcon finds only some (HTTP 200, the others in errors[])', () => {
	it('Host > Get fails the item naming the missing host ID, instead of leaving it out in silence', async () => {
		const { windows } = roles(sim);
		const { items, error } = await runHosts(sim, { resource: 'host', operation: 'get', hostIds: `${windows.aid}, ${STALE_HOST}` });
		expect(requests(sim, 'POST', DEVICES.details).map((entry) => entry.status)).toEqual([200]);
		expect(items).toEqual([]);
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toBe(`1 of 2 host IDs not found: ${STALE_HOST}`);
		expect(error?.description).toMatch(/^POST \/devices\/entities\/devices\/v2 \| trace_id: \S+ \| Falcon returned the other 1 of 2/);
	});

	it('with Continue On Fail, the hosts found and an error item for the missing ones, all paired to their item', async () => {
		const { windows, linux } = roles(sim);
		const { items, error } = await runHosts(
			sim,
			{ resource: 'host', operation: 'get', hostIds: '={{ $json.aids }}' },
			{ input: [{ json: { aids: [windows.aid, STALE_HOST] } }, { json: { aids: [linux.aid] } }], continueOnFail: true },
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => [item.json.device_id ?? item.json.error, item.pairedItem])).toEqual([
			[windows.aid, { item: 0 }],
			[`1 of 2 host IDs not found: ${STALE_HOST}`, { item: 0 }],
			[linux.aid, { item: 1 }],
		]);
		// Falcon's own entry for the id, its code and the trace id, for the playbook's error branch.
		expect(items[1].json).toMatchObject({
			http_status: 404,
			code: 404,
			trace_id: expect.any(String),
			errors: [expect.objectContaining({ code: 404, message: expect.stringContaining(STALE_HOST) })],
		});
	});

	it('Alert > Get does the same for a composite ID Falcon does not know', async () => {
		const { mac } = roles(sim);
		const compositeId = sim.injectEvent({ eventType: 'EppDetectionSummaryEvent', event: { AgentId: mac.aid } }).compositeId!;
		const failed = await runAlerts(sim, { resource: 'alert', operation: 'get', compositeIds: `${STALE_ALERT},${compositeId}` });
		expect(failed.error?.message).toBe(`1 of 2 alerts not found: ${STALE_ALERT}`);

		const kept = await runAlerts(
			sim,
			{ resource: 'alert', operation: 'get', compositeIds: `${STALE_ALERT},${compositeId}` },
			{ continueOnFail: true },
		);
		expect(json(kept.items).map((item: IDataObject) => item.composite_id ?? item.error)).toEqual([
			compositeId,
			`1 of 2 alerts not found: ${STALE_ALERT}`,
		]);
		expect(requests(sim, 'POST', ALERTS.entities).map((entry) => entry.status)).toEqual([200, 200]);
	});

	it('none found (Falcon answers 404): the same error, naming the id, and no item', async () => {
		const { items, error } = await runHosts(sim, { resource: 'host', operation: 'get', hostIds: STALE_HOST }, { continueOnFail: true });
		expect(requests(sim, 'POST', DEVICES.details).map((entry) => entry.status)).toEqual([404]);
		expect(json(items)).toEqual([
			expect.objectContaining({ error: `1 of 1 host IDs not found: ${STALE_HOST}`, http_status: 404, trace_id: expect.any(String) }),
		]);
		expect(error).toBeUndefined();
	});

	it('every id found: the items as before, no error', async () => {
		const { windows, linux } = roles(sim);
		const { items, error } = await runHosts(sim, { resource: 'host', operation: 'get', hostIds: `${linux.aid},${windows.aid.toUpperCase()}` });
		expect(error).toBeUndefined();
		expect(json(items).map((host) => host.device_id)).toEqual([linux.aid, windows.aid]);
	});
});

it('a long list of missing ids names the first ten in the message and every one in errors', async () => {
	const stale = Array.from({ length: 12 }, (_, index) => index.toString(16).padStart(32, 'f'));
	const { windows } = roles(sim);
	const { items } = await runHosts(sim, { resource: 'host', operation: 'get', hostIds: [windows.aid, ...stale].join(',') }, { continueOnFail: true });
	expect(items[1].json.error).toBe(`12 of 13 host IDs not found: ${stale.slice(0, 10).join(', ')} and 2 more (see errors)`);
	expect((items[1].json.errors as IDataObject[]).map((entry) => entry.id ?? entry.message)).toHaveLength(12);
});
