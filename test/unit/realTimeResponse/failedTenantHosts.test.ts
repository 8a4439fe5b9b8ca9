import { NodeApiError } from 'n8n-workflow';

import type { ValidItem } from '../../../nodes/CrowdStrikeFalcon/shared/engine/types';
import { failedTenantHosts } from '../../../nodes/CrowdStrikeFalcon/RealTimeResponse/shared/hostResults';

// A child whose batch run failed as a whole while other children ran: its hosts are reported, not the node failed.
it('reports every host a failed tenant named as api_error with the error, paired to the items that named it', () => {
	const [a, b] = ['a'.repeat(32), 'b'.repeat(32)];
	const items = [
		{ itemIndex: 0, prepared: { sent: { host_ids: [a, b] } } },
		{ itemIndex: 2, prepared: { sent: { host_ids: a } } },
	] as unknown as ValidItem[];
	const error = new NodeApiError({ name: 'RTR', type: 'x', typeVersion: 1, position: [0, 0], parameters: {} } as never, {
		status: 503,
		trace_id: 'trace-503',
	}, { message: 'Falcon API error 503: service unavailable', httpCode: '503' });
	expect(failedTenantHosts(items, error)).toEqual([
		{
			json: { host_id: a, status: 'api_error', error: { code: 503, message: 'Falcon API error 503: service unavailable', trace_id: 'trace-503' } },
			pairedItem: [{ item: 0 }, { item: 2 }],
		},
		{
			json: { host_id: b, status: 'api_error', error: { code: 503, message: 'Falcon API error 503: service unavailable', trace_id: 'trace-503' } },
			pairedItem: { item: 0 },
		},
	]);
});
