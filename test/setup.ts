import nock from 'nock';

import { clearMemberTokens } from '../nodes/CrowdStrikeFalcon/shared/transport/memberTokens';
import { clearRateLimits } from '../nodes/CrowdStrikeFalcon/shared/transport/rateLimitCooldown';
import { retryPolicy } from '../nodes/CrowdStrikeFalcon/shared/transport/retryPolicy';

const productionRetryPolicy = { ...retryPolicy };

beforeAll(() => {
	if (!nock.isActive()) nock.activate();
	nock.disableNetConnect();
	// Integration tests talk to the simulator on loopback over real HTTP.
	nock.enableNetConnect(/(127\.0\.0\.1|localhost)/);
});

beforeEach(() => {
	// Tokens are kept per process: each test asks for its own.
	clearMemberTokens();
	clearRateLimits();
	// Keep the logic, shorten the waits: back-offs become milliseconds instead of seconds.
	Object.assign(retryPolicy, productionRetryPolicy, { minRateLimitWaitMs: 0, serverErrorBackoffMs: 1 });
});

afterEach(() => {
	nock.cleanAll();
});

afterAll(() => {
	// Each test file loads its own nock; unpatch http so the next file's copy intercepts instead of this one.
	nock.restore();
});
