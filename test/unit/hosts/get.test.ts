import { envelope } from '../../harness/falcon';
import { device, DEVICES, falcon, HOST_A, HOST_B, HOST_C, json, meta, run } from './helpers';

const scrollPage = (ids: string[], total: number, offset = 'scroll-token-1') => ({
	meta: meta({ pagination: { offset, expires_at: 1796000000000000000, limit: ids.length, total } }),
	resources: ids,
	errors: [],
});

describe('Host > Get (PostDeviceDetailsV2)', () => {
	it('posts the ids in the body, lower-cased and each once, and returns one item per host', async () => {
		const hosts = [device(HOST_A, 'normal'), device(HOST_B, 'contained')];
		const api = falcon().post(DEVICES.details, { ids: [HOST_A, HOST_B] }).reply(200, envelope(hosts));
		const result = await run({
			resource: 'host',
			operation: 'get',
			hostIds: ` ${HOST_A.toUpperCase()}, ${HOST_B}; ${HOST_A}\n`,
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toEqual([
			{ json: hosts[0], pairedItem: { item: 0 } },
			{ json: hosts[1], pairedItem: { item: 0 } },
		]);
		expect(api.isDone()).toBe(true);
	});

	it('takes a list from an expression (e.g. the AgentIds of detection events)', async () => {
		const api = falcon()
			.post(DEVICES.details, { ids: [HOST_C, HOST_A] })
			.reply(200, envelope([device(HOST_C, 'normal'), device(HOST_A, 'normal')]));
		const result = await run(
			{ resource: 'host', operation: 'get', hostIds: '={{ $json.aids }}' },
			{ input: [{ json: { aids: [HOST_C.toUpperCase(), HOST_A, HOST_C] } }] },
		);
		expect(result.error).toBeUndefined();
		expect(json(result.items).map((host) => host.device_id)).toEqual([HOST_C, HOST_A]);
		expect(api.isDone()).toBe(true);
	});

	it('sends one request per input item, each output paired to its item', async () => {
		const api = falcon()
			.post(DEVICES.details, { ids: [HOST_A] })
			.reply(200, envelope([device(HOST_A, 'normal')]))
			.post(DEVICES.details, { ids: [HOST_B] })
			.reply(200, envelope([device(HOST_B, 'normal')]));
		const result = await run(
			{ resource: 'host', operation: 'get', hostIds: '={{ $json.aid }}' },
			{ input: [{ json: { aid: HOST_A } }, { json: { aid: HOST_B } }] },
		);
		expect(result.items.map((item) => [item.json.device_id, item.pairedItem])).toEqual([
			[HOST_A, { item: 0 }],
			[HOST_B, { item: 1 }],
		]);
		expect(api.isDone()).toBe(true);
	});
});

describe('Host > Get Many (QueryDevicesByFilterScroll, then PostDeviceDetailsV2)', () => {
	afterEach(() => jest.restoreAllMocks());

	it('without filters: first page without offset, then the details read by POST', async () => {
		const hosts = [device(HOST_A, 'normal'), device(HOST_B, 'contained')];
		const api = falcon()
			.get(DEVICES.scroll)
			.query({ limit: '50' })
			.reply(200, scrollPage([HOST_A, HOST_B], 2))
			.post(DEVICES.details, { ids: [HOST_A, HOST_B] })
			.reply(200, envelope(hosts));
		const result = await run({ resource: 'host', operation: 'getAll', filters: {}, options: {} });
		expect(result.error).toBeUndefined();
		expect(result.items).toEqual([
			{ json: hosts[0], pairedItem: { item: 0 } },
			{ json: hosts[1], pairedItem: { item: 0 } },
		]);
		expect(api.isDone()).toBe(true);
	});

	it.each([
		['hostname, matched whole', { hostname: 'WKS-100' }, "hostname:['WKS-100']"],
		['hostname with a wildcard at the end', { hostname: 'SRV-*' }, "hostname:'SRV-*'"],
		['hostname with a quote, escaped', { hostname: "O'BRIEN-PC" }, "hostname:['O\\'BRIEN-PC']"],
		['local IP', { localIp: '10.1.2.3' }, "local_ip:['10.1.2.3']"],
		['several hostnames, trimmed, any of them', { hostname: ' WKS-100 , web-02 ' }, "hostname:['WKS-100','web-02']"],
		['hostnames listed by an expression', { hostname: '={{ ["WKS-100", "web-02"] }}' }, "hostname:['WKS-100','web-02']"],
		['a hostname pattern beside whole names', { hostname: 'SRV-*, WKS-100' }, "(hostname:'SRV-*',hostname:['WKS-100'])"],
		['hostname with a wildcard at the start', { hostname: '*-DC' }, "hostname:'*-DC'"],
		['local IP with a wildcard, on the field Falcon matches IP patterns on', { localIp: '10.1.*' }, "local_ip.raw:*'10.1.*'"],
		['several tags', { tag: 'vip, FalconGroupingTags/protected' }, "tags:['FalconGroupingTags/vip','FalconGroupingTags/protected']"],
		['FQL with parentheses and quotes of its own', { query: "(platform_name:'Linux',hostname:'a)b')+status:'normal'" }, "((platform_name:'Linux',hostname:'a)b')+status:'normal')"],
		['external IP', { externalIp: '203.0.113.5' }, "external_ip:['203.0.113.5']"],
		['platform', { platform: 'Linux' }, "platform_name:'Linux'"],
		['containment status', { status: 'contained' }, "status:'contained'"],
		['containment pending', { status: 'containment_pending' }, "status:'containment_pending'"],
		['tag without the prefix', { tag: 'protected' }, "tags:['FalconGroupingTags/protected']"],
		['tag with the prefix', { tag: 'FalconGroupingTags/protected' }, "tags:['FalconGroupingTags/protected']"],
		['tag with the prefix in lower case', { tag: 'falcongroupingtags/protected' }, "tags:['FalconGroupingTags/protected']"],
		['sensor grouping tag', { tag: 'SensorGroupingTags/VDI-NP, vip' }, "tags:['SensorGroupingTags/VDI-NP','FalconGroupingTags/vip']"],
		['FQL (parenthesised, so an OR stays inside the AND)', { query: "product_type_desc:'Server'" }, "(product_type_desc:'Server')"],
	])('filter by %s', async (_, filters, filter) => {
		const api = falcon()
			.get(DEVICES.scroll)
			.query({ filter, limit: '10' })
			.reply(200, scrollPage([HOST_A], 1))
			.post(DEVICES.details, { ids: [HOST_A] })
			.reply(200, envelope([device(HOST_A, 'normal')]));
		const result = await run({ resource: 'host', operation: 'getAll', limit: 10, filters, options: {} });
		expect(result.error).toBeUndefined();
		expect(json(result.items)).toEqual([device(HOST_A, 'normal')]);
		expect(api.isDone()).toBe(true);
	});

	it('last seen within N days becomes last_seen:>= N days before now', async () => {
		jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-12-01T12:00:00.250Z'));
		const api = falcon()
			.get(DEVICES.scroll)
			.query({ filter: "last_seen:>='2026-11-24T12:00:00Z'", limit: '50' })
			.reply(200, scrollPage([], 0));
		const result = await run({ resource: 'host', operation: 'getAll', filters: { lastSeenWithinDays: 7 }, options: {} });
		expect(result.error).toBeUndefined();
		expect(result.items).toEqual([]);
		expect(api.isDone()).toBe(true);
	});

	it('joins every filter with + (AND) and sends the sort', async () => {
		jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-12-01T00:00:00Z'));
		const filter = [
			"hostname:'WKS-*'",
			"local_ip:['10.1.2.3']",
			"external_ip:['203.0.113.5']",
			"platform_name:'Windows'",
			"status:'normal'",
			"tags:['FalconGroupingTags/vip']",
			"last_seen:>='2026-11-30T00:00:00Z'",
			"(product_type_desc:'Workstation')",
		].join('+');
		const api = falcon()
			.get(DEVICES.scroll)
			.query({ filter, sort: 'last_seen.desc', limit: '5000' })
			.reply(200, scrollPage([HOST_A], 1))
			.post(DEVICES.details, { ids: [HOST_A] })
			.reply(200, envelope([device(HOST_A, 'normal')]));
		const result = await run({
			resource: 'host',
			operation: 'getAll',
			returnAll: true,
			filters: {
				query: "product_type_desc:'Workstation'",
				tag: 'vip',
				lastSeenWithinDays: 1,
				status: 'normal',
				platform: 'Windows',
				externalIp: '203.0.113.5',
				localIp: '10.1.2.3',
				hostname: 'WKS-*',
			},
			options: { sort: 'last_seen.desc' },
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		expect(api.isDone()).toBe(true);
	});

	it('an FQL Filter with an OR stays inside the AND of the other filters (parenthesised)', async () => {
		// FQL binds + (AND) tighter than , (OR): unparenthesised, `hostname:'WKS-*'+platform_name:'Mac',platform_name:'Linux'`
		// would return every Linux host whatever its name.
		const api = falcon()
			.get(DEVICES.scroll)
			.query({ filter: "hostname:'WKS-*'+(platform_name:'Mac',platform_name:'Linux')", limit: '50' })
			.reply(200, scrollPage([], 0));
		const result = await run({
			resource: 'host',
			operation: 'getAll',
			filters: { hostname: 'WKS-*', query: "platform_name:'Mac',platform_name:'Linux'" },
			options: {},
		});
		expect(result.error).toBeUndefined();
		expect(api.isDone()).toBe(true);
	});

	it('keeps the sort order of the query even when the details come back in another order', async () => {
		const api = falcon()
			.get(DEVICES.scroll)
			.query({ sort: 'last_seen.desc', limit: '50' })
			.reply(200, scrollPage([HOST_B, HOST_A], 2))
			.post(DEVICES.details, { ids: [HOST_B, HOST_A] })
			.reply(200, envelope([device(HOST_A, 'normal'), device(HOST_B, 'normal')]));
		const result = await run({ resource: 'host', operation: 'getAll', filters: {}, options: { sort: 'last_seen.desc' } });
		expect(result.error).toBeUndefined();
		expect(json(result.items).map((host) => host.device_id)).toEqual([HOST_B, HOST_A]);
		expect(api.isDone()).toBe(true);
	});

	it('an empty result produces no items and no details look-up', async () => {
		const api = falcon()
			.get(DEVICES.scroll)
			.query({ filter: "hostname:['NOPE']", limit: '50' })
			.reply(200, { meta: meta({ pagination: { offset: '', expires_at: 0, limit: 50, total: 0 } }), resources: [], errors: [] });
		const result = await run({ resource: 'host', operation: 'getAll', filters: { hostname: 'NOPE' }, options: {} });
		expect(result.error).toBeUndefined();
		expect(result.items).toEqual([]);
		expect(api.isDone()).toBe(true);
	});
});
