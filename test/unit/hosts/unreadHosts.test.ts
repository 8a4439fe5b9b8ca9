import { envelope } from '../../harness/falcon';
import { byId, device, DEVICES, falcon, HOST_A, HOST_B, json, meta, run } from './helpers';

// PostDeviceDetailsV2 answering 2xx with a backend's error and without some of the hosts asked: those were not read,
// which is not "not found". Read as missing, a containment would go unsent and a Get Many list nothing, without error.
const unread = (resources: object[] = []) => ({
	meta: meta({ trace_id: 'trace-unread' }),
	resources,
	errors: [{ code: 500, message: 'internal server error: device store unavailable' }],
});
const MESSAGE = 'Falcon API error 200: 500: internal server error: device store unavailable';

describe('a 2xx details read that carries a failure for hosts it left out', () => {
	it('Contain fails with Falcon\'s error and sends no action (the host is not reported not_found)', async () => {
		const details = falcon().post(DEVICES.details, { ids: [HOST_A] }).reply(200, unread());
		const action = falcon().post(DEVICES.action).query(true).reply(202, { meta: meta(), resources: [{ id: HOST_A, path: '' }], errors: [] });
		const result = await run({ resource: 'host', operation: 'contain', hostId: byId(HOST_A), options: {} });
		expect(result.error?.message).toBe(MESSAGE);
		expect(result.error?.description).toContain('trace_id: trace-unread');
		expect(details.isDone()).toBe(true);
		expect(action.isDone()).toBe(false);
	});

	it('Contain: a status read after the action that fails so reports no status, not the one read before', async () => {
		falcon()
			.post(DEVICES.details, { ids: [HOST_A] })
			.reply(200, envelope([device(HOST_A, 'normal')]))
			.post(DEVICES.action, { ids: [HOST_A] })
			.query({ action_name: 'contain' })
			.reply(202, { meta: meta(), resources: [{ id: HOST_A, path: '' }], errors: [] })
			.post(DEVICES.details, { ids: [HOST_A] })
			.reply(200, unread());
		const result = await run({ resource: 'host', operation: 'contain', hostId: byId(HOST_A), options: {} });
		expect(result.error).toBeUndefined();
		expect(json(result.items)).toEqual([
			expect.objectContaining({ host_id: HOST_A, status_before: 'normal', status_after: null, result: 'containment_pending', status_error: expect.objectContaining({ message: MESSAGE }) }),
		]);
	});

	it('Get fails with Falcon\'s code, message and trace_id; the host it did return goes out beside the error', async () => {
		falcon().post(DEVICES.details, { ids: [HOST_A, HOST_B] }).reply(200, unread([device(HOST_A, 'normal')]));
		const result = await run({ resource: 'host', operation: 'get', hostIds: `${HOST_A},${HOST_B}` }, { continueOnFail: true });
		expect(result.error).toBeUndefined();
		expect(json(result.items)).toEqual([
			expect.objectContaining({ device_id: HOST_A }),
			expect.objectContaining({ error: MESSAGE, http_status: 200, code: 500, trace_id: 'trace-unread' }),
		]);
	});

	it('Get Many fails instead of listing nothing', async () => {
		falcon()
			.get(DEVICES.scroll)
			.query(true)
			.reply(200, { meta: meta({ pagination: { offset: 'scroll-1', limit: 2, total: 2 } }), resources: [HOST_A, HOST_B], errors: [] })
			.post(DEVICES.details, { ids: [HOST_A, HOST_B] })
			.reply(200, unread());
		const result = await run({ resource: 'host', operation: 'getAll', returnAll: true });
		expect(result.error?.message).toBe(MESSAGE);
	});
});
