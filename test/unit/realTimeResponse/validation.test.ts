import type { INodeParameters } from 'n8n-workflow';
import nock from 'nock';

import { filePathMapping } from '../../../nodes/CrowdStrikeFalcon/RealTimeResponse/file/filePathField';
import { envelope } from '../../harness/falcon';
import { BATCH, falcon, HOST_A, meta, run, RTR, SESSION } from './helpers';

const runAndWait = (overrides: INodeParameters = {}, options: INodeParameters = {}): INodeParameters => ({
	resource: 'command', operation: 'runAndWait', hostId: HOST_A, commandTier: 'readOnly', baseCommand: 'ps', commandLine: 'ps',
	options, ...overrides,
});

describe('Validation before any request', () => {
	beforeEach(() => nock.cleanAll());

	it.each([
		['a host ID that is not 32 hex', runAndWait({ hostId: 'abc123' }), 'Invalid "Host": must be a host ID (AID) of 32 hexadecimal characters (got "abc123")'],
		['two host IDs in a single-host field', runAndWait({ hostId: `${HOST_A},${HOST_A}` }), 'Invalid "Host": must be a host ID (AID)'],
		['a bad host in a list', { resource: 'batch', operation: 'runOnHosts', hostIds: `${HOST_A}, nothex`, commandTier: 'readOnly', baseCommand: 'ps', commandLine: 'ps', options: {} }, 'Invalid "Host IDs": each value must be a host ID (AID) of 32 hexadecimal characters (got "nothex")'],
		['Session IDs (Get) of a lone comma', { resource: 'session', operation: 'get', sessionIds: ',' }, 'Invalid "Session IDs": must not be empty'],
		['Session IDs (Get) of commas and spaces', { resource: 'session', operation: 'get', sessionIds: ' , , ' }, 'Invalid "Session IDs": must not be empty'],
		['Session IDs (Get) of a semicolon in spaces', { resource: 'session', operation: 'get', sessionIds: ' ; ' }, 'Invalid "Session IDs": must not be empty'],
		['Host IDs (Batch Start) of a lone comma', { resource: 'batch', operation: 'start', hostIds: ',', options: {} }, 'Invalid "Host IDs": must not be empty'],
		['Host IDs (Batch Start) of commas and spaces', { resource: 'batch', operation: 'start', hostIds: ' , , ', options: {} }, 'Invalid "Host IDs": must not be empty'],
		['Host IDs (Batch Start) of a semicolon in spaces', { resource: 'batch', operation: 'start', hostIds: ' ; ', options: {} }, 'Invalid "Host IDs": must not be empty'],
		['a By ID host that is not 32 hex (expression)', runAndWait({ hostId: { __rl: true, mode: 'id', value: '={{ "abc123" }}' } }), 'Invalid "Host": must be a host ID (AID) of 32 hexadecimal characters (got "abc123")'],
		['a By Hostname host with a wildcard', runAndWait({ hostId: { __rl: true, mode: 'hostname', value: 'WKS*' } }), 'Invalid "Host": must be one exact hostname, without spaces, quotes, commas or wildcards (got "WKS*")'],
		['a By Hostname host with a wildcard (Session Start)', { resource: 'session', operation: 'start', hostId: { __rl: true, mode: 'hostname', value: '*-01' }, options: {} }, 'Invalid "Host": must be one exact hostname'],
		['a file path with a line break (a multi-line cell)', { resource: 'file', operation: 'getFromHosts', hostIds: HOST_A, filePath: '={{ "C:\\\\Temp\\\\a\\nb.exe" }}', options: {} }, 'Invalid "File Path": must be one path, without line breaks, tabs or other control characters'],
		['a file path with a Unicode line separator', { resource: 'file', operation: 'getFromHosts', hostIds: HOST_A, filePath: '={{ "C:\\\\Temp\\\\a\\u2028b.exe" }}', options: {} }, 'Invalid "File Path": must be one path, without line breaks, tabs or other control characters'],
		['a file path with a wildcard', { resource: 'file', operation: 'getFromHosts', hostIds: HOST_A, filePath: 'C:\\Temp\\*.exe', options: {} }, 'Invalid "File Path": must name one file, without * or ? wildcards (got "C:\\\\Temp\\\\*.exe")'],
		['a folder for a file (Batch Get File)', { resource: 'batch', operation: 'getFile', batchId: BATCH, filePath: 'C:\\Temp\\', options: {} }, 'Invalid "File Path": must name a file, not a folder (got "C:\\\\Temp\\\\")'],
		['a session ID that is not a UUID', { resource: 'session', operation: 'delete', sessionId: 'session-1' }, 'Invalid "Session ID": must be a UUID'],
		['a batch ID that is not a UUID', { resource: 'batch', operation: 'execute', batchId: '123', baseCommand: 'ls', commandLine: 'ls', options: {} }, 'Invalid "Batch ID": must be a UUID'],
		['a request ID that is not a UUID', { resource: 'command', operation: 'getStatus', cloudRequestId: 'x', sequenceId: 0 }, 'Invalid "Cloud Request ID": must be a UUID'],
		['a reused session ID that is not a UUID', runAndWait({}, { sessionId: 'nope' }), 'Invalid "Options > Use Session ID": must be a UUID'],
		['an empty command line', { resource: 'command', operation: 'execute', sessionId: SESSION, baseCommand: 'ls', commandLine: '  ' }, '"Command Line" must not be empty'],
		['a command line with a line break (expression)', { resource: 'command', operation: 'execute', sessionId: SESSION, baseCommand: 'ls', commandLine: '={{ "ls C:\\\\Temp\\nrm x" }}' }, '"Command Line" must be one line, without line breaks'],
		['a command line with a Unicode line separator (expression)', { resource: 'command', operation: 'execute', sessionId: SESSION, baseCommand: 'ls', commandLine: '={{ "ls C:\\\\Temp\\u2028rm x" }}' }, '"Command Line" must be one line, without line breaks'],
		['a command line for another verb', { resource: 'command', operation: 'execute', sessionId: SESSION, baseCommand: 'ls', commandLine: 'rm -rf C:\\' }, '"Command Line" must start with the base command "ls"'],
		['an active responder verb on the read-only endpoint', { resource: 'command', operation: 'execute', sessionId: SESSION, baseCommand: '={{ "rm" }}', commandLine: 'rm x' }, 'Invalid "Base Command": "rm" is an active responder command'],
		['an active responder verb on the read-only tier', runAndWait({ baseCommand: '={{ "kill" }}', commandLine: 'kill 4' }), '"Base Command": "kill" is an active responder command'],
		['an unknown verb', { resource: 'batch', operation: 'executeActiveResponder', batchId: BATCH, baseCommand: '={{ "format" }}', commandLine: 'format c:', options: {} }, '"format" is not a Real Time Response command'],
		['a timeout above Falcon\'s 5 minutes', runAndWait({}, { timeout: 301 }), 'Invalid "Options > Wait for Hosts (Seconds)": must be a whole number from 1 to 300 (got 301)'],
		['a malformed duration', { resource: 'session', operation: 'start', hostId: HOST_A, options: { timeoutDuration: '10 minutes' } }, 'Invalid "Options > Wait for Hosts (Duration)": must be a duration such as 30s'],
		['a duration above the API maximum', { resource: 'session', operation: 'start', hostId: HOST_A, options: { timeoutDuration: '5m1s' } }, 'must be more than 0 and at most 300s (got "5m1s")'],
		['both timeout forms', { resource: 'session', operation: 'start', hostId: HOST_A, options: { timeout: 30, timeoutDuration: '30s' } }, 'set either "Wait for Hosts (Seconds)" or "Wait for Hosts (Duration)", not both'],
		['a per-host timeout of the API maximum itself, which Falcon wants below 5 minutes', { resource: 'batch', operation: 'start', hostIds: HOST_A, options: { timeout: 300, hostTimeoutDuration: '5m' } }, 'must be more than 0 and less than 300s (got "5m")'],
		['a per-host timeout longer than the overall one', { resource: 'batch', operation: 'start', hostIds: HOST_A, options: { timeout: 20, hostTimeoutDuration: '25s' } }, '"Per-Host Timeout (Duration)" (25s) must not be longer than the overall wait (20s)'],
		['a deadline shorter than the poll interval', runAndWait({}, { deadlineSeconds: 5, pollIntervalSeconds: 10 }), '"Deadline (Seconds)" must not be shorter than "Poll Interval (Seconds)"'],
		['a deadline out of range', runAndWait({}, { deadlineSeconds: 0 }), '"Deadline (Seconds)" must be from 1 to 86400'],
		['a wait for hosts longer than the Deadline it counts against (Run and Wait)', runAndWait({}, { timeout: 120, deadlineSeconds: 60 }), '"Wait for Hosts" (120s) must not be longer than "Deadline (Seconds)" (60s), which counts from the first call'],
		['a wait for hosts longer than the default Deadline (Run on Hosts, as a duration)', { resource: 'batch', operation: 'runOnHosts', hostIds: HOST_A, commandTier: 'readOnly', baseCommand: 'ps', commandLine: 'ps', options: { timeoutDuration: '5m', deadlineSeconds: 90 } }, '"Wait for Hosts" (300s) must not be longer than "Deadline (Seconds)" (90s)'],
		['a wait for hosts longer than the Deadline (Get From Hosts)', { resource: 'file', operation: 'getFromHosts', hostIds: HOST_A, filePath: 'C:\\a.txt', options: { timeout: 45, deadlineSeconds: 30 } }, '"Wait for Hosts" (45s) must not be longer than "Deadline (Seconds)" (30s)'],
		['a bad SHA256', { resource: 'file', operation: 'download', sessionId: SESSION, sha256: 'abc', options: {} }, 'Invalid "SHA256": must be one SHA256'],
		['two SHA256s in one field', { resource: 'file', operation: 'download', sessionId: SESSION, sha256: `${'a'.repeat(64)},${'b'.repeat(64)}`, options: {} }, 'Invalid "SHA256": must be one SHA256'],
		['a file name with a path', { resource: 'file', operation: 'download', sessionId: SESSION, sha256: 'a'.repeat(64), options: { fileName: '../evil.exe' } }, 'Invalid "Options > File Name": must be a file name of at most 200 characters, without / \\ < > : " | ? * or control characters, and not only dots (got "../evil.exe")'],
		['a file name with a line break (expression)', { resource: 'file', operation: 'download', sessionId: SESSION, sha256: 'a'.repeat(64), options: { fileName: '={{ "evil\\n.exe" }}' } }, 'Invalid "Options > File Name": must be a file name of at most 200 characters, without / \\ < > : " | ? * or control characters, and not only dots'],
		['a file name with a colon', { resource: 'file', operation: 'download', sessionId: SESSION, sha256: 'a'.repeat(64), options: { fileName: 'a:b.exe' } }, 'Invalid "Options > File Name": must be a file name of at most 200 characters, without / \\ < > : " | ? * or control characters, and not only dots (got "a:b.exe")'],
		['a file name of dots', { resource: 'file', operation: 'download', sessionId: SESSION, sha256: 'a'.repeat(64), options: { fileName: '..' } }, 'Invalid "Options > File Name": must be a file name of at most 200 characters, without / \\ < > : " | ? * or control characters, and not only dots (got "..")'],
		['a file name past 200 characters', { resource: 'file', operation: 'download', sessionId: SESSION, sha256: 'a'.repeat(64), options: { fileName: 'a'.repeat(201) } }, 'Invalid "Options > File Name": must be a file name of at most 200 characters, without / \\ < > : " | ? * or control characters, and not only dots'],
		['bad aggregate JSON', { resource: 'session', operation: 'aggregate', define: 'json', aggregationsJson: '[{"field": "x"}]' }, 'must be an aggregate spec or a list of them'],
		['an aggregate Size of true from an expression, which Number() would read as 1', { resource: 'session', operation: 'aggregate', define: 'fields', aggregationType: 'term', field: 'platform_name', size: '={{ true }}' }, '"Size" must be a positive whole number'],
	])('refuses %s', async (_, parameters, message) => {
		const result = await run(parameters as never);
		expect(result.error?.message).toContain(message);
		expect(result.error?.description).toMatch(/Nothing was sent to Falcon/);
	});

	it('checks every item before the first request: a bad second item stops the node with nothing sent', async () => {
		const result = await run(runAndWait({ hostId: '={{ $json.host }}' }), { input: [{ json: { host: HOST_A } }, { json: { host: 'bad' } }] });
		expect(result.error?.message).toContain('Invalid "Host"');
		expect(result.error?.context?.itemIndex).toBe(1);
	});

	it('with Continue On Fail, a batch runs the valid items and reports the invalid one in place', async () => {
		const api = falcon()
			.post(`${RTR}/combined/batch-init-session/v1`, { host_ids: [HOST_A], queue_offline: false })
			.reply(201, { meta: meta(), batch_id: BATCH, resources: { [HOST_A]: { aid: HOST_A, session_id: SESSION, errors: [] } }, errors: [] })
			.post(`${RTR}/combined/batch-command/v1`)
			.reply(201, { meta: meta(), combined: { resources: { [HOST_A]: { aid: HOST_A, session_id: SESSION, complete: true, stdout: 'ok', stderr: '', errors: [] } } }, errors: [] });
		const result = await run(
			{ resource: 'batch', operation: 'runOnHosts', hostIds: '={{ $json.host }}', commandTier: 'readOnly', baseCommand: 'ps', commandLine: 'ps', options: {} },
			{ input: [{ json: { host: 'bad' } }, { json: { host: HOST_A } }], continueOnFail: true },
		);
		expect(result.items.map((item) => [item.json.status ?? item.json.error, item.pairedItem])).toEqual([
			['Invalid "Host IDs": each value must be a host ID (AID) of 32 hexadecimal characters (got "bad")', { item: 0 }],
			['success', { item: 1 }],
		]);
		expect(api.isDone()).toBe(true);
	});

	it('takes a long wait for hosts with a short Deadline when Run on Hosts does not wait for stragglers', async () => {
		const api = falcon()
			.post(`${RTR}/combined/batch-init-session/v1`)
			.query({ timeout: 120 })
			.reply(201, { meta: meta(), batch_id: BATCH, resources: { [HOST_A]: { aid: HOST_A, session_id: SESSION, errors: [] } }, errors: [] })
			.post(`${RTR}/combined/batch-command/v1`)
			.query({ timeout: 120 })
			.reply(201, { meta: meta(), combined: { resources: { [HOST_A]: { aid: HOST_A, session_id: SESSION, complete: true, stdout: 'ok', stderr: '', errors: [] } } }, errors: [] });
		const result = await run({
			resource: 'batch', operation: 'runOnHosts', hostIds: HOST_A, commandTier: 'readOnly', baseCommand: 'ps', commandLine: 'ps',
			options: { timeout: 120, deadlineSeconds: 10, waitForCompletion: false },
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.status).toBe('success');
		expect(api.isDone()).toBe(true);
	});

	it('accepts ids in upper case and normalises them', async () => {
		const api = falcon()
			.post(`${RTR}/entities/sessions/v1`, { device_id: HOST_A })
			.reply(201, envelope([{ session_id: SESSION }]));
		const result = await run({ resource: 'session', operation: 'start', hostId: ` ${HOST_A.toUpperCase()} `, options: {} });
		expect(result.error).toBeUndefined();
		expect(api.isDone()).toBe(true);
	});
});

describe('File Path rules', () => {
	const rules = filePathMapping.rules!;
	const problem = (path: string) => rules.map((rule) => rule(path)).find((message) => message !== undefined);

	it.each([
		'C:\\Windows\\Temp\\evil.exe',
		'C:\\Program Files\\App\\a b.dll',
		'\\\\server\\share\\f.txt',
		'\\\\?\\C:\\very\\long\\path.txt',
		'/home/ana/~notes.txt',
		'/Users/ana/Désktop/ファイル.txt',
	])('takes %s', (path) => {
		expect(problem(path)).toBeUndefined();
	});
});
