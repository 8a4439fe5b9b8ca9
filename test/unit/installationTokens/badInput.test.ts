import nock from 'nock';

import { API, testCredentials, countRequests } from '../../harness/falcon';
import { runNode } from '../../harness/runWorkflow';

const NODE = 'n8n-nodes-crowdstrike-falcon.crowdStrikeFalconInstallationTokens';
const ID = 'c'.repeat(32);
/** 101 distinct token IDs: a repeated one counts once. */
const IDS_101 = Array.from({ length: 101 }, (_, n) => n.toString(16).padStart(32, 'c'));

type Row = [string, Record<string, unknown>, string];


const rows: Row[] = [
	['token ids that resolve to nothing', { resource: 'token', operation: 'get', ids: '={{ $json.missing ?? "" }}' }, 'Invalid "Token IDs": must not be empty'],
	['a malformed token id', { resource: 'token', operation: 'delete', ids: `${ID},xyz` }, 'Invalid "Token IDs": each value must be 32 hexadecimal characters (got "xyz")'],
	['Token IDs (Get) of a lone comma', { resource: 'token', operation: 'get', ids: ',' }, 'Invalid "Token IDs": must not be empty'],
	['Token IDs (Get) of commas and spaces', { resource: 'token', operation: 'get', ids: ' , , ' }, 'Invalid "Token IDs": must not be empty'],
	['Token IDs (Get) of a semicolon in spaces', { resource: 'token', operation: 'get', ids: ' ; ' }, 'Invalid "Token IDs": must not be empty'],
	['Token IDs (Delete) of a lone comma', { resource: 'token', operation: 'delete', ids: ',' }, 'Invalid "Token IDs": must not be empty'],
	['Token IDs (Delete) of commas and spaces', { resource: 'token', operation: 'delete', ids: ' , , ' }, 'Invalid "Token IDs": must not be empty'],
	['Token IDs (Delete) of a semicolon in spaces', { resource: 'token', operation: 'delete', ids: ' ; ' }, 'Invalid "Token IDs": must not be empty'],
	['an empty label', { resource: 'token', operation: 'create', label: '  ', expires: 'never' }, 'Invalid "Label": must not be empty'],
	['a bad expiry date', { resource: 'token', operation: 'create', label: 'x', expires: 'at', expiresAt: 'next tuesday' }, 'Invalid "Expires At": must be an ISO 8601 date and time such as 2026-12-31T23:59:59Z or 2026-12-31 (got "next tuesday")'],
	['an update with nothing to change', { resource: 'token', operation: 'update', ids: ID, updateFields: {} }, 'Invalid "Update": add at least one field under "Update Fields"'],
	['a new expiry and "never expires" together', { resource: 'token', operation: 'update', ids: ID, updateFields: { neverExpires: true, expiresAt: '2030-01-01T00:00:00Z' } }, 'Invalid "Update": "Expires At" and "Never Expires" cannot be used together'],
	['a bad expiry in an update', { resource: 'token', operation: 'update', ids: ID, updateFields: { expiresAt: '31/12/2030' } }, 'Invalid "Update Fields > Expires At": must be an ISO 8601 date and time'],
	// JavaScript would read it as 5 December 2001, in the server's time zone.
	['a date written loosely', { resource: 'token', operation: 'create', label: 'x', expires: 'at', expiresAt: 'Dec 5' }, 'Invalid "Expires At": must be an ISO 8601 date and time such as 2026-12-31T23:59:59Z or 2026-12-31 (got "Dec 5")'],
	['an expiry in the past', { resource: 'token', operation: 'create', label: 'x', expires: 'at', expiresAt: '2020-01-01T00:00:00Z' }, 'Invalid "Expires At": must be in the future (got 2020-01-01T00:00:00.000Z)'],
	['a new expiry in the past', { resource: 'token', operation: 'update', ids: ID, updateFields: { expiresAt: '2020-01-01' } }, 'Invalid "Update Fields > Expires At": must be in the future'],
	['Return All that is neither true nor false (a sheet cell)', { resource: 'token', operation: 'getAll', returnAll: '={{ "yes" }}', limit: 5 }, 'Invalid "Return All": must be true or false (got "yes")'],
	['a limit of zero', { resource: 'token', operation: 'getAll', returnAll: false, limit: 0 }, 'Invalid "Limit": must be a positive whole number (got 0)'],
	['a fractional limit', { resource: 'auditEvent', operation: 'getAll', returnAll: false, limit: 2.5 }, 'Invalid "Limit": must be a positive whole number (got 2.5)'],
	['an expiry window of 0 days', { resource: 'token', operation: 'getAll', limit: 5, filters: { expiringWithinDays: 0 } }, 'Invalid "Filters > Expiring Within (Days)": must be a whole number from 1 to 3650 (got 0)'],
	// The ids go in the query string: past 100 the URL nears the ~18 kB Falcon and proxies accept.
	['101 token ids to update', { resource: 'token', operation: 'update', ids: IDS_101.join(','), updateFields: { revoked: 'revoke' } }, 'Invalid "Token IDs": must list at most 100 token IDs per item (got 101)'],
	['101 audit event ids', { resource: 'auditEvent', operation: 'get', ids: IDS_101 }, 'Invalid "Audit Event IDs": must list at most 100 audit event IDs per item (got 101)'],
	// Each of these used to reach Falcon as a change of nothing (or of less than asked) and report success.
	['a revocation that is neither revoke nor restore', { resource: 'token', operation: 'update', ids: ID, updateFields: { revoked: true, label: 'x' } }, 'Invalid "Update Fields > Revocation": must be "revoke" or "restore" (got true)'],
	['Never Expires that is not a boolean', { resource: 'token', operation: 'update', ids: ID, updateFields: { neverExpires: 'yes' } }, 'Invalid "Update Fields > Never Expires": must be true or false (got "yes")'],
	['Never Expires "true" (a sheet cell) with Expires At', { resource: 'token', operation: 'update', ids: ID, updateFields: { neverExpires: '={{ "true" }}', expiresAt: '2030-01-01T00:00:00Z' } }, 'Invalid "Update": "Expires At" and "Never Expires" cannot be used together'],
	['an update whose only field is off', { resource: 'token', operation: 'update', ids: ID, updateFields: { neverExpires: false } }, 'Invalid "Update": nothing to change: every field given is empty or off'],
	['max active tokens from an empty cell, alone', { resource: 'settings', operation: 'update', updateFields: { maxActiveTokens: '' } }, 'Invalid "Update": nothing to change'],
	['a malformed audit event id', { resource: 'auditEvent', operation: 'get', ids: 'not-an-id' }, 'Invalid "Audit Event IDs": each value must be 32 hexadecimal characters (got "not-an-id")'],
	['101 token ids in the audit events filter', { resource: 'auditEvent', operation: 'getAll', limit: 5, filters: { auditedId: IDS_101.join(',') } }, 'Invalid "Filters > Token ID": must list at most 100 token IDs per item (got 101)'],
	['a malformed token id filter', { resource: 'auditEvent', operation: 'getAll', limit: 5, filters: { auditedId: 'abc' } }, 'Invalid "Filters > Token ID": each value must be 32 hexadecimal characters (got "abc")'],
	['max active tokens of 0', { resource: 'settings', operation: 'update', updateFields: { maxActiveTokens: 0 } }, 'Invalid "Update Fields > Max Active Tokens": must be a positive whole number (got 0)'],
	['negative max active tokens', { resource: 'settings', operation: 'update', updateFields: { maxActiveTokens: -3 } }, 'must be a positive whole number (got -3)'],
	// Number() reads each as a count: a mistaken expression would set a tenant-wide limit nobody chose.
	['max active tokens from a comparison (true)', { resource: 'settings', operation: 'update', updateFields: { maxActiveTokens: '={{ 3 > 0 }}' } }, 'Invalid "Update Fields > Max Active Tokens": must be a positive whole number (got true)'],
	['max active tokens from a list', { resource: 'settings', operation: 'update', updateFields: { maxActiveTokens: '={{ [5] }}' } }, 'must be a positive whole number (got [5])'],
	['max active tokens in hexadecimal', { resource: 'settings', operation: 'update', updateFields: { maxActiveTokens: '={{ "0x10" }}' } }, 'must be a positive whole number (got "0x10")'],
	// n8n checks no dropdown an expression sets: "At a Date" (its label) used to make a token that never expires.
	['an Expires value from an expression that is none of its choices', { resource: 'token', operation: 'create', label: 'x', expires: '={{ "At a Date" }}', expiresAt: '2031-01-01T00:00:00Z' }, 'Invalid "Expires": must be one of "never", "at" (got "At a Date")'],
	['a filter status in the wrong case', { resource: 'token', operation: 'getAll', limit: 5, filters: { status: '={{ "Valid" }}' } }, 'Invalid "Filters > Status": must be one of'],
	// JavaScript and Luxon would both take it for 2 March.
	['an expiry on a day the month does not have', { resource: 'token', operation: 'create', label: 'x', expires: 'at', expiresAt: '2030-02-30T10:00:00' }, 'Invalid "Expires At": must be an ISO 8601 date and time'],
	['a settings update with nothing to change', { resource: 'settings', operation: 'update', updateFields: {} }, 'Invalid "Update": add at least one field under "Update Fields"'],
];

