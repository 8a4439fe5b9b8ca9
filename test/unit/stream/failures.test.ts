import { describeStreamFailure } from '../../../nodes/CrowdStrikeFalcon/shared/stream/failures';
import { scrubbed } from '../../../nodes/CrowdStrikeFalcon/shared/transport/failures';

describe('stream failure reasons (logged and kept in health)', () => {
	const token = 'a'.repeat(64);

	it('never carry a URL\'s query or a Bearer/Token credential', () => {
		expect(scrubbed(`GET https://firehose.example/sensors/entities/datafeed/v1/0?appId=x&token=${token} failed`)).toBe(
			'GET https://firehose.example/sensors/entities/datafeed/v1/0 failed',
		);
		expect(scrubbed(`headers: { Authorization: 'Token ${token}' }`)).toBe("headers: { Authorization: 'Token [redacted]' }");
		expect(scrubbed('authorization: Bearer sim.0123456789abcdef0123456789abcdef')).toBe('authorization: Bearer [redacted]');
		expect(scrubbed('Token expired')).toBe('Token expired');
	});

	it('read the status or network code, never the error object that holds the request', () => {
		const withRequest = Object.assign(new Error('Request failed with status code 401'), {
			response: { status: 401, headers: {}, data: '' },
			config: { headers: { Authorization: `Token ${token}` } },
		});
		expect(describeStreamFailure(withRequest)).toBe('HTTP 401');
		const network = Object.assign(new Error(`connect ECONNREFUSED https://h/x?t=${token}`), { code: 'ECONNREFUSED' });
		expect(describeStreamFailure(network)).toBe('ECONNREFUSED');
		expect(describeStreamFailure(new Error(`socket hang up https://h/feed?token=${token}`))).not.toContain(token);
	});
});
