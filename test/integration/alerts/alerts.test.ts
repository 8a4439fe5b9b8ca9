import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { getAll } from '../../../nodes/CrowdStrikeFalcon/Alerts/alert/getAll.operation';
import type { AlertSummary, FleetHost, RunningSimulator } from '../../../simulator';
import { ALERTS, json, requests, roles, runAlerts, startHostsSimulator } from '../hosts/helpers';

let sim: RunningSimulator;

beforeAll(async () => {
	sim = await startHostsSimulator();
});
afterAll(async () => await sim.close());
beforeEach(() => sim.reset());

type Severity = 'Critical' | 'High' | 'Medium' | 'Low' | 'Informational';

/** Injects a detection for the host; the simulator raises its alert and returns the composite id. */
async function detect(host: FleetHost, severity: Severity = 'High'): Promise<string> {
	const injected = sim.injectEvent({ eventType: 'EppDetectionSummaryEvent', event: { AgentId: host.aid, SeverityName: severity } });
	expect(injected.agentId).toBe(host.aid);
	expect(injected.compositeId).toMatch(new RegExp(`^[0-9a-f]{32}:ind:${host.aid}:`, 'i'));
	// Distinct creation times, so "newest first" is well defined.
	await sleep(3);
	return injected.compositeId!;
}

const alertState = (compositeId: string): AlertSummary => {
	const found = sim.state().alerts.find((alert) => alert.composite_id === compositeId);
	if (!found) throw new Error(`no alert ${compositeId} in the simulator`);
	return found;
};

/** The simulator's own answer, newest first (the query's order without a sort). */
const simulatorAlerts = (keep: (alert: AlertSummary) => boolean = () => true): string[] =>
	sim.state().alerts.filter(keep).map((alert) => alert.composite_id).reverse();

const getMany = (parameters: INodeParameters = {}): INodeParameters => ({
	resource: 'alert',
	operation: 'getAll',
	returnAll: true,
	filters: {},
	options: {},
	...parameters,
});

async function alertsFound(parameters: INodeParameters): Promise<IDataObject[]> {
	const { items, error } = await runAlerts(sim, getMany(parameters));
	expect(error).toBeUndefined();
	return json(items);
}

const compositeIdsOf = (alerts: IDataObject[]) => alerts.map((alert) => alert.composite_id);

const update = (compositeIds: string, updateFields: INodeParameters): INodeParameters => ({
	resource: 'alert',
	operation: 'update',
	compositeIds,
	updateFields,
});

describe('Alert > Get', () => {
	it('reads an injected detection by its composite id', async () => {
		const { windows } = roles(sim);
		const compositeId = await detect(windows, 'High');
		const { items, error } = await runAlerts(sim, { resource: 'alert', operation: 'get', compositeIds: compositeId });
		expect(error).toBeUndefined();
		expect(json(items)).toEqual([
			expect.objectContaining({
				composite_id: compositeId,
				agent_id: windows.aid,
				status: 'new',
				severity: 70,
				severity_name: 'High',
				product: 'epp',
				tags: [],
				comments: [],
				device: expect.objectContaining({ device_id: windows.aid, hostname: windows.hostname }),
			}),
		]);
		expect(items[0].json).not.toHaveProperty('assigned_to_name');
		expect(requests(sim, 'POST', ALERTS.entities)[0].body).toEqual({ composite_ids: [compositeId] });
	});

	it('reads several alerts from one item, each once', async () => {
		const { linux, mac } = roles(sim);
		const first = await detect(linux, 'Critical');
		const second = await detect(mac, 'Low');
		const { items } = await runAlerts(sim, { resource: 'alert', operation: 'get', compositeIds: `${first}, ${second},${first}` });
		expect(json(items).map((alert) => [alert.composite_id, alert.severity_name])).toEqual([
			[first, 'Critical'],
			[second, 'Low'],
		]);
		expect(requests(sim, 'POST', ALERTS.entities)).toHaveLength(1);
	});

	it('is retried after a 503 and succeeds', async () => {
		const { mac } = roles(sim);
		const compositeId = await detect(mac);
		sim.setFaults({ serverErrors: [{ pathPrefix: ALERTS.entities, count: 1, status: 503 }] });
		const { items, error } = await runAlerts(sim, { resource: 'alert', operation: 'get', compositeIds: compositeId });
		expect(error).toBeUndefined();
		expect(compositeIdsOf(json(items))).toEqual([compositeId]);
		expect(requests(sim, 'POST', ALERTS.entities).map((entry) => entry.status)).toEqual([503, 200]);
	});
});

