import { envelope } from '../../harness/falcon';
import { falcon, HOST_A, json, meta, run, RTR, SESSION, SESSION_B } from './helpers';

const initResource = { session_id: SESSION, device_id: HOST_A, offline_queued: false, platform: 'windows', pwd: 'C:\\' };

describe('Session', () => {
	it('Start posts device_id, queue_offline and origin with the timeout in the query (RTR_InitSession)', async () => {
		const api = falcon()
			.post(`${RTR}/entities/sessions/v1`, { device_id: HOST_A, queue_offline: true, origin: 'n8n' })
			.query({ timeout: '45' })
			.reply(201, envelope([initResource]));
		const result = await run({
			resource: 'session',
			operation: 'start',
			hostId: HOST_A.toUpperCase(),
			options: { queueOffline: true, origin: 'n8n', timeout: 45 },
		});
		expect(result.error).toBeUndefined();
		expect(json(result.items)).toEqual([initResource]);
		expect(api.isDone()).toBe(true);
	});

	it('Start accepts the wait as a duration (timeout_duration)', async () => {
		const api = falcon()
			.post(`${RTR}/entities/sessions/v1`, { device_id: HOST_A })
			.query({ timeout_duration: '2m' })
			.reply(201, envelope([initResource]));
		const result = await run({ resource: 'session', operation: 'start', hostId: HOST_A, options: { timeoutDuration: '2m' } });
		expect(result.error).toBeUndefined();
		expect(api.isDone()).toBe(true);
	});

	it('Refresh posts to refresh-session (RTR_PulseSession)', async () => {
		const api = falcon()
			.post(`${RTR}/entities/refresh-session/v1`, { device_id: HOST_A, queue_offline: false })
			.reply(201, envelope([initResource]));
		const result = await run({ resource: 'session', operation: 'refresh', hostId: HOST_A, options: { queueOffline: false } });
		expect(json(result.items)).toEqual([initResource]);
		expect(api.isDone()).toBe(true);
	});

	it('Delete sends session_id in the query and reports it deleted (RTR_DeleteSession)', async () => {
		const api = falcon().delete(`${RTR}/entities/sessions/v1`).query({ session_id: SESSION }).reply(204);
		const result = await run({ resource: 'session', operation: 'delete', sessionId: SESSION.toUpperCase() });
		expect(result.error).toBeUndefined();
		expect(json(result.items)).toEqual([{ session_id: SESSION, deleted: true, trace_id: null }]);
		expect(api.isDone()).toBe(true);
	});

	it('Get posts the ids in the body (RTR_ListSessions)', async () => {
		const sessions = [{ id: SESSION, device_id: HOST_A }, { id: SESSION_B, device_id: HOST_A }];
		const api = falcon()
			.post(`${RTR}/entities/sessions/GET/v1`, { ids: [SESSION, SESSION_B] })
			.reply(200, envelope(sessions));
		const result = await run({ resource: 'session', operation: 'get', sessionIds: `${SESSION}, ${SESSION_B}` });
		expect(json(result.items)).toEqual(sessions);
		expect(api.isDone()).toBe(true);
	});

	it('Get Many pages through session ids with the FQL filter, then reads the details by POST (RTR_ListAllSessions)', async () => {
		const filter = `deleted_at:null+aid:'${HOST_A}'+(platform_name:'Windows')`;
		const api = falcon()
			.get(`${RTR}/queries/sessions/v1`)
			.query({ filter, sort: 'date_created|asc', offset: '0', limit: '1000' })
			.reply(200, { meta: meta({ pagination: { offset: 0, limit: 1000, total: 2 } }), resources: [SESSION, SESSION_B], errors: [] })
			.post(`${RTR}/entities/sessions/GET/v1`, { ids: [SESSION, SESSION_B] })
			.reply(200, envelope([{ id: SESSION }, { id: SESSION_B }]));
		const result = await run({
			resource: 'session',
			operation: 'getAll',
			returnAll: true,
			filters: { activeOnly: true, hostId: HOST_A, query: "platform_name:'Windows'" },
			options: { sort: 'date_created|asc' },
		});
		expect(result.error).toBeUndefined();
		expect(json(result.items)).toEqual([{ id: SESSION }, { id: SESSION_B }]);
		expect(api.isDone()).toBe(true);
	});

	it('Get Many honours Limit', async () => {
		const api = falcon()
			.get(`${RTR}/queries/sessions/v1`)
			.query({ offset: '0', limit: '1' })
			.reply(200, { meta: meta({ pagination: { offset: 0, limit: 1, total: 5 } }), resources: [SESSION], errors: [] })
			.post(`${RTR}/entities/sessions/GET/v1`, { ids: [SESSION] })
			.reply(200, envelope([{ id: SESSION }]));
		// Active Only switched off is a choice, not an empty filter: no filter is sent, and nothing is refused.
		const result = await run({ resource: 'session', operation: 'getAll', returnAll: false, limit: 1, filters: { activeOnly: false } });
		expect(json(result.items)).toEqual([{ id: SESSION }]);
		expect(api.isDone()).toBe(true);
	});

	it('Aggregate posts a JSON array built from the fields (RTR_AggregateSessions)', async () => {
		const answer = { name: 'platforms', buckets: [{ label: 'Windows', count: 3 }] };
		const api = falcon()
			.post(`${RTR}/aggregates/sessions/GET/v1`, [
				{ name: 'platforms', type: 'term', field: 'platform_name', filter: 'deleted_at:null', size: 5 },
			])
			.reply(200, envelope([answer]));
		const result = await run({
			resource: 'session',
			operation: 'aggregate',
			define: 'fields',
			aggregationType: 'term',
			field: 'platform_name',
			aggregationName: 'platforms',
			filter: 'deleted_at:null',
			size: 5,
		});
		expect(result.error).toBeUndefined();
		expect(json(result.items)).toEqual([answer]);
		expect(api.isDone()).toBe(true);
	});

	it('Aggregate sends date ranges', async () => {
		const api = falcon()
			.post(`${RTR}/aggregates/sessions/GET/v1`, [
				{ name: 'created_at', type: 'date_range', field: 'created_at', date_ranges: [{ from: 'now-1d', to: 'now' }] },
			])
			.reply(200, envelope([{ name: 'created_at', buckets: [] }]));
		const result = await run({
			resource: 'session',
			operation: 'aggregate',
			define: 'fields',
			aggregationType: 'date_range',
			field: 'created_at',
			dateRanges: { range: [{ from: 'now-1d', to: 'now' }] },
		});
		expect(result.error).toBeUndefined();
		expect(api.isDone()).toBe(true);
	});

	it('Aggregate sends JSON specs as given, a single spec wrapped in a list', async () => {
		const api = falcon()
			.post(`${RTR}/aggregates/sessions/GET/v1`, [{ type: 'term', field: 'hostname', size: 3 }])
			.reply(200, envelope([{ name: 'hostname', buckets: [] }]));
		const result = await run({
			resource: 'session',
			operation: 'aggregate',
			define: 'json',
			aggregationsJson: '{ "type": "term", "field": "hostname", "size": 3 }',
		});
		expect(result.error).toBeUndefined();
		expect(json(result.items)).toEqual([{ name: 'hostname', buckets: [] }]);
		expect(api.isDone()).toBe(true);
	});
});
