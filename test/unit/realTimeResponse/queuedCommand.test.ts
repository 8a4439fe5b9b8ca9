import { envelope } from '../../harness/falcon';
import { falcon, json, REQUEST, run, RTR, SESSION } from './helpers';

describe('Queued Command', () => {
	it('Get posts the session ids (RTR_ListQueuedSessions)', async () => {
		const queued = [{ id: SESSION, status: 'Pending', Commands: [{ cloud_request_id: REQUEST, status: 'Pending' }] }];
		const api = falcon().post(`${RTR}/entities/queued-sessions/GET/v1`, { ids: [SESSION] }).reply(200, envelope(queued));
		const result = await run({ resource: 'queuedCommand', operation: 'get', sessionIds: SESSION });
		expect(json(result.items)).toEqual(queued);
		expect(api.isDone()).toBe(true);
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
