import nock from 'nock';

import { clearMemberTokens } from '../../../nodes/CrowdStrikeFalcon/shared/transport/memberTokens';
import { API, CLIENT_SECRET, envelope, mockToken, testCredentials } from '../../harness/falcon';
import { runNode } from '../../harness/runWorkflow';

// A redirect followed by n8n's helper takes the Authorization header (and a 307/308 the form body) to its target.
const ELSEWHERE = 'https://elsewhere.test';
const INSTALLATION_NODE = 'n8n-nodes-crowdstrike-falcon.crowdStrikeFalconInstallationTokens';
const STREAMS_NODE = 'n8n-nodes-crowdstrike-falcon.crowdStrikeFalconEventStreams';
const SETTINGS = '/installation-tokens/entities/customer-settings/v1';
const getSettings = { resource: 'settings', operation: 'get' };
const CHILD = '0123456789abcdef0123456789abcdef';
const FEED_SESSION = 'feed-session-0123456789';

/** Everything the redirect target receives, whatever the method and path. */
function elsewhere(): { received: Array<{ authorization?: string; body: unknown }> } {
	const seen = { received: [] as Array<{ authorization?: string; body: unknown }> };
	for (const method of ['GET', 'POST']) {
		nock(ELSEWHERE)
			.persist()
			.intercept(/.*/, method)
			.query(true)
			.reply(function (_uri, body) {
				seen.received.push({ authorization: this.req.headers.authorization as string | undefined, body });
				return [200, envelope([])];
			});
	}
	return seen;
}

afterEach(() => clearMemberTokens());

describe('redirects are never followed', () => {
	it('an API call answered 302 fails, naming the redirect, and its token goes nowhere else', async () => {
		const target = elsewhere();
		mockToken();
		nock(API).get(SETTINGS).reply(302, '', { Location: `${ELSEWHERE}/collect?session=abc` });
		const { error, items } = await runNode(INSTALLATION_NODE, getSettings, testCredentials());
		expect(target.received).toEqual([]);
		expect(items).toEqual([]);
		expect(error?.message).toBe(`Falcon API error 302 on GET ${SETTINGS}`);
		expect(error?.description).toContain(`a redirect to ${ELSEWHERE}/collect, which is not followed: it would carry the credential's token there`);
		expect(error?.description).not.toContain('session=abc');
	});

	it("a child's token (Member CID) is not carried by a redirect either", async () => {
		const target = elsewhere();
		nock(API)
			.post('/oauth2/token', (form: Record<string, string>) => form.member_cid === CHILD)
			.reply(201, { access_token: 'child-token', expires_in: 1799 });
		nock(API).get(SETTINGS).reply(301, '', { Location: `${ELSEWHERE}/child` });
		const { error } = await runNode(INSTALLATION_NODE, { ...getSettings, tenant: { memberCid: CHILD } }, testCredentials());
		expect(target.received).toEqual([]);
		expect(error?.message).toBe(`Falcon API error 301 on GET ${SETTINGS}`);
	});

	it('a token call answered 307 is not repeated to the target: the client secret stays home', async () => {
		const target = elsewhere();
		const token = nock(API).post('/oauth2/token').reply(307, '', { Location: `${ELSEWHERE}/oauth2/token` });
		const { error } = await runNode(INSTALLATION_NODE, getSettings, testCredentials());
		expect(token.isDone()).toBe(true);
		expect(target.received).toEqual([]);
		expect(error?.message).toBe(
			`Falcon refused to issue a token (HTTP 307). Falcon answered with a redirect to ${ELSEWHERE}/oauth2/token, which is not followed: it would carry the client secret there. Check the credential's Cloud or Base URL, and any proxy in between`,
		);
		expect(JSON.stringify(error)).not.toContain(CLIENT_SECRET);
	});

	it("a stream feed that redirects is read from nowhere else: the session token stays with Falcon's feed host", async () => {
		const target = elsewhere();
		const feedHost = 'https://firehose.falcon.test';
		mockToken();
		nock(API)
			.get('/sensors/entities/datafeed/v2')
			.query(true)
			.times(20)
			.reply(
				200,
				envelope([
					{
						dataFeedURL: `${feedHost}/sensors/entities/datafeed/v1/0?appId=n8n`,
						sessionToken: { token: FEED_SESSION, expiration: new Date(Date.now() + 1_800_000).toISOString() },
						refreshActiveSessionURL: `${API}/sensors/entities/datafeed-actions/v1/0`,
						refreshActiveSessionInterval: 1800,
					},
				]),
			);
		nock(feedHost)
			.get('/sensors/entities/datafeed/v1/0')
			.query(true)
			.times(20)
			.reply(302, '', { Location: `${ELSEWHERE}/feed` });
		const { error, items } = await runNode(
			STREAMS_NODE,
			{ resource: 'event', operation: 'read', startFrom: 'oldest', maxEvents: 1, timeLimitSeconds: 2, options: { idleSeconds: 1 } },
			testCredentials(),
		);
		expect(target.received).toEqual([]);
		expect(items).toEqual([]);
		expect(error?.message).toContain('Nothing was read: no feed of the stream opened within the Time Limit');
		expect(error?.message).toContain(`HTTP 302: Falcon answered with a redirect to ${ELSEWHERE}/feed, which is not followed`);
	});
});

describe("a credential whose Cloud is none of the package's", () => {
	it.each(['US-GOV-1', 'usgov1', 'us-gov-3', ''])('Cloud %j is refused before the secret is sent anywhere', async (cloud) => {
		const commercial = nock('https://api.crowdstrike.com').post('/oauth2/token').reply(201, { access_token: 'never', expires_in: 1799 });
		const { error } = await runNode(INSTALLATION_NODE, getSettings, testCredentials({ cloud }));
		expect(commercial.isDone()).toBe(false);
		expect(error?.message).toBe(
			`The credential's Cloud ${JSON.stringify(cloud)} is not one of us-1, us-2, us-3, eu-1, us-gov-1, us-gov-2, autodiscover, custom: nothing was sent`,
		);
		nock.cleanAll();
	});
});