describe('Alert > Get Many', () => {
	let ids: Record<string, string>;

	beforeEach(async () => {
		const { windows, linux, mac } = roles(sim);
		ids = {
			windowsHigh: await detect(windows, 'High'),
			linuxHigh: await detect(linux, 'High'),
			windowsCritical: await detect(windows, 'Critical'),
			macMedium: await detect(mac, 'Medium'),
			linuxLow: await detect(linux, 'Low'),
			windowsHigh2: await detect(windows, 'High'),
		};
		// One alert already triaged.
		const { error } = await runAlerts(sim, update(ids.windowsHigh, { status: 'in_progress' }));
		expect(error).toBeUndefined();
	});

	it('Return All returns every alert, newest first, as the simulator has them', async () => {
		const alerts = await alertsFound({});
		expect(compositeIdsOf(alerts)).toEqual(simulatorAlerts());
		expect(alerts).toHaveLength(6);
	});

	it('Return All walks the pages, each after the token of the one before', async () => {
		const original = getAll.paginate!.maxPageSize;
		getAll.paginate!.maxPageSize = 4;
		try {
			const alerts = await alertsFound({});
			expect(compositeIdsOf(alerts)).toEqual(simulatorAlerts());
		} finally {
			getAll.paginate!.maxPageSize = original;
		}
		const pages = requests(sim, 'POST', ALERTS.combined).map((entry) => entry.body as IDataObject);
		expect(pages.map((body) => [typeof body.after, body.limit])).toEqual([
			['undefined', 4],
			['string', 4],
		]);
		expect(requests(sim, 'GET', ALERTS.query)).toEqual([]);
	});

	it('Limit returns the newest alerts only', async () => {
		const alerts = await alertsFound({ returnAll: false, limit: 2 });
		expect(compositeIdsOf(alerts)).toEqual(simulatorAlerts().slice(0, 2));
	});

	it('Status filter equals the simulator state', async () => {
		expect(compositeIdsOf(await alertsFound({ filters: { status: 'new' } }))).toEqual(simulatorAlerts((alert) => alert.status === 'new'));
		expect(compositeIdsOf(await alertsFound({ filters: { status: 'in_progress' } }))).toEqual([ids.windowsHigh]);
	});

	it('Severity filter equals the simulator state', async () => {
		const high = await alertsFound({ filters: { severityNames: ['High'] } });
		expect(compositeIdsOf(high)).toEqual(simulatorAlerts((alert) => alert.severity_name === 'High'));
		expect(high).toHaveLength(3);
		const severe = await alertsFound({ filters: { severityNames: ['High', 'Critical'] } });
		expect(compositeIdsOf(severe)).toEqual(simulatorAlerts((alert) => ['High', 'Critical'].includes(alert.severity_name)));
		const minimum = await alertsFound({ filters: { minSeverity: 50 } });
		expect(compositeIdsOf(minimum)).toEqual(simulatorAlerts((alert) => alert.severity >= 50));
	});

	it('Host ID and Hostname filters equal the simulator state', async () => {
		const { windows, linux } = roles(sim);
		const byHost = await alertsFound({ filters: { hostId: windows.aid } });
		expect(compositeIdsOf(byHost)).toEqual(simulatorAlerts((alert) => alert.agent_id === windows.aid));
		expect(byHost).toHaveLength(3);
		const byName = await alertsFound({ filters: { hostname: linux.hostname } });
		expect(compositeIdsOf(byName)).toEqual(simulatorAlerts((alert) => alert.hostname === linux.hostname));
		expect(byName).toHaveLength(2);
	});

	it('filters combine with AND: new, High, on one host', async () => {
		const { windows } = roles(sim);
		const alerts = await alertsFound({ filters: { status: 'new', severityNames: ['High'], hostId: windows.aid } });
		expect(compositeIdsOf(alerts)).toEqual([ids.windowsHigh2]);
		expect(compositeIdsOf(alerts)).toEqual(
			simulatorAlerts((alert) => alert.status === 'new' && alert.severity_name === 'High' && alert.agent_id === windows.aid),
		);
	});

	it('the FQL Filter option is ANDed with the other filters, an OR inside it included', async () => {
		const simple = await alertsFound({ filters: { status: 'new', query: 'severity:>=70' } });
		expect(compositeIdsOf(simple)).toEqual(simulatorAlerts((alert) => alert.status === 'new' && alert.severity >= 70));
		expect(simple).toHaveLength(3);

		// FQL binds + tighter than ",": the user's OR must not escape the AND with Status.
		await runAlerts(sim, update(ids.windowsCritical, { status: 'closed' }));
		const withOr = await alertsFound({ filters: { status: 'new', query: "severity_name:'Critical',severity_name:'Low'" } });
		expect(compositeIdsOf(withOr)).toEqual([ids.linuxLow]);
		expect(compositeIdsOf(withOr)).toEqual(
			simulatorAlerts((alert) => alert.status === 'new' && ['Critical', 'Low'].includes(alert.severity_name)),
		);
	});

	it("Created After leaves out older alerts, and the alert whose time it was given, though they share the newer one's second", async () => {
		const { mac } = roles(sim);
		// A poll's pattern: Created After from the newest alert the last run saw.
		const seen = await detect(mac, 'Informational');
		const newer = await detect(mac, 'Low');
		const mark = alertState(seen).created_timestamp;
		const alerts = await alertsFound({ filters: { createdAfter: mark } });
		expect(compositeIdsOf(alerts)).toEqual([newer]);
		expect(compositeIdsOf(alerts)).toEqual(simulatorAlerts((alert) => Date.parse(alert.created_timestamp) > Date.parse(mark)));
	});

	it('sorts by creation time when asked', async () => {
		const alerts = await alertsFound({ options: { sort: 'created_timestamp|asc' } });
		expect(compositeIdsOf(alerts)).toEqual(simulatorAlerts().reverse());
	});

	it('an unknown status from an expression fails before any request', async () => {
		sim.reset();
		const { error } = await runAlerts(sim, getMany({ filters: { status: '={{ "escalated" }}' } }));
		expect(error?.message).toMatch(/^Invalid "Filters > Status": .*escalated/);
		expect(sim.state().requests).toHaveLength(0);
	});
});