describe('bad input fails before any request, naming the field and the rule', () => {
	it.each(rows)('%s', async (_case, parameters, message) => {
		const requests = countRequests();
		const credentials = testCredentials();
		const { error } = await runNode(NODE, parameters as never, credentials);
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toContain(message);
		expect(error?.description).toContain('Nothing was sent to Falcon');
		expect(requests.count).toBe(0);
		expect(credentials.preAuthentications).toEqual([]);
	});

	it('checks every item before the first one is sent', async () => {
		const requests = countRequests();
		const { error } = await runNode(NODE, { resource: 'token', operation: 'delete', ids: '={{ $json.id }}' }, testCredentials(), {
			input: [{ json: { id: ID } }, { json: { id: 'oops' } }],
		});
		expect(error?.message).toContain('(got "oops")');
		expect(error?.context?.itemIndex).toBe(1);
		expect(requests.count).toBe(0);
	});

	it('with continueOnFail, a bad item becomes an error item and the good items still run', async () => {
		nock(API).post('/oauth2/token').reply(201, { access_token: 't', expires_in: 1799 });
		const deleted = nock(API)
			.delete('/installation-tokens/entities/tokens/v1')
			.query({ ids: ID })
			.reply(200, { meta: { trace_id: 'trace-d' }, errors: [] });
		const { items, error } = await runNode(NODE, { resource: 'token', operation: 'delete', ids: '={{ $json.id }}' }, testCredentials(), {
			input: [{ json: { id: 'oops' } }, { json: { id: ID } }],
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(deleted.isDone()).toBe(true);
		expect(items).toEqual([
			{ json: expect.objectContaining({ error: expect.stringContaining('(got "oops")') }), pairedItem: { item: 0 } },
			{ json: { id: ID, deleted: true, trace_id: 'trace-d' }, pairedItem: { item: 1 } },
		]);
	});
});
