import { CrowdStrikeFalconAlerts } from '../../../nodes/CrowdStrikeFalcon/Alerts/CrowdStrikeFalconAlerts.node';
import { CrowdStrikeFalconHosts } from '../../../nodes/CrowdStrikeFalcon/Hosts/CrowdStrikeFalconHosts.node';
import { envelope, countRequests } from '../../harness/falcon';
import { PACKAGE, packageNodes } from '../../harness/nodeTypes';
import { ALERT_1, ALERTS } from '../alerts/helpers';
import { byId, device, DEVICES, falcon, HOST_A, meta, run } from './helpers';

// n8n registers a usableAsTool node a second time as `<name>Tool` and runs that variant for AI agents.
const HOSTS_TOOL = `${PACKAGE}.crowdStrikeFalconHostsTool`;
const hostsTool = new CrowdStrikeFalconHosts();
hostsTool.description = { ...hostsTool.description, name: `${hostsTool.description.name}Tool` };
packageNodes[HOSTS_TOOL] = hostsTool;

const ALERTS_TOOL = `${PACKAGE}.crowdStrikeFalconAlertsTool`;
const alertsTool = new CrowdStrikeFalconAlerts();
alertsTool.description = { ...alertsTool.description, name: `${alertsTool.description.name}Tool` };
packageNodes[ALERTS_TOOL] = alertsTool;


describe('AI agent and the Hosts node', () => {
	it('is usable as a tool, with the opt-in shown only on the tool variant', () => {
		const { description } = new CrowdStrikeFalconHosts();
		expect(description.usableAsTool).toBe(true);
		const optIn = description.properties.find((property) => property.name === 'allowHostChangesByAgent');
		expect(optIn).toMatchObject({ type: 'boolean', default: false, displayOptions: { show: { '@tool': [true] } } });
	});

	it.each([
		['Contain', { resource: 'host', operation: 'contain', hostId: byId(HOST_A), options: {} }],
		['Lift Containment', { resource: 'host', operation: 'liftContainment', hostId: byId(HOST_A), options: {} }],
		['Update Tags', { resource: 'host', operation: 'updateTags', hostId: byId(HOST_A), tagAction: 'add', tags: 'x' }],
	])('refuses %s from an agent without the opt-in, before any request', async (name, parameters) => {
		const requests = countRequests();
		const result = await run(parameters, { type: HOSTS_TOOL });
		expect(result.error?.message).toBe(`"${name}" changes hosts and is not allowed for AI agents on this node`);
		expect(result.error?.description).toContain('Nothing was sent to Falcon');
		expect(requests.count).toBe(0);
	});

	it('refuses a By Hostname containment without even looking the hostname up', async () => {
		const requests = countRequests();
		const result = await run(
			{ resource: 'host', operation: 'contain', hostId: { __rl: true, mode: 'hostname', value: 'WKS-100' }, options: {} },
			{ type: HOSTS_TOOL },
		);
		expect(result.error?.message).toContain('is not allowed for AI agents');
		expect(requests.count).toBe(0);
	});

	it('contains a host for an agent once the user opted in', async () => {
		const api = falcon()
			.post(DEVICES.details, { ids: [HOST_A] })
			.reply(200, envelope([device(HOST_A, 'normal')]))
			.post(DEVICES.action, { ids: [HOST_A] })
			.query({ action_name: 'contain' })
			.reply(202, { meta: meta(), resources: [{ id: HOST_A }], errors: [] })
			.post(DEVICES.details, { ids: [HOST_A] })
			.reply(200, envelope([device(HOST_A, 'containment_pending')]));
		const result = await run(
			{ resource: 'host', operation: 'contain', hostId: byId(HOST_A), options: {}, allowHostChangesByAgent: true },
			{ type: HOSTS_TOOL },
		);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ host_id: HOST_A, result: 'containment_pending' });
		expect(api.isDone()).toBe(true);
	});

	it('lets an agent Get hosts without the opt-in', async () => {
		const api = falcon().post(DEVICES.details, { ids: [HOST_A] }).reply(200, envelope([device(HOST_A, 'normal')]));
		const result = await run({ resource: 'host', operation: 'get', hostIds: HOST_A }, { type: HOSTS_TOOL });
		expect(result.error).toBeUndefined();
		expect(api.isDone()).toBe(true);
	});

	it('lets an agent Get Many hosts without the opt-in', async () => {
		const api = falcon()
			.get(DEVICES.scroll)
			.query({ filter: "status:'contained'", limit: '10' })
			.reply(200, { meta: meta({ pagination: { offset: 'tok', limit: 10, total: 1 } }), resources: [HOST_A], errors: [] })
			.post(DEVICES.details, { ids: [HOST_A] })
			.reply(200, envelope([device(HOST_A, 'contained')]));
		const result = await run({ resource: 'host', operation: 'getAll', limit: 10, filters: { status: 'contained' }, options: {} }, { type: HOSTS_TOOL });
		expect(result.error).toBeUndefined();
		expect(api.isDone()).toBe(true);
	});

	it('an agent may leave a $fromAI filter empty: that leaves the filter out, and is not refused as an empty filter', async () => {
		const api = falcon()
			.get(DEVICES.scroll)
			.query({ filter: "status:'contained'", limit: '10' })
			.reply(200, { meta: meta({ pagination: { offset: 'tok', limit: 10, total: 1 } }), resources: [HOST_A], errors: [] })
			.post(DEVICES.details, { ids: [HOST_A] })
			.reply(200, envelope([device(HOST_A, 'contained')]));
		const hostname = "={{ $fromAI('hostname', 'Exact hostname, or empty for every host', 'string', '') }}";
		const result = await run({ resource: 'host', operation: 'getAll', limit: 10, filters: { status: 'contained', hostname }, options: {} }, { type: HOSTS_TOOL });
		expect(result.error).toBeUndefined();
		expect(api.isDone()).toBe(true);
	});

	it('lets an agent triage alerts (Alerts change alert records, not hosts)', async () => {
		const { description } = new CrowdStrikeFalconAlerts();
		expect(description.usableAsTool).toBe(true);
		expect(description.properties.some((property) => property.name === 'allowHostChangesByAgent')).toBe(false);
		const api = falcon()
			.patch(ALERTS.update, { composite_ids: [ALERT_1], action_parameters: [{ name: 'update_status', value: 'in_progress' }] })
			.reply(200, { meta: meta(), errors: [] });
		const result = await run(
			{ resource: 'alert', operation: 'update', compositeIds: ALERT_1, updateFields: { status: 'in_progress' } },
			{ type: ALERTS_TOOL },
		);
		expect(result.error).toBeUndefined();
		expect(api.isDone()).toBe(true);
	});
});
