import { envelope } from '../../harness/falcon';
import { falcon, json, REQUEST, run, RTR, SESSION, SESSION_B } from './helpers';

describe('Queued Command', () => {
	it('Get posts the session ids (RTR_ListQueuedSessions)', async () => {
		const queued = [{ id: SESSION, status: 'Pending', Commands: [{ cloud_request_id: REQUEST, status: 'Pending' }] }];
		const api = falcon().post(`${RTR}/entities/queued-sessions/GET/v1`, { ids: [SESSION] }).reply(200, envelope(queued));
		const result = await run({ resource: 'queuedCommand', operation: 'get', sessionIds: SESSION });
		expect(json(result.items)).toEqual(queued);
		expect(api.isDone()).toBe(true);
	});

	it('Get of sessions one of which has nothing queued outputs the others beside the error naming it', async () => {
		const queued = [{ id: SESSION, status: 'Pending', Commands: [{ cloud_request_id: REQUEST, status: 'Pending' }] }];
		const notQueued = { code: 404, message: `queued session not found: ${SESSION_B}` };
		const api = falcon()
			.post(`${RTR}/entities/queued-sessions/GET/v1`, { ids: [SESSION, SESSION_B] })
			.reply(404, { meta: { trace_id: 'trace-404' }, resources: [], errors: [notQueued] })
			.post(`${RTR}/entities/queued-sessions/GET/v1`, { ids: [SESSION] })
			.reply(200, envelope(queued));
		const result = await run({ resource: 'queuedCommand', operation: 'get', sessionIds: `${SESSION},${SESSION_B}` }, { continueOnFail: true });
		expect(api.isDone()).toBe(true);
		expect(json(result.items)).toEqual([
			queued[0],
			expect.objectContaining({ error: `1 of 2 queued session IDs not found: ${SESSION_B}`, errors: [notQueued] }),
		]);
	});

	it('Delete sends session_id and cloud_request_id (RTR_DeleteQueuedSession)', async () => {
		const api = falcon()
			.delete(`${RTR}/entities/queued-sessions/command/v1`)
			.query({ session_id: SESSION, cloud_request_id: REQUEST })
			.reply(200, { meta: { trace_id: 'trace-q' }, errors: [] });
		const result = await run({ resource: 'queuedCommand', operation: 'delete', sessionId: SESSION, cloudRequestId: REQUEST });
		expect(json(result.items)).toEqual([{ session_id: SESSION, cloud_request_id: REQUEST, deleted: true, trace_id: 'trace-q' }]);
		expect(api.isDone()).toBe(true);
	});
});
