import { testCredentials, countRequests } from '../../harness/falcon';
import { runNode } from '../../harness/runWorkflow';
import { byHostname, byId, fromList, HOST_A, HOSTS_NODE, RTR_NODE } from './helpers';

type Row = [string, Record<string, unknown>, string];


const get = (hostIds: unknown) => ({ resource: 'host', operation: 'get', hostIds });
const contain = (hostId: unknown, options = {}) => ({ resource: 'host', operation: 'contain', hostId, options });
const lift = (hostId: unknown, options = {}) => ({ resource: 'host', operation: 'liftContainment', hostId, options });
const tag = (tags: unknown, tagAction: unknown = 'add') => ({ resource: 'host', operation: 'updateTags', hostId: byId(HOST_A), tagAction, tags });
const getMany = (filters: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
	resource: 'host',
	operation: 'getAll',
	limit: 10,
	filters,
	options: {},
	...extra,
});
const AID_RULE = 'each value must be a host ID (AID) of 32 hexadecimal characters';
const tooMany = Array.from({ length: 5001 }, (_, n) => n.toString(16).padStart(32, '0')).join(',');

// Literal values are checked by n8n itself (required fields, the By ID regex) before the node runs; expressions are
// only known at run time, so these rows use them to reach the node's own rules.
const rows: Row[] = [
	['blank Host IDs', get('={{ "  " }}'), 'Invalid "Host IDs": must not be empty'],
	['Host IDs from an expression that resolves to nothing', get('={{ $json.missing ?? "" }}'), 'Invalid "Host IDs": must not be empty'],
	['Host IDs of a lone comma', get(','), 'Invalid "Host IDs": must not be empty'],
	['Host IDs of commas and spaces', get(' , , '), 'Invalid "Host IDs": must not be empty'],
	['Host IDs of a semicolon in spaces', get(' ; '), 'Invalid "Host IDs": must not be empty'],
	['Host IDs of an empty list from an expression', get('={{ [] }}'), 'Invalid "Host IDs": must not be empty'],
	['a malformed host ID in a list', get(`${HOST_A}, WKS-100`), `Invalid "Host IDs": ${AID_RULE} (got "WKS-100")`],
	['more than 5,000 host IDs', get(tooMany), 'Invalid "Host IDs": must list at most 5000 host IDs per item (got 5001)'],
	['By ID that is not 32 hex', contain(byId('={{ "4f1c6a2b" }}')), 'Invalid "Host": must be a host ID (AID) of 32 hexadecimal characters (got "4f1c6a2b")'],
	['By ID with two IDs', lift(byId(`={{ "${HOST_A},${HOST_A}" }}`)), 'Invalid "Host": must be a host ID (AID) of 32 hexadecimal characters'],
	['By ID left empty', contain(byId('={{ "" }}')), 'Invalid "Host": must not be empty'],
	['From List with nothing picked', contain(fromList('={{ $json.none ?? "" }}', '')), 'Invalid "Host": must not be empty'],
	['a plain string that is no host ID', contain('WKS-100'), 'Invalid "Host": must be a host ID (AID) of 32 hexadecimal characters (got "WKS-100")'],
	['By Hostname with a wildcard', contain(byHostname('WKS-*')), 'Invalid "Host": must be one exact hostname, without spaces, quotes, commas or wildcards (got "WKS-*")'],
	['By Hostname with a quote', lift(byHostname("WKS'100")), 'Invalid "Host": must be one exact hostname'],
	['By Hostname with two names', contain(byHostname('WKS-100,WKS-200')), 'Invalid "Host": must be one exact hostname'],
	['By Hostname with a space', contain(byHostname('WKS 100')), 'Invalid "Host": must be one exact hostname'],
	['By Hostname left empty', contain(byHostname('  ')), 'Invalid "Host": must not be empty'],
	['a tag with a space-free bad character', tag('quarantined, bad!tag'), 'Invalid "Tags": each tag may only use letters, digits, "-", "_" and "/" (got "bad!tag")'],
	['a tag with a dot', tag('incident.4711'), 'Invalid "Tags": each tag may only use letters, digits, "-", "_" and "/" (got "incident.4711")'],
	['a tag with a quote', tag("o'neil"), 'Invalid "Tags": each tag may only use letters, digits'],
	['a prefix without a tag name', tag('FalconGroupingTags/'), 'Invalid "Tags": each tag may only use letters, digits, "-", "_" and "/" (got "")'],
	['a sensor grouping tag to add', tag('SensorGroupingTags/prod'), 'Invalid "Tags": must be Falcon grouping tags: "SensorGroupingTags/prod" is a sensor grouping tag, set with the sensor\'s installation'],
	['no tags', tag(' , '), 'Invalid "Tags": must not be empty'],
	['a tag action that is neither add nor remove (expression)', tag('vip', '={{ "delete" }}'), 'Invalid "Action": must be add or remove (got "delete")'],
	['a poll interval below 0.5 s', contain(byId(HOST_A), { wait: true, pollIntervalSeconds: 0.1 }), 'Invalid "Contain": "Options > Poll Interval (Seconds)" must be a number from 0.5 to 300 (got 0.1)'],
	['a poll interval above 300 s', lift(byId(HOST_A), { wait: true, pollIntervalSeconds: 301 }), 'Invalid "Lift Containment": "Options > Poll Interval (Seconds)" must be a number from 0.5 to 300 (got 301)'],
	['a deadline of 0 s', contain(byId(HOST_A), { wait: true, deadlineSeconds: 0 }), 'Invalid "Contain": "Options > Deadline (Seconds)" must be a number from 1 to 3600 (got 0)'],
	['a deadline that is no number (expression)', contain(byId(HOST_A), { wait: true, deadlineSeconds: '={{ "abc" }}' }), 'Invalid "Contain": "Options > Deadline (Seconds)" must be a number from 1 to 3600 (got "abc")'],
	['a deadline whose expression gave nothing', contain(byId(HOST_A), { wait: true, deadlineSeconds: '={{ "" }}' }), 'Invalid "Contain": "Options > Deadline (Seconds)" must be a number from 1 to 3600 (got "")'],
	// Read as off, it would report the hosts pending and let the playbook go on as if it had not asked to wait.
	['Wait Until Contained given as "yes" by an expression', contain(byId(HOST_A), { wait: '={{ "yes" }}' }), 'Invalid "Options > Wait Until Contained": must be true or false (got "yes")'],
	['Wait Until Lifted given as 1 by an expression', lift(byId(HOST_A), { wait: '={{ 1 }}' }), 'Invalid "Options > Wait Until Lifted": must be true or false (got 1)'],
	['a deadline above an hour', contain(byId(HOST_A), { wait: true, deadlineSeconds: 3601 }), '"Options > Deadline (Seconds)" must be a number from 1 to 3600 (got 3601)'],
	['a last-seen window of 0 days', getMany({ lastSeenWithinDays: 0 }), 'Invalid "Filters > Last Seen Within (Days)": must be a whole number from 1 to 3650 (got 0)'],
	['a fractional last-seen window', getMany({ lastSeenWithinDays: 1.5 }), 'Invalid "Filters > Last Seen Within (Days)": must be a whole number from 1 to 3650 (got 1.5)'],
	// Left out, an empty filter would widen the search to every host (and a Contain after it to all of them).
	['a hostname filter whose expression found nothing', getMany({ hostname: '={{ $json.device?.hostname }}' }), 'Invalid "Filters > Hostname": was added but is empty'],
	['a hostname filter whose expression gave JSON null', getMany({ hostname: '={{ null }}' }), 'Invalid "Filters > Hostname": was added but is empty'],
	['an FQL filter added but blank', getMany({ query: '  ' }), 'Invalid "Filters > FQL Filter": was added but is empty'],
	['a limit of zero', getMany({}, { limit: 0 }), 'Invalid "Limit": must be a positive whole number (got 0)'],
	// Each would have listed every host (and a Contain after the listing would have contained them all).
	['an FQL filter that closes its parentheses early', getMany({ hostname: 'web-02', query: "platform_name:'Linux'),(hostname:*'*'" }), 'Invalid "Filters > FQL Filter": must keep its parentheses and quotes balanced, as it is ANDed with the other filters in parentheses: the ")" at position 22 closes a parenthesis it did not open'],
	['an FQL filter that escapes through a double-quoted value', getMany({ hostname: 'web-02', query: `a:"x"),(hostname:*'*'),(b:"y"` }), 'Invalid "Filters > FQL Filter": must keep its parentheses and quotes balanced'],
	['an FQL filter with a backslash outside quotes, which could hide a parenthesis', getMany({ hostname: 'web-02', query: "a:\\(),hostname:*'*',(x:\\)" }), 'Invalid "Filters > FQL Filter": must keep its parentheses and quotes balanced, as it is ANDed with the other filters in parentheses: the \\ at position 3 is outside a quoted value'],
	['an FQL filter that leaves a quote open', getMany({ query: "hostname:'web-02" }), "Invalid \"Filters > FQL Filter\": must keep its parentheses and quotes balanced, as it is ANDed with the other filters in parentheses: a ' is not closed"],
	['an FQL filter that leaves a parenthesis open', getMany({ query: "(hostname:'web-02'" }), 'Invalid "Filters > FQL Filter": must keep its parentheses and quotes balanced, as it is ANDed with the other filters in parentheses: a "(" is not closed'],
	['a hostname filter of a lone wildcard', getMany({ hostname: '*' }), 'Invalid "Filters > Hostname": may use one * only, at the start or the end, beside at least one other character (got "*")'],
	['a hostname filter with a wildcard in the middle', getMany({ hostname: 'web*2' }), 'Invalid "Filters > Hostname": may use one * only, at the start or the end, beside at least one other character (got "web*2")'],
	['a hostname filter with wildcards at both ends', getMany({ hostname: 'WKS-1, *web*' }), 'Invalid "Filters > Hostname": may use one * only, at the start or the end, beside at least one other character (got "*web*")'],
	['a local IP filter of wildcards', getMany({ localIp: '**' }), 'Invalid "Filters > Local IP": may use one * only, at the start or the end, beside at least one other character (got "**")'],
	['an external IP filter with a wildcard', getMany({ externalIp: '203.0.*' }), 'Invalid "Filters > External IP": takes whole values only, without * (got "203.0.*")'],
	['a tag filter with a wildcard', getMany({ tag: 'FalconGroupingTags/*' }), 'Invalid "Filters > Tag": takes whole values only, without * (got "FalconGroupingTags/*")'],
	['a tag filter with a quote', getMany({ tag: "o'neil" }), 'Invalid "Filters > Tag": each tag may only use letters, digits, "-", "_" and "/" (got "o\'neil")'],
	['a hostname filter of commas only', getMany({ hostname: ' , ' }), 'Invalid "Filters > Hostname": must not be empty'],
];