describe('Alert > Update', () => {
	it('applies several actions in exactly one PATCH; the simulator shows every change, the comment included', async () => {
		const { windows } = roles(sim);
		const compositeId = await detect(windows, 'High');
		const comment = 'Contained by n8n after approval by the on-call lead';
		const { items, error } = await runAlerts(
			sim,
			update(compositeId, { status: 'in_progress', comment, addTags: 'contained_by_n8n, case-4711', assignToName: 'Jane Analyst' }),
		);
		expect(error).toBeUndefined();

		const patches = requests(sim, 'PATCH', ALERTS.update);
		expect(patches).toHaveLength(1);
		expect(patches[0].status).toBe(200);
		const sent = patches[0].body as { composite_ids: string[]; action_parameters: Array<{ name: string; value: string }> };
		expect(sent.composite_ids).toEqual([compositeId]);
		expect(sent.action_parameters).toEqual(
			expect.arrayContaining([
				{ name: 'update_status', value: 'in_progress' },
				{ name: 'append_comment', value: comment },
				{ name: 'add_tag', value: 'contained_by_n8n' },
				{ name: 'add_tag', value: 'case-4711' },
				{ name: 'assign_to_name', value: 'Jane Analyst' },
			]),
		);
		expect(sent.action_parameters).toHaveLength(5);

		expect(json(items)).toEqual([expect.objectContaining({ composite_id: compositeId, updated: true })]);
		const state = alertState(compositeId);
		expect(state).toMatchObject({
			status: 'in_progress',
			tags: ['contained_by_n8n', 'case-4711'],
			assigned_to_name: 'Jane Analyst',
			assigned_to_uid: null,
			assigned_to_uuid: null,
			comments: [{ value: comment, timestamp: expect.any(String) }],
		});
		expect(Date.parse(state.updated_timestamp)).toBeGreaterThan(Date.parse(state.created_timestamp));

		// Get reads the same changes back.
		const read = await runAlerts(sim, { resource: 'alert', operation: 'get', compositeIds: compositeId });
		expect(read.items[0].json).toMatchObject({
			status: 'in_progress',
			tags: ['contained_by_n8n', 'case-4711'],
			assigned_to_name: 'Jane Analyst',
			comments: [{ value: comment }],
		});
	});

	it('updates every alert of the item in the same PATCH, and only those', async () => {
		const { linux, mac } = roles(sim);
		const first = await detect(linux);
		const second = await detect(mac);
		const untouched = await detect(linux);
		const { items, error } = await runAlerts(sim, update(`${first},${second}`, { status: 'closed', comment: 'false positive' }));
		expect(error).toBeUndefined();
		expect(compositeIdsOf(json(items))).toEqual([first, second]);
		expect(requests(sim, 'PATCH', ALERTS.update)).toHaveLength(1);
		for (const id of [first, second]) {
			expect(alertState(id)).toMatchObject({ status: 'closed', comments: [{ value: 'false positive' }] });
		}
		expect(alertState(untouched)).toMatchObject({ status: 'new', comments: [] });
	});

	it('removes and adds tags, reassigns and unassigns', async () => {
		const { windows } = roles(sim);
		const compositeId = await detect(windows);
		await runAlerts(sim, update(compositeId, { addTags: 'triage, noisy', assignToUserId: 'analyst@example.com' }));
		expect(alertState(compositeId)).toMatchObject({ tags: ['triage', 'noisy'], assigned_to_uid: 'analyst@example.com' });
		// Falcon removes before it adds: "triage" is removed and added back in one call.
		await runAlerts(sim, update(compositeId, { removeTags: 'noisy, triage', addTags: 'triage', unassign: true }));
		expect(alertState(compositeId)).toMatchObject({ tags: ['triage'], assigned_to_uid: null, assigned_to_name: null });
		// Alert tags (unlike host grouping tags) may hold spaces: only commas separate them.
		await runAlerts(sim, update(compositeId, { addTags: 'needs review , case 42' }));
		expect(alertState(compositeId).tags).toEqual(['triage', 'needs review', 'case 42']);
		expect(requests(sim, 'PATCH', ALERTS.update)).toHaveLength(3);
	});

	it('hides an alert from the console and shows it again', async () => {
		const { linux } = roles(sim);
		const compositeId = await detect(linux);
		await runAlerts(sim, update(compositeId, { showInUi: 'false' }));
		expect(alertState(compositeId).show_in_ui).toBe(false);
		await runAlerts(sim, update(compositeId, { showInUi: 'true' }));
		expect(alertState(compositeId).show_in_ui).toBe(true);
		expect(requests(sim, 'PATCH', ALERTS.update).map((entry) => (entry.body as IDataObject).action_parameters)).toEqual([
			[{ name: 'show_in_ui', value: 'false' }],
			[{ name: 'show_in_ui', value: 'true' }],
		]);
	});

	it('an unknown status from an expression fails before any request', async () => {
		const { windows } = roles(sim);
		const compositeId = await detect(windows);
		const { error } = await runAlerts(sim, update(compositeId, { status: '={{ "escalated" }}', comment: 'should not be sent' }));
		expect(error?.message).toMatch(/^Invalid "Update Fields > Status": .*escalated/);
		expect(sim.state().requests).toHaveLength(0);
		expect(alertState(compositeId)).toMatchObject({ status: 'new', comments: [] });
	});

	it('an unknown composite id, which Falcon refuses the whole call for, does not hold back the others: they are updated with a second call', async () => {
		const { windows } = roles(sim);
		const known = await detect(windows);
		const unknown = `${sim.cid.toLowerCase()}:ind:${windows.aid}:999-9-9999999`;
		const { items, error } = await runAlerts(sim, update(`${known},${unknown}`, { status: 'closed', comment: 'false positive' }));
		expect(error).toBeUndefined();
		expect(json(items).map((item) => [item.composite_id, item.updated])).toEqual([
			[known, true],
			[unknown, false],
		]);
		expect(JSON.stringify(json(items)[1].errors)).toContain(unknown);
		const patches = requests(sim, 'PATCH', ALERTS.update);
		expect(patches.map((entry) => [entry.status, (entry.body as IDataObject).composite_ids])).toEqual([
			[400, [known, unknown]],
			[200, [known]],
		]);
		expect(alertState(known)).toMatchObject({ status: 'closed', comments: [{ value: 'false positive' }] });
	});

	it('an update of only unknown composite ids fails with Falcon\'s refusal: nothing is sent again', async () => {
		const { windows } = roles(sim);
		const unknown = `${sim.cid.toLowerCase()}:ind:${windows.aid}:999-9-9999999`;
		const { error } = await runAlerts(sim, update(unknown, { status: 'closed' }));
		expect(error?.httpCode).toBe('400');
		expect(error?.message).toContain(unknown);
		expect(requests(sim, 'PATCH', ALERTS.update).map((entry) => entry.status)).toEqual([400]);
	});

	it('is not repeated after a 503 (not idempotent): the comment is not appended twice', async () => {
		const { mac } = roles(sim);
		const compositeId = await detect(mac);
		sim.setFaults({ serverErrors: [{ pathPrefix: ALERTS.update, count: 1, status: 503 }] });
		const { error } = await runAlerts(sim, update(compositeId, { comment: 'once only', status: 'in_progress' }));
		expect(error?.httpCode).toBe('503');
		expect(requests(sim, 'PATCH', ALERTS.update).map((entry) => entry.status)).toEqual([503]);
		expect(alertState(compositeId)).toMatchObject({ status: 'new', comments: [] });

		const again = await runAlerts(sim, update(compositeId, { comment: 'once only', status: 'in_progress' }));
		expect(again.error).toBeUndefined();
		expect(alertState(compositeId).comments.map((entry) => entry.value)).toEqual(['once only']);
	});
});

describe('Alert > Get Many past 10,000 alerts', () => {
	it('Return All reads every alert of a large tenant, 1,000 per call, where an offset query stops at 10,000', async () => {
		const { windows } = roles(sim);
		const injected = Array.from({ length: 10_050 }, () => sim.injectEvent({ eventType: 'EppDetectionSummaryEvent', event: { AgentId: windows.aid } }).compositeId);
		const { items, error } = await runAlerts(sim, getMany({ returnAll: true, filters: {} }));
		expect(error).toBeUndefined();
		expect(new Set(items.map((item) => item.json.composite_id))).toEqual(new Set(injected));
		expect(items).toHaveLength(10_050);
		expect(requests(sim, 'POST', ALERTS.combined).map((entry) => (entry.body as IDataObject).limit)).toEqual(Array(11).fill(1000));
	});
});
