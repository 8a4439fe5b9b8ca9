import nock from 'nock';

import { TestCredentialsHelper, type FalconCredentialData } from './credentials';

/** The host unit tests pretend Falcon lives at (a custom-URL credential). */
export const API = 'https://falcon.test';
export const CLIENT_SECRET = 'dummy-s3cr3t-do-not-leak-0123456789';

export function testCredentials(overrides: Partial<FalconCredentialData> = {}): TestCredentialsHelper {
	return new TestCredentialsHelper({
		cloud: 'custom',
		baseUrl: API,
		clientId: 'client-0001',
		clientSecret: CLIENT_SECRET,
		...overrides,
	});
}

/** Answers the token call the way Falcon does: 201, form body checked, region header. */
export function mockToken(
	host = API,
	{ token = 'token-1', region = 'us-1', times = 1 }: { token?: string; region?: string; times?: number } = {},
) {
	return nock(host)
		.post('/oauth2/token', (body: Record<string, string>) => body.client_secret === CLIENT_SECRET)
		.times(times)
		.reply(201, { access_token: token, token_type: 'bearer', expires_in: 1799 }, { 'X-CS-Region': region });
}

export function envelope(resources: unknown[], extra: Record<string, unknown> = {}) {
	return { meta: { query_time: 0.01, trace_id: 'trace-ok', ...extra }, resources, errors: [] };
}

export function falconErrors(code: number, message: string, traceId = 'trace-err-1') {
	return { meta: { query_time: 0.01, trace_id: traceId }, resources: [], errors: [{ code, message }] };
}

/** Counts every request that reaches the Falcon host (token call included), whatever its method or path. */
export function countRequests(host = API): { count: number } {
	const seen = { count: 0 };
	for (const method of ['GET', 'POST', 'PATCH', 'DELETE']) {
		nock(host)
			.persist()
			.intercept(/.*/, method)
			.reply(() => {
				seen.count++;
				return [500, {}];
			});
	}
	return seen;
}
