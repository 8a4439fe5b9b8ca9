/* eslint-disable @n8n/community-nodes/no-restricted-globals -- the fake token endpoint answers after a moment */
import type { ICredentialDataDecryptedObject, IHttpRequestHelper } from 'n8n-workflow';

import { clearMemberTokens, memberToken } from '../../../nodes/CrowdStrikeFalcon/shared/transport/memberTokens';

const CHILD = '00112233445566778899aabbccddeeff';
const credentials = { cloud: 'custom', baseUrl: 'https://falcon.test', clientId: 'client', clientSecret: 'secret' } as ICredentialDataDecryptedObject;

beforeEach(() => clearMemberTokens());

/** A node run's (or the trigger's) request helpers, on a token endpoint that is down: every answer a 503. */
function runOnDownEndpoint(calls: { count: number }): IHttpRequestHelper {
	return {
		helpers: {
			httpRequest: async () => {
				calls.count++;
				await new Promise((resolve) => setTimeout(resolve, 20));
				return { statusCode: 503, headers: {}, body: { errors: [{ code: 503, message: 'service unavailable' }] } };
			},
		},
	} as unknown as IHttpRequestHelper;
}

it("a run that waited for another run's failing mint remembers the outage too: its next item asks no more", async () => {
	const calls = { count: 0 };
	const trigger = runOnDownEndpoint(calls);
	const nodeRun = runOnDownEndpoint(calls);
	// Both ask at once: one mint (with its retries) serves both, and fails.
	const both = await Promise.allSettled([memberToken(trigger, credentials, CHILD), memberToken(nodeRun, credentials, CHILD)]);
	expect(both.map(({ status }) => status)).toEqual(['rejected', 'rejected']);
	const asked = calls.count;
	await expect(memberToken(nodeRun, credentials, CHILD)).rejects.toThrow(/HTTP 503/);
	await expect(memberToken(trigger, credentials, CHILD)).rejects.toThrow(/HTTP 503/);
	expect(calls.count).toBe(asked);
	// Another run (n8n's Retry On Fail) asks Falcon again.
	await expect(memberToken(runOnDownEndpoint(calls), credentials, CHILD)).rejects.toThrow(/HTTP 503/);
	expect(calls.count).toBeGreaterThan(asked);
});
