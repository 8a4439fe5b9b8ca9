import { testCredentials, countRequests } from '../../harness/falcon';
import { runNode } from '../../harness/runWorkflow';
import { ALERT_1, ALERTS_NODE } from './helpers';

type Row = [string, Record<string, unknown>, string];


const get = (compositeIds: unknown) => ({ resource: 'alert', operation: 'get', compositeIds });
const update = (updateFields: Record<string, unknown>, compositeIds: unknown = ALERT_1) => ({
	resource: 'alert',
	operation: 'update',
	compositeIds,
	updateFields,
});
const getMany = (filters: Record<string, unknown>) => ({ resource: 'alert', operation: 'getAll', limit: 10, filters, options: {} });
const COMPOSITE_RULE = 'each value must be a composite alert ID such as <cid>:ind:<host id>:<detection id>';
const STATUS_RULE = 'must be one of closed, in_progress, new, reopened';
const tooMany = Array.from({ length: 1001 }, (_, n) => n.toString(16).padStart(32, '0')).join(',');

// Literal values are checked by n8n itself (required fields) before the node runs; expressions reach the node's rules.
const rows: Row[] = [
	['empty Composite IDs (expression)', get('={{ $json.event?.CompositeId ?? "" }}'), 'Invalid "Composite IDs": must not be empty'],
	['blank Composite IDs', get('={{ "   " }}'), 'Invalid "Composite IDs": must not be empty'],
	['Composite IDs of a lone comma', get(','), 'Invalid "Composite IDs": must not be empty'],
	['Composite IDs of commas and spaces', get(' , , '), 'Invalid "Composite IDs": must not be empty'],
	['Composite IDs of a semicolon in spaces', update({ status: 'closed' }, ' ; '), 'Invalid "Composite IDs": must not be empty'],
	['a malformed composite ID', get(`${ALERT_1}, ldt:12345`), `Invalid "Composite IDs": ${COMPOSITE_RULE} (got "ldt:12345")`],
	['a composite ID with a short cid', update({ status: 'closed' }, 'abc:ind:def:1-2-3'), `Invalid "Composite IDs": ${COMPOSITE_RULE} (got "abc:ind:def:1-2-3")`],
	['more than 1,000 composite IDs', get(tooMany), 'Invalid "Composite IDs": must list at most 1000 alerts per item (got 1001)'],
	['an unknown status filter (expression)', getMany({ status: '={{ "open" }}' }), `Invalid "Filters > Status": ${STATUS_RULE} (got "open")`],
	['an unknown new status (expression)', update({ status: '={{ "resolved" }}' }), `Invalid "Update Fields > Status": ${STATUS_RULE} (got "resolved")`],
	['a status in the wrong case (expression)', update({ status: '={{ "Closed" }}' }), `Invalid "Update Fields > Status": ${STATUS_RULE} (got "Closed")`],
	['a minimum severity above 100', getMany({ minSeverity: 101 }), 'Invalid "Filters > Minimum Severity (1-100)": must be a whole number from 1 to 100 (got 101)'],
	['a minimum severity of 0', getMany({ minSeverity: 0 }), 'Invalid "Filters > Minimum Severity (1-100)": must be a whole number from 1 to 100 (got 0)'],
	['a created-after that is no date', getMany({ createdAfter: 'last tuesday' }), 'Invalid "Filters > Created After": must be an ISO 8601 date and time such as 2026-12-31T23:59:59Z or 2026-12-31 (got "last tuesday")'],
	['a host ID filter that is no AID', getMany({ hostId: 'WKS-100' }), 'Invalid "Filters > Host ID": must be a host ID (AID) of 32 hexadecimal characters (got "WKS-100")'],
	['a host ID filter whose expression found nothing', getMany({ hostId: '={{ $json.aid ?? "" }}' }), 'Invalid "Filters > Host ID": was added but is empty'],
	// Falcon documents no patterns on device.hostname: a * would have listed (and an Update after it closed) every alert.
	['a hostname filter with a wildcard', getMany({ hostname: '*' }), 'Invalid "Filters > Hostname": takes whole values only, without * (got "*")'],
	['an FQL filter that closes its parentheses early', getMany({ hostname: 'web-02', query: "status:'closed'),(status:*'*'" }), 'Invalid "Filters > FQL Filter": must keep its parentheses and quotes balanced'],
	['a severities filter with none chosen', getMany({ severityNames: [] }), 'Invalid "Filters > Severity": was added but is empty'],
	['an update with nothing to change', update({}), 'Invalid "Update": add at least one of the "Update Fields"'],
	['an update whose only field is Unassign off', update({ unassign: false }), 'Invalid "Update": add at least one of the "Update Fields"'],
	// The cross-field check sees the boolean the mapping sees, not the text an expression gave.
	['an update whose only field is Unassign "false" (expression)', update({ unassign: '={{ "false" }}' }), 'Invalid "Update": add at least one of the "Update Fields"'],
	['Unassign beside an assignee', update({ unassign: true, assignToUserId: 'analyst@example.com' }), 'Invalid "Update": "Unassign" and an "Assign to" field contradict each other: use one of them'],
	['an assignee UUID that is no UUID', update({ assignToUuid: 'analyst@example.com' }), 'Invalid "Update Fields > Assign to UUID": must be a UUID such as 1c5c4a4e-8f6b-4f2a-9a53-0d1f1f4e2b7a (got "analyst@example.com")'],
	['a blank comment', update({ comment: '   ' }), 'Invalid "Update Fields > Append Comment": must not be blank'],
	['a blank assignee user ID', update({ assignToUserId: ' ' }), 'Invalid "Update Fields > Assign to User ID": must not be blank'],
	['a tag with a quote', update({ addTags: "fp, it's bad" }), 'Invalid "Update Fields > Add Tags": each tag must be at most 256 characters, without quotes or backslashes (got "it\'s bad")'],
	['tags of separators only', update({ removeTags: ' , ' }), 'Invalid "Update Fields > Remove Tags": must not be empty'],
];

describe('Alerts: bad input fails before any request, naming the field and the rule', () => {
	it.each(rows)('%s', async (_case, parameters, message) => {
		const requests = countRequests();
		const credentials = testCredentials();
		const { error } = await runNode(ALERTS_NODE, parameters as never, credentials);
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toContain(message);
		expect(error?.description).toContain('Nothing was sent to Falcon');
		expect(requests.count).toBe(0);
		expect(credentials.preAuthentications).toEqual([]);
	});
});
