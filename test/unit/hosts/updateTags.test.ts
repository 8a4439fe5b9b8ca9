import nock from 'nock';

import { byId, device, DEVICES, falcon, HOST_A, HOST_B, HOST_C, json, meta, run } from './helpers';

const tagged = (results: object[]) => ({ meta: meta(), resources: results, errors: [] });

const updateTags = {
	resource: 'host',
	operation: 'updateTags',
	hostId: byId('={{ $json.host }}'),
	tagAction: '={{ $json.action }}',
	tags: '={{ $json.tags }}',
};

/** Adds the tag vip to HOST_A and HOST_C, one item each. */
const vipOnHostsAandC = async () =>
	await run(
		{ resource: 'host', operation: 'updateTags', hostId: byId('={{ $json.host }}'), tagAction: 'add', tags: 'vip' },
		{ input: [{ json: { host: HOST_A } }, { json: { host: HOST_C } }] },
	);

describe('Host > Update Tags (UpdateDeviceTags)', () => {
	it('adds prefixed tags with one PATCH for items with the same action and tags, one item per host', async () => {
		const tags = ['FalconGroupingTags/quarantined', 'FalconGroupingTags/incident-4711'];
		const api = falcon()
			.patch(DEVICES.tags, { action: 'add', device_ids: [HOST_A, HOST_B], tags })
			.reply(202, tagged([
				{ device_id: HOST_A, updated: true },
				{ device_id: HOST_B, updated: false, code: 404, error: 'device not found' },
			]))
			.patch(DEVICES.tags, { action: 'remove', device_ids: [HOST_A], tags: ['FalconGroupingTags/protected'] })
			.reply(200, tagged([{ device_id: HOST_A, updated: true }]));
		const result = await run(updateTags, {
			input: [
				{ json: { host: HOST_A, action: 'add', tags: 'quarantined, FalconGroupingTags/incident-4711' } },
				{ json: { host: HOST_B.toUpperCase(), action: 'add', tags: ['FalconGroupingTags/quarantined', 'incident-4711', 'quarantined'] } },
				{ json: { host: HOST_A, action: 'remove', tags: 'protected' } },
				{ json: { host: HOST_A, action: 'add', tags: 'quarantined,incident-4711' } },
			],
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toEqual([
			{ json: { host_id: HOST_A, action: 'add', tags, updated: true }, pairedItem: [{ item: 0 }, { item: 3 }] },
			{ json: { host_id: HOST_B, action: 'add', tags, updated: false, code: 404, error: 'device not found' }, pairedItem: { item: 1 } },
			{ json: { host_id: HOST_A, action: 'remove', tags: ['FalconGroupingTags/protected'], updated: true }, pairedItem: { item: 2 } },
		]);
		expect(api.isDone()).toBe(true);
	});

	it('keeps the input\'s order when the items make several calls', async () => {
		const vip = ['FalconGroupingTags/vip'];
		const api = falcon()
			.patch(DEVICES.tags, { action: 'add', device_ids: [HOST_A, HOST_C], tags: vip })
			.reply(202, tagged([{ device_id: HOST_A, updated: true }, { device_id: HOST_C, updated: true }]))
			.patch(DEVICES.tags, { action: 'remove', device_ids: [HOST_B], tags: vip })
			.reply(202, tagged([{ device_id: HOST_B, updated: true }]));
		const result = await run(updateTags, {
			input: [HOST_A, HOST_B, HOST_C].map((host, n) => ({ json: { host, action: n === 1 ? 'remove' : 'add', tags: 'vip' } })),
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => [item.json.host_id, item.pairedItem])).toEqual([
			[HOST_A, { item: 0 }],
			[HOST_B, { item: 1 }],
			[HOST_C, { item: 2 }],
		]);
		expect(api.isDone()).toBe(true);
	});

	it('reports a host Falcon did not mention as not updated', async () => {
		const api = falcon()
			.patch(DEVICES.tags, { action: 'add', device_ids: [HOST_A, HOST_C], tags: ['FalconGroupingTags/vip'] })
			.reply(202, tagged([{ device_id: HOST_A.toUpperCase(), updated: true }]));
		const result = await vipOnHostsAandC();
		expect(result.error).toBeUndefined();
		expect(json(result.items)).toEqual([
			{ host_id: HOST_A, action: 'add', tags: ['FalconGroupingTags/vip'], updated: true },
			{ host_id: HOST_C, action: 'add', tags: ['FalconGroupingTags/vip'], updated: false, error: 'Falcon did not report this host', trace_id: 'trace-ok' },
		]);
		expect(api.isDone()).toBe(true);
	});

	it('a host Falcon names in errors[] carries Falcon\'s code, message and trace_id', async () => {
		const api = falcon()
			.patch(DEVICES.tags, { action: 'add', device_ids: [HOST_A, HOST_C], tags: ['FalconGroupingTags/vip'] })
			.reply(200, {
				meta: meta(),
				resources: [{ device_id: HOST_A, updated: true }],
				errors: [{ code: 400, id: HOST_C, message: 'tag limit reached for device' }],
			});
		const result = await vipOnHostsAandC();
		expect(result.error).toBeUndefined();
		expect(json(result.items)).toEqual([
			{ host_id: HOST_A, action: 'add', tags: ['FalconGroupingTags/vip'], updated: true },
			{ host_id: HOST_C, action: 'add', tags: ['FalconGroupingTags/vip'], updated: false, code: 400, error: 'tag limit reached for device', trace_id: 'trace-ok' },
		]);
		expect(api.isDone()).toBe(true);
	});

	it("a 400 that lists each host's outcome (AffectedEntities) is read per host: the tagged one is not reported failed, the node does not fail", async () => {
		const api = falcon()
			.patch(DEVICES.tags, { action: 'add', device_ids: [HOST_A, HOST_C], tags: ['FalconGroupingTags/vip'] })
			.reply(400, {
				meta: meta({ trace_id: 'trace-400' }),
				resources: [
					{ device_id: HOST_A, updated: true },
					{ device_id: HOST_C, updated: false, code: 400, error: 'tag limit reached for device' },
				],
				errors: [{ code: 400, message: 'some devices could not be tagged' }],
			});
		const result = await vipOnHostsAandC();
		expect(result.error).toBeUndefined();
		expect(json(result.items)).toEqual([
			{ host_id: HOST_A, action: 'add', tags: ['FalconGroupingTags/vip'], updated: true },
			{ host_id: HOST_C, action: 'add', tags: ['FalconGroupingTags/vip'], updated: false, code: 400, error: 'tag limit reached for device' },
		]);
		expect(api.isDone()).toBe(true);
	});

	it("a 400 in Falcon's AffectedEntities shape ({id, path}) reads the hosts it lists as tagged, the ones its errors name as refused", async () => {
		const api = falcon()
			.patch(DEVICES.tags, { action: 'add', device_ids: [HOST_A, HOST_C], tags: ['FalconGroupingTags/vip'] })
			.reply(400, {
				meta: meta({ trace_id: 'trace-400' }),
				resources: [{ id: HOST_A, path: '' }],
				errors: [{ code: 400, id: HOST_C, message: 'tag limit reached for device' }],
			});
		const result = await vipOnHostsAandC();
		expect(result.error).toBeUndefined();
		expect(json(result.items)).toEqual([
			{ host_id: HOST_A, action: 'add', tags: ['FalconGroupingTags/vip'], updated: true },
			{ host_id: HOST_C, action: 'add', tags: ['FalconGroupingTags/vip'], updated: false, code: 400, error: 'tag limit reached for device', trace_id: 'trace-400' },
		]);
		expect(api.isDone()).toBe(true);
	});

	it("a 400 listing a host as affected whose error names it too reports it refused; an error naming no host leaves the listed ones tagged", async () => {
		const api = falcon()
			.patch(DEVICES.tags, { action: 'add', device_ids: [HOST_A, HOST_C], tags: ['FalconGroupingTags/vip'] })
			.reply(400, {
				meta: meta({ trace_id: 'trace-400' }),
				resources: [{ id: HOST_A, path: '' }, { id: HOST_C, path: '' }],
				errors: [
					{ code: 400, id: HOST_C, message: 'tag limit reached for device' },
					{ code: 400, message: 'some devices could not be tagged' },
				],
			});
		const result = await vipOnHostsAandC();
		expect(result.error).toBeUndefined();
		expect(json(result.items).map((item) => [item.host_id, item.updated, item.error])).toEqual([
			[HOST_A, true, undefined],
			[HOST_C, false, 'tag limit reached for device'],
		]);
		expect(api.isDone()).toBe(true);
	});

	it('an add, a remove and an add of one tag on one host are sent in that order: the tag ends added, as the items say', async () => {
		const vip = ['FalconGroupingTags/vip'];
		const api = falcon()
			.patch(DEVICES.tags, { action: 'add', device_ids: [HOST_A], tags: vip })
			.reply(202, tagged([{ device_id: HOST_A, updated: true }]))
			.patch(DEVICES.tags, { action: 'remove', device_ids: [HOST_A], tags: [...vip, 'FalconGroupingTags/other'] })
			.reply(202, tagged([{ device_id: HOST_A, updated: true }]))
			.patch(DEVICES.tags, { action: 'add', device_ids: [HOST_A, HOST_B], tags: vip })
			.reply(202, tagged([{ device_id: HOST_A, updated: true }, { device_id: HOST_B, updated: true }]));
		const result = await run(updateTags, {
			input: [
				{ json: { host: HOST_A, action: 'add', tags: 'vip' } },
				{ json: { host: HOST_A, action: 'remove', tags: 'vip, other' } },
				{ json: { host: HOST_A, action: 'add', tags: 'vip' } },
				{ json: { host: HOST_B, action: 'add', tags: 'vip' } },
			],
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => [item.json.host_id, item.json.action, item.pairedItem])).toEqual([
			[HOST_A, 'add', { item: 0 }],
			[HOST_A, 'remove', { item: 1 }],
			[HOST_A, 'add', { item: 2 }],
			[HOST_B, 'add', { item: 3 }],
		]);
		expect(api.isDone()).toBe(true);
	});

	describe('a 5xx or a dropped connection, which may come after Falcon tagged the hosts', () => {
		const vip = ['FalconGroupingTags/vip'];
		const withTags = (aid: string, tags: string[]) => device(aid, 'normal', { tags });

		it('reads the hosts: those showing the tag are tagged, the call is sent once more for the others only', async () => {
			const api = falcon()
				.patch(DEVICES.tags, { action: 'add', device_ids: [HOST_A, HOST_C], tags: vip })
				.reply(504, { meta: meta({ trace_id: 'trace-504' }), resources: [], errors: [{ code: 504, message: 'gateway timeout' }] })
				.post(DEVICES.details, { ids: [HOST_A, HOST_C] })
				.reply(200, { meta: meta(), resources: [withTags(HOST_A, ['FalconGroupingTags/VIP']), withTags(HOST_C, [])], errors: [] })
				.patch(DEVICES.tags, { action: 'add', device_ids: [HOST_C], tags: vip })
				.reply(202, tagged([{ device_id: HOST_C, updated: true }]));
			const result = await vipOnHostsAandC();
			expect(result.error).toBeUndefined();
			expect(json(result.items)).toEqual([
				{ host_id: HOST_A, action: 'add', tags: vip, updated: true },
				{ host_id: HOST_C, action: 'add', tags: vip, updated: true },
			]);
			expect(api.isDone()).toBe(true);
		});

		it('a remove counts as done on a host that no longer has any of the tags; nothing is sent again when every host shows it', async () => {
			const api = falcon()
				.patch(DEVICES.tags, { action: 'remove', device_ids: [HOST_A], tags: vip })
				.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
				.post(DEVICES.details, { ids: [HOST_A] })
				.reply(200, { meta: meta(), resources: [withTags(HOST_A, ['FalconGroupingTags/other'])], errors: [] });
			const result = await run(
				{ resource: 'host', operation: 'updateTags', hostId: byId(HOST_A), tagAction: 'remove', tags: 'vip' },
				{ input: [{ json: {} }] },
			);
			expect(result.error).toBeUndefined();
			expect(json(result.items)).toEqual([{ host_id: HOST_A, action: 'remove', tags: vip, updated: true }]);
			expect(api.isDone()).toBe(true);
		});

		it('sent again once only: a second 5xx fails the hosts not yet tagged with it, and the run when none was', async () => {
			const api = falcon()
				.patch(DEVICES.tags, { action: 'add', device_ids: [HOST_A, HOST_C], tags: vip })
				.reply(503, { meta: meta({ trace_id: 'trace-503' }), resources: [], errors: [{ code: 503, message: 'unavailable' }] })
				.post(DEVICES.details, { ids: [HOST_A, HOST_C] })
				.reply(200, { meta: meta(), resources: [withTags(HOST_A, []), withTags(HOST_C, [])], errors: [] })
				.patch(DEVICES.tags, { action: 'add', device_ids: [HOST_A, HOST_C], tags: vip })
				.reply(502, { meta: meta({ trace_id: 'trace-502' }), resources: [], errors: [{ code: 502, message: 'bad gateway' }] });
			const failed = await vipOnHostsAandC();
			expect(failed.error?.message).toBe('Falcon API error 502: bad gateway');
			expect(api.isDone()).toBe(true);

			falcon()
				.patch(DEVICES.tags, { action: 'add', device_ids: [HOST_A, HOST_C], tags: vip })
				.reply(503, { meta: meta({ trace_id: 'trace-503' }), resources: [], errors: [{ code: 503, message: 'unavailable' }] })
				.post(DEVICES.details, { ids: [HOST_A, HOST_C] })
				.reply(200, { meta: meta(), resources: [withTags(HOST_A, vip), withTags(HOST_C, [])], errors: [] })
				.patch(DEVICES.tags, { action: 'add', device_ids: [HOST_C], tags: vip })
				.reply(502, { meta: meta({ trace_id: 'trace-502' }), resources: [], errors: [{ code: 502, message: 'bad gateway' }] });
			const partly = await vipOnHostsAandC();
			expect(partly.error).toBeUndefined();
			expect(json(partly.items)).toEqual([
				{ host_id: HOST_A, action: 'add', tags: vip, updated: true },
				{ host_id: HOST_C, action: 'add', tags: vip, updated: false, code: 502, error: 'Falcon API error 502: bad gateway', trace_id: 'trace-502' },
			]);
		});

		it('a refused connection sent nothing: the hosts fail at once, with no read and nothing sent again', async () => {
			const api = falcon()
				.patch(DEVICES.tags, { action: 'add', device_ids: [HOST_A, HOST_C], tags: vip })
				.replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
			const read = falcon().post(DEVICES.details).reply(200, { meta: meta(), resources: [withTags(HOST_A, vip)], errors: [] });
			const result = await vipOnHostsAandC();
			expect(result.error?.message).toBe('Could not reach the Falcon API (ECONNREFUSED)');
			expect(api.isDone()).toBe(true);
			expect(read.isDone()).toBe(false);
			nock.cleanAll();
		});

		it('when the hosts cannot be read, they fail with the first error and nothing is sent again', async () => {
			const api = falcon()
				.patch(DEVICES.tags, { action: 'add', device_ids: [HOST_A, HOST_C], tags: vip })
				.reply(503, { meta: meta({ trace_id: 'trace-503' }), resources: [], errors: [{ code: 503, message: 'unavailable' }] })
				.post(DEVICES.details, { ids: [HOST_A, HOST_C] })
				.reply(403, { meta: meta({ trace_id: 'trace-403' }), resources: [], errors: [{ code: 403, message: 'access denied, authorization failed' }] });
			const result = await vipOnHostsAandC();
			expect(result.error?.message).toBe('Falcon API error 503: unavailable');
			expect(api.isDone()).toBe(true);
		});
	});

	it('sends at most 100 hosts per call', async () => {
		const aids = Array.from({ length: 101 }, (_, n) => (n + 1).toString(16).padStart(32, 'b'));
		const api = falcon()
			.patch(DEVICES.tags, { action: 'add', device_ids: aids.slice(0, 100), tags: ['FalconGroupingTags/sweep'] })
			.reply(202, tagged(aids.slice(0, 100).map((aid) => ({ device_id: aid, updated: true }))))
			.patch(DEVICES.tags, { action: 'add', device_ids: aids.slice(100), tags: ['FalconGroupingTags/sweep'] })
			.reply(202, tagged([{ device_id: aids[100], updated: true }]));
		const result = await run(
			{ resource: 'host', operation: 'updateTags', hostId: '={{ $json.host }}', tagAction: 'add', tags: 'sweep' },
			{ input: aids.map((host) => ({ json: { host } })) },
		);
		expect(result.error).toBeUndefined();
		expect(json(result.items).every((host) => host.updated === true)).toBe(true);
		expect(result.items).toHaveLength(101);
		expect(api.isDone()).toBe(true);
	});
});
