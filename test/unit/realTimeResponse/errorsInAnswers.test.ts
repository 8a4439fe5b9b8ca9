import { envelope, falconErrors } from '../../harness/falcon';
import { falcon, HOST_A, json, REQUEST, RTR, run, SESSION } from './helpers';

// Falcon can answer 2xx with errors and nothing else: that is its refusal, with its code, message and trace id, not
// a success (or a command still running) to report.

const runAndWait = { resource: 'command', operation: 'runAndWait', hostId: HOST_A, commandTier: 'readOnly', baseCommand: 'ps', commandLine: 'ps' };

describe('a 2xx answer carrying only errors', () => {
	it("ends Run and Wait's polling with Falcon's error at once, instead of a timeout at the Deadline", async () => {
		const api = falcon()
			.post(`${RTR}/entities/sessions/v1`)
			.reply(201, envelope([{ session_id: SESSION, device_id: HOST_A }]))
			.post(`${RTR}/entities/command/v1`)
			.reply(201, envelope([{ session_id: SESSION, cloud_request_id: REQUEST }]))
			.get(`${RTR}/entities/command/v1`)
			.query(true)
			.reply(200, falconErrors(40006, 'cloud_request_id expired or invalid', 'trace-poll'))
			.delete(`${RTR}/entities/sessions/v1`)
			.query(true)
			.reply(204);
		const started = Date.now();
		const { items } = await run({ ...runAndWait, options: { pollIntervalSeconds: 0.2, deadlineSeconds: 30 } });
		expect(api.isDone()).toBe(true);
		expect(json(items)[0]).toMatchObject({
			status: 'api_error',
			error: { code: 200, message: expect.stringContaining('40006: cloud_request_id expired or invalid'), trace_id: 'trace-poll' },
		});
		expect(Date.now() - started).toBeLessThan(10_000);
	});

	it("fails Run and Wait's session start with Falcon's code and message", async () => {
		falcon().post(`${RTR}/entities/sessions/v1`).reply(201, falconErrors(40401, 'Could not establish sensor comms', 'trace-init'));
		const { error } = await run({ ...runAndWait, options: {} });
		expect(error?.message).toBe('Falcon API error 201: 40401: Could not establish sensor comms');
		expect(error?.description).toContain('trace_id: trace-init');
	});

	it("fails Run and Wait's command with Falcon's code and message", async () => {
		falcon()
			.post(`${RTR}/entities/sessions/v1`)
			.reply(201, envelope([{ session_id: SESSION, device_id: HOST_A }]))
			.post(`${RTR}/entities/command/v1`)
			.reply(201, falconErrors(40007, 'command not allowed', 'trace-cmd'))
			.delete(`${RTR}/entities/sessions/v1`)
			.query(true)
			.reply(204);
		const { error } = await run({ ...runAndWait, options: {} });
		expect(error?.message).toBe('Falcon API error 201: 40007: command not allowed');
	});

	it('fails Session → Start instead of outputting no item', async () => {
		falcon().post(`${RTR}/entities/sessions/v1`).reply(201, falconErrors(40401, 'Could not establish sensor comms', 'trace-start'));
		const { error, items } = await run({ resource: 'session', operation: 'start', hostId: HOST_A, options: {} });
		expect(items).toEqual([]);
		expect(error?.message).toBe('Falcon API error 201: 40401: Could not establish sensor comms');
	});

	it('fails Queued Command → Delete instead of reporting the command deleted', async () => {
		falcon()
			.delete(`${RTR}/entities/queued-sessions/command/v1`)
			.query({ session_id: SESSION, cloud_request_id: REQUEST })
			.reply(200, falconErrors(40004, 'command already completed; cannot cancel', 'trace-q'));
		const { error, items } = await run(
			{ resource: 'queuedCommand', operation: 'delete', sessionId: SESSION, cloudRequestId: REQUEST },
			{ continueOnFail: true },
		);
		expect(json(items)).toEqual([expect.objectContaining({ error: 'Falcon API error 200: 40004: command already completed; cannot cancel', trace_id: 'trace-q' })]);
		expect(error).toBeUndefined();
	});
});
