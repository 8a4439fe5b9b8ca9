import nock from 'nock';

import { CrowdStrikeFalconAlerts } from '../../../nodes/CrowdStrikeFalcon/Alerts/CrowdStrikeFalconAlerts.node';
import { CrowdStrikeFalconHosts } from '../../../nodes/CrowdStrikeFalcon/Hosts/CrowdStrikeFalconHosts.node';

import { clearMemberTokens } from '../../../nodes/CrowdStrikeFalcon/shared/transport/memberTokens';
import { API, envelope, countRequests } from '../../harness/falcon';
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
		// It names what this node does, not Real Time Response's commands and files.
		expect(optIn?.description).toMatch(/contain hosts, lift their containment or change their tags/);
		expect(optIn?.description).not.toMatch(/files|commands|sessions/);
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

	it('opt-ins take no expression: n8n would offer the model to define them, and an expression is read as off', async () => {
		const optIns = new CrowdStrikeFalconHosts().description.properties.filter((property) => property.name.startsWith('allow'));
		expect(optIns.map((property) => property.name).sort()).toEqual(['allowHostChangesByAgent', 'allowTenantChoiceByAgent']);
		for (const optIn of optIns) expect(optIn.noDataExpression).toBe(true);
		const requests = countRequests();
		const granted = "={{ $fromAI('allow', 'Whether you may change hosts', 'boolean', true) }}";
		const result = await run({ resource: 'host', operation: 'contain', hostId: byId(HOST_A), options: {}, allowHostChangesByAgent: granted }, { type: HOSTS_TOOL });
		expect(result.error?.message).toBe('"Contain" changes hosts and is not allowed for AI agents on this node');
		expect(requests.count).toBe(0);
	});

	describe('Tenant > Member CID on a tool call', () => {
		const CHILD = 'c'.repeat(32);
		const get = (memberCid: string, extra: Record<string, unknown> = {}) => ({ resource: 'host', operation: 'get', hostIds: HOST_A, tenant: { memberCid }, ...extra });
		// Each test mints the child's token afresh.
		afterEach(() => clearMemberTokens());

		/** The child's token, minted for CHILD, and the host read with it. */
		function getInChild() {
			const token = nock(API).post('/oauth2/token', (body: Record<string, string>) => body.member_cid === CHILD).reply(201, { access_token: 'child', expires_in: 1799 });
			const api = nock(API, { reqheaders: { authorization: 'Bearer child' } }).post(DEVICES.details, { ids: [HOST_A] }).reply(200, envelope([device(HOST_A, 'normal')]));
			return { token, api };
		}

		it.each([
			['from $json, which the model\'s arguments can overwrite', '={{ $json.cid }}'],
			['from $fromAI', "={{ $fromAI('cid', 'The child tenant', 'string') }}"],
		])('refuses one %s before any request (no child token minted)', async (_, memberCid) => {
			const requests = countRequests();
			const result = await run(get(memberCid), { type: HOSTS_TOOL, input: [{ json: { cid: CHILD } }] });
			expect(result.error?.message).toBe(
				'This node takes its Tenant > Member CID from an expression, which the model can steer to any child tenant, and is not allowed for AI agents on this node',
			);
			expect(result.error?.description).toContain('Allow AI Agent to Choose the Tenant');
			expect(requests.count).toBe(0);
		});

		it('uses a fixed Member CID without the opt-in', async () => {
			const { token, api } = getInChild();
			const result = await run(get(CHILD), { type: HOSTS_TOOL });
			expect(result.error).toBeUndefined();
			expect(token.isDone() && api.isDone()).toBe(true);
		});

		it('uses a CID typed in expression mode (=<cid>, nothing computed) without the opt-in', async () => {
			const { token, api } = getInChild();
			const result = await run(get(`=${CHILD}`), { type: HOSTS_TOOL });
			expect(result.error).toBeUndefined();
			expect(token.isDone() && api.isDone()).toBe(true);
		});

		it('takes the expression once the user allowed the agent to choose the tenant', async () => {
			const { token, api } = getInChild();
			const result = await run(get('={{ $json.cid }}', { allowTenantChoiceByAgent: true }), { type: HOSTS_TOOL, input: [{ json: { cid: CHILD } }] });
			expect(result.error).toBeUndefined();
			expect(token.isDone() && api.isDone()).toBe(true);
		});

		it('leaves workflows alone: the regular node takes the expression', async () => {
			const { token, api } = getInChild();
			const result = await run(get('={{ $json.cid }}'), { input: [{ json: { cid: CHILD } }] });
			expect(result.error).toBeUndefined();
			expect(token.isDone() && api.isDone()).toBe(true);
		});
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
