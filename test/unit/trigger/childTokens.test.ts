/* eslint-disable @n8n/community-nodes/no-restricted-imports */
import { PassThrough } from 'node:stream';
import type { IDataObject } from 'n8n-workflow';
import nock from 'nock';

import { clearMemberTokens } from '../../../nodes/CrowdStrikeFalcon/shared/transport/memberTokens';
import { API, CLIENT_SECRET, envelope, mockToken, testCredentials } from '../../harness/falcon';
import { startTrigger, until, type RunningTrigger } from '../../harness/runTrigger';

// The trigger over two children against a Falcon played by nock: each child's token is minted once and used for
// its discovery and every session refresh; neither the tokens nor the secret end up in items or static data.

const FIREHOSE = 'https://firehose.falcon.test';
/** The parent's own access token, as the fake token endpoint issues it. */
const PARENT_ACCESS = 'parent-token-000000000000';
const CHILDREN = { a: '0123456789abcdef0123456789abcdef', b: 'fedcba9876543210fedcba9876543210' };
const feeds: PassThrough[] = [];
let trigger: RunningTrigger | undefined;

afterEach(async () => {
	await trigger?.close();
	trigger = undefined;
	for (const feed of feeds.splice(0)) feed.destroy();
	clearMemberTokens();
});

/** One child's Falcon: its token (once), its discovery, a feed holding one event, and its session refreshes. */
function childFalcon(name: 'a' | 'b', refreshes: string[]) {
	const cid = CHILDREN[name];
	const bearer = `Bearer child-token-${name}-000000000000`;
	const feedToken = `feed-session-${name}-000000000000`;
	const token = nock(API)
		.post('/oauth2/token', (body: Record<string, string>) => body.member_cid === cid && body.client_secret === CLIENT_SECRET)
		.reply(201, { access_token: `child-token-${name}-000000000000`, token_type: 'bearer', expires_in: 1799 });
	nock(API)
		.get('/sensors/entities/datafeed/v2')
		.query(true)
		.matchHeader('authorization', bearer)
		.reply(200, () => {
			return envelope([
				{
					dataFeedURL: `${FIREHOSE}/${name}/sensors/entities/datafeed/v1/0?appId=x`,
					sessionToken: { token: feedToken, expiration: new Date(Date.now() + 1_800_000).toISOString() },
					refreshActiveSessionURL: `${API}/sensors/entities/datafeed-actions/v1/0`,
					refreshActiveSessionInterval: 0.3,
				},
			]);
		});
	nock(FIREHOSE)
		.get(`/${name}/sensors/entities/datafeed/v1/0`)
		.query(true)
		.matchHeader('authorization', `Token ${feedToken}`)
		.reply(200, () => {
			const feed = new PassThrough();
			feeds.push(feed);
			const event = { metadata: { offset: 0, eventType: 'EppDetectionSummaryEvent', customerIDString: cid.toUpperCase(), eventCreationTime: Date.now() }, event: { SeverityName: 'High' } };
			feed.write(`${JSON.stringify(event)}\n`);
			return feed;
		});
	nock(API)
		.post('/sensors/entities/datafeed-actions/v1/0')
		.query(true)
		.matchHeader('authorization', bearer)
		.times(20)
		.reply(200, () => {
			refreshes.push(name);
			return envelope([]);
		});
	return token;
}

it('mints one token per child, reuses it for discovery and every refresh, and keeps every token out of items and state', async () => {
	const unmatched: string[] = [];
	nock.emitter.on('no match', (request: { method?: string; path?: string; href?: string }) =>
		unmatched.push(`${request.method} ${request.href ?? request.path}`),
	);
	mockToken(API, { token: PARENT_ACCESS });
	nock(API)
		.get('/mssp/entities/children/v1')
		.query(true)
		.matchHeader('authorization', `Bearer ${PARENT_ACCESS}`)
		.reply(200, envelope([
			{ child_cid: CHILDREN.a, name: 'Alpha', status: 'active' },
			{ child_cid: CHILDREN.b, name: 'Bravo', status: 'active' },
		]));
	const refreshes: string[] = [];
	const tokens = [childFalcon('a', refreshes), childFalcon('b', refreshes)];

	trigger = await startTrigger(
		{
			tenants: 'childList',
			childCids: `${CHILDREN.a}, ${CHILDREN.b.toUpperCase()}`,
			options: { whenNothingStored: 'oldest', watchdogSeconds: 0, reconnectDelaySeconds: 0.05, alertAfterDownMinutes: 0 },
		},
		testCredentials(),
	);
	const running = trigger;
	await until(() => running.items().length === 2, 5_000, 'one event of each child');
	await until(() => refreshes.filter((name) => name === 'a').length >= 2 && refreshes.filter((name) => name === 'b').length >= 2, 5_000, 'two refreshes of each child');

	for (const scope of tokens) expect(scope.isDone()).toBe(true);
	expect(unmatched).toEqual([]);
	const byChild = Object.fromEntries(running.items().map((item) => [(item.stream as IDataObject).cid, (item.stream as IDataObject).childName]));
	expect(byChild).toEqual({ [CHILDREN.a]: 'Alpha', [CHILDREN.b]: 'Bravo' });

	const everything = JSON.stringify({ items: running.items(), state: running.nodeState(), persisted: running.persisted() });
	for (const secret of ['child-token-', 'feed-session-', 'parent-token-', CLIENT_SECRET]) expect(everything).not.toContain(secret);
	expect(running.errors).toEqual([]);
	nock.emitter.removeAllListeners('no match');
});