describe('Hosts: bad input fails before any request, naming the field and the rule', () => {
	it.each(rows)('%s', async (_case, parameters, message) => {
		const requests = countRequests();
		const credentials = testCredentials();
		const { error } = await runNode(HOSTS_NODE, parameters as never, credentials);
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toContain(message);
		expect(error?.description).toContain('Nothing was sent to Falcon');
		expect(requests.count).toBe(0);
		expect(credentials.preAuthentications).toEqual([]);
	});

	it.each([
		['By Hostname with a wildcard', { resource: 'session', operation: 'start', hostId: byHostname('*'), options: {} }, 'Invalid "Host": must be one exact hostname'],
		['By ID that is not 32 hex', { resource: 'session', operation: 'refresh', hostId: byId('={{ "xyz" }}'), options: {} }, 'Invalid "Host": must be a host ID (AID) of 32 hexadecimal characters (got "xyz")'],
	])('RTR: %s', async (_case, parameters, message) => {
		const requests = countRequests();
		const { error } = await runNode(RTR_NODE, parameters as never, testCredentials());
		expect(error?.message).toContain(message);
		expect(error?.description).toContain('Nothing was sent to Falcon');
		expect(requests.count).toBe(0);
	});

	it('a literal By ID that is not 32 hex is already refused by n8n (the mode\'s regex), before the node runs', async () => {
		const requests = countRequests();
		await expect(runNode(HOSTS_NODE, contain(byId('4f1c6a2b')) as never, testCredentials())).rejects.toThrow(
			'A host ID (AID) is 32 hexadecimal characters',
		);
		expect(requests.count).toBe(0);
	});

	it('checks every item (and no hostname is looked up) before the first host is touched', async () => {
		const requests = countRequests();
		const { error } = await runNode(HOSTS_NODE, contain(byHostname('={{ $json.host }}')) as never, testCredentials(), {
			input: [{ json: { host: 'WKS-100' } }, { json: { host: 'WKS-*' } }],
		});
		expect(error?.message).toContain('(got "WKS-*")');
		expect(error?.context?.itemIndex).toBe(1);
		expect(requests.count).toBe(0);
	});
});
