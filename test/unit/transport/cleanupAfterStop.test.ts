import type { IExecuteFunctions, INodeType } from 'n8n-workflow';
import nock from 'nock';

import { closeSession } from '../../../nodes/CrowdStrikeFalcon/RealTimeResponse/shared/session';
import { API, falconErrors, mockToken, testCredentials } from '../../harness/falcon';
import { PACKAGE, packageNodes } from '../../harness/nodeTypes';
import { runNode } from '../../harness/runWorkflow';

const SESSIONS = '/real-time-response/entities/sessions/v1';
const CLOSER = `${PACKAGE}.sessionCloser`;

// What RTR's flows do in their `finally`: end the session, also when the run was stopped. The node waits for it, as
// the flows do, and hands the outcome to the test.
let closed: Promise<{ deleted: boolean; error?: string }>;
packageNodes[CLOSER] = {
	description: {
		displayName: 'Session Closer',
		name: 'sessionCloser',
		group: ['transform'],
		version: 1,
		description: 'Ends one RTR session',
		defaults: { name: 'Session Closer' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
		credentials: [{ name: 'crowdStrikeFalconOAuth2Api', required: true }],
	},
	async execute(this: IExecuteFunctions) {
		closed = closeSession(this, 'session-1', 0);
		return [[{ json: await closed }]];
	},
} as INodeType;

it('a session delete Falcon answered 503 is sent again after a Stop pressed during the back-off', async () => {
	mockToken(API, { token: 'token-1' });
	let stop!: () => void;
	const stopped = new Promise<void>((resolve) => (stop = resolve));
	const answers: number[] = [];
	nock(API).delete(SESSIONS).query({ session_id: 'session-1' }).reply(() => {
		answers.push(503);
		stop();
		return [503, falconErrors(503, 'unavailable')];
	});
	nock(API, { reqheaders: { authorization: 'Bearer token-1' } })
		.delete(SESSIONS)
		.query({ session_id: 'session-1' })
		.reply(() => (answers.push(204), [204, '']));
	const { run } = await runNode(CLOSER, {}, testCredentials(), { cancelWhen: stopped });
	expect(run.status).toBe('canceled');
	expect(await closed).toEqual({ deleted: true });
	expect(answers).toEqual([503, 204]);
});

it('a session delete under way when Stop is pressed is not cut off', async () => {
	mockToken(API, { token: 'token-1' });
	let stop!: () => void;
	const stopped = new Promise<void>((resolve) => (stop = resolve));
	const deleted = nock(API)
		.delete(SESSIONS)
		.query({ session_id: 'session-1' })
		.delay(300)
		.reply(() => {
			stop();
			return [204, ''];
		});
	const { run } = await runNode(CLOSER, {}, testCredentials(), { cancelWhen: stopped });
	expect(run.status).toBe('canceled');
	expect(await closed).toEqual({ deleted: true });
	expect(deleted.isDone()).toBe(true);
});
