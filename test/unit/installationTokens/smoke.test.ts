import nock from 'nock';

import { API, envelope, mockToken, testCredentials } from '../../harness/falcon';
import { runNode } from '../../harness/runWorkflow';

const NODE = 'n8n-nodes-crowdstrike-falcon.crowdStrikeFalconInstallationTokens';

it('gets the settings through the real credential flow', async () => {
	mockToken();
	const api = nock(API, { reqheaders: { authorization: 'Bearer token-1' } })
		.get('/installation-tokens/entities/customer-settings/v1')
		.reply(200, envelope([{ tokens_required: true, max_active_tokens: 5 }]));
	const result = await runNode(NODE, { resource: 'settings', operation: 'get' }, testCredentials());
	expect(result.error).toBeUndefined();
	expect(result.items.map((i) => i.json)).toEqual([{ tokens_required: true, max_active_tokens: 5 }]);
	expect(api.isDone()).toBe(true);
});
