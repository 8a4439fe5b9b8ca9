import nock from 'nock';

import type { RunningSimulator } from '../../../simulator';
import { testCredentials } from '../../harness/falcon';
import { startTrigger, until, type RunningTrigger } from '../../harness/runTrigger';
import { activate, activationsClosedAfterEach, fastSimulator, inject, stopLikeN8n, triggerParameters, untilEmitted } from './helpers';

let sim: RunningSimulator;
const start = activationsClosedAfterEach(() => sim);

/**
 * The failure a trigger reports for a configuration a person must fix: thrown by the activation when met while it
 * waits for the first read (n8n shows it at once), emitted when met later.
 */
async function failureOf(activation: Promise<RunningTrigger>): Promise<Error> {
	const outcome = await activation.then(
		(trigger) => trigger,
		(error: Error) => error,
	);
	if (outcome instanceof Error) return outcome;
	await until(() => outcome.errors.length > 0, 5_000, 'emitError');
	return outcome.errors[0];
}

it('reports a wrong client secret once, as a configuration error, without retrying in a loop', async () => {
	sim = await fastSimulator();
	const credentials = testCredentials({ baseUrl: sim.url, clientId: sim.clientId, clientSecret: 'wrong' });
	const activation = start(sim, triggerParameters(), { credentials });
	// Met while activation waits for the first read: the activation fails, and n8n shows it at once.
	await expect(activation).rejects.toThrow(/refused to issue a token \(HTTP 403/);
	const failure = await failureOf(activation);
	expect((failure as { description?: string }).description).toMatch(/Client ID, Client Secret and Cloud/);
	const tokenCalls = sim.state().requests.filter((request) => request.path === '/oauth2/token').length;
	expect(tokenCalls).toBeLessThanOrEqual(2);
});

it('reports a region Autodiscover cannot reach once, as a configuration error, instead of reconnecting for ever', async () => {
	let asked = 0;
	nock('https://api.crowdstrike.com')
		.persist()
		.post('/oauth2/token')
		.reply(() => (asked++, [201, { access_token: 'unusable', expires_in: 1799 }, { 'X-CS-Region': 'eu-2' }]));
	const activation = startTrigger(triggerParameters(), testCredentials({ cloud: 'autodiscover', baseUrl: '' }));
	try {
		const failure = await failureOf(activation);
		expect(failure.message).toMatch(/^Falcon places this API client in region "eu-2"/);
		expect(asked).toBe(1);
	} finally {
		await activation.then((trigger) => trigger.close()).catch(() => undefined);
		nock.cleanAll();
	}
});

it('names the missing "Event streams: Read" scope when discovery answers 403', async () => {
	sim = await fastSimulator({
		faults: { serverErrors: [{ pathPrefix: '/sensors/entities/datafeed/v2', count: 1, status: 403 }] },
	});
	const failure = await failureOf(start(sim, triggerParameters()));
	expect((failure as { description?: string }).description).toMatch(/Event streams: Read/);
});

it('reports an App ID held by another consumer after the configured patience, and only then', async () => {
	sim = await fastSimulator();
	inject(sim, 2);
	const holder = await start(sim, triggerParameters({}, { appId: 'SharedAppId01' }));
	await untilEmitted(holder, ['0:0', '0:1']);
	const late = await failureOf(
		start(sim, triggerParameters({}, { appId: 'SharedAppId01', emptyDiscoveryLimitMinutes: 0.01 }), { workflowId: 'otherWorkflow' }),
	);
	expect(late.message).toMatch(/no event stream to App ID "SharedAppId01"/);
	expect((late as { description?: string }).description).toMatch(/same App ID/);
	expect(holder.errors).toEqual([]);
});

it("activation does not wait out Falcon's hold on the App ID (a restart within it): the first discovery's answer is enough", async () => {
	sim = await fastSimulator({ appIdReleaseMs: 60_000 });
	const first = await start(sim, triggerParameters());
	await until(() => sim.state().streams.openFeeds.length === 1, 5_000, 'the feed');
	const saved = await stopLikeN8n(first);
	const startedAt = Date.now();
	await start(sim, triggerParameters(), { staticData: saved });
	// Waited for the whole 5 s before, with nothing to show for it.
	expect(Date.now() - startedAt).toBeLessThan(2_500);
});

it('rejects an invalid App ID at activation, naming the field', async () => {
	sim = await fastSimulator();
	await expect(activate(sim, triggerParameters({}, { appId: 'fig-default-app-id' }))).rejects.toThrow(
		/Invalid "App ID": must be 1 to 32 letters/,
	);
});

it('derives different App IDs for different workflows, so two published workflows never collide', async () => {
	sim = await fastSimulator();
	inject(sim, 3);
	const first = await start(sim, triggerParameters());
	const second = await start(sim, triggerParameters(), { workflowId: 'anotherWorkflow' });
	await untilEmitted(first, ['0:0', '0:1', '0:2']);
	await untilEmitted(second, ['0:0', '0:1', '0:2']);
	const appIds = new Set([first.items()[0].stream, second.items()[0].stream].map((stream) => (stream as { appId: string }).appId));
	expect(appIds.size).toBe(2);
});

it.each([
	['Customer IDs', { filters: { customerIds: '0123456789abcdef0123456789abcdef, not-a-cid' } }, {}, /Invalid "Customer IDs": each value must be a CID.*\(got "not-a-cid"\)/],
	// Zero from an expression would reconnect (and retry Flight Control) in a tight loop.
	['Reconnect Delay', {}, { reconnectDelaySeconds: 0 }, /Invalid "Reconnect Delay": must be 0.01 or more \(got 0\)/],
	// From an expression n8n checks no dropdown: "High" read as no filter at all, and every event ran the playbook.
	['Minimum Severity', { filters: { minSeverity: '={{ "High" }}' } }, {}, /Invalid "Filters > Minimum Severity": must be one of "critical", "high", "informational", "low", "medium" \(got "High"\)/],
	['Start From', { startFrom: '={{ "offsets" }}' }, {}, /Invalid "Start From": must be one of .* \(got "offsets"\)/],
	['Delivery', { delivery: '={{ "batch-mode" }}' }, {}, /Invalid "Delivery": must be one of .* \(got "batch-mode"\)/],
	// The text "false" counted as on.
	['Skip Repeated Executions', {}, { deduplicate: '={{ "no" }}' }, /Invalid "Options > Skip Repeated Executions": must be true or false \(got "no"\)/],
	['Batch Size above the editor\'s maximum', { delivery: 'batch', batchSize: 50_000 }, {}, /Invalid "Batch Size": must be a whole number from 1 to 10000 \(got 50000\)/],
	['Max Executions in Flight above the editor\'s maximum', {}, { maxInFlight: 5_000 }, /Invalid "Max Executions in Flight": must be a whole number from 1 to 100 \(got 5000\)/],
	['Alert After Down', {}, { alertAfterDownMinutes: '={{ "ten" }}' }, /Invalid "Alert After Down": must be zero or more \(got "ten"\)/],
	['Offsets out of range', { startFrom: 'offset', startOffsets: '0=99999999999999999999' }, {}, /Invalid "Offsets": "0=99999999999999999999" is out of range/],
	['Offsets naming a partition twice', { startFrom: 'offset', startOffsets: '0=5, 0=9' }, {}, /Invalid "Offsets": partition 0 is given twice/],
	['Event Types', { eventTypes: '={{ ["Epp-DetectionSummaryEvent"] }}' }, {}, /Invalid "Event Types": "Epp-DetectionSummaryEvent" is not an event type name/],
])('rejects a malformed %s at activation, naming the field', async (_, top, options, message) => {
	sim = await fastSimulator();
	await expect(activate(sim, triggerParameters(top, options))).rejects.toThrow(message);
});

it('keeps the events of a Customer ID pasted as the console shows it (upper case, -XX checksum)', async () => {
	sim = await fastSimulator();
	inject(sim, 2);
	const trigger = await start(sim, triggerParameters({ filters: { customerIds: `${sim.cid.toUpperCase()}-7F` } }));
	await untilEmitted(trigger, ['0:0', '0:1']);
});

it('starts afresh from a damaged health record in the stored state instead of failing activation', async () => {
	sim = await fastSimulator();
	inject(sim, 1);
	const trigger = await start(sim, triggerParameters(), { staticData: { 'node:Falcon Trigger': { health: 'x', offsets: { '0': 'y' } } } });
	await untilEmitted(trigger, ['0:0']);
	expect(trigger.errors).toEqual([]);
});

it("fails activation on a malformed Member CID in the credential, naming it, instead of reconnecting for ever", async () => {
	sim = await fastSimulator();
	const credentials = testCredentials({ baseUrl: sim.url, clientId: sim.clientId, clientSecret: sim.clientSecret, memberCid: 'not-a-cid' });
	await expect(activate(sim, triggerParameters(), { credentials })).rejects.toThrow(/credential's Member CID must be a CID .*\(got 9 characters, not all hexadecimal\)/);
});
