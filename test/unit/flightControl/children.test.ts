import nock from 'nock';

import { API, envelope, falconErrors, mockToken, testCredentials } from '../../harness/falcon';
import { runNode } from '../../harness/runWorkflow';

const NODE = 'n8n-nodes-crowdstrike-falcon.crowdStrikeFalconFlightControl';
const QUERY = '/mssp/queries/children/v1';
const ENTITIES = '/mssp/entities/children/v1';
const CHILD_A = '0123456789abcdef0123456789abcdef';
const CHILD_B = 'fedcba9876543210fedcba9876543210';
const link = (cid: string, name: string, status = 'active') => ({
	child_cid: cid,
	child_gcid: 'f'.repeat(32),
	child_of: 'a'.repeat(32),
	checksum: '4F',
	domains: [],
	name,
	status,
});

function falcon() {
	mockToken();
	return nock(API, { reqheaders: { authorization: 'Bearer token-1' } });
}

describe('Flight Control > Child', () => {
	it('Get Many queries the child CIDs, newest change first, then reads their links in the query order', async () => {
		const api = falcon()
			.get(QUERY)
			.query({ limit: '5000', offset: '0', sort: 'last_modified_timestamp|desc' })
			.reply(
				200,
				envelope([CHILD_B, CHILD_A], { pagination: { offset: 0, limit: 5000, total: 2 } }),
			)
			.get(ENTITIES)
			.query({ ids: [CHILD_B, CHILD_A] })
			.reply(200, envelope([link(CHILD_A, 'Contoso'), link(CHILD_B, 'Northwind', 'inactive')]));
		const { items, error } = await runNode(
			NODE,
			{
				resource: 'child',
				operation: 'getAll',
				returnAll: true,
				options: { sort: 'last_modified_timestamp|desc' },
			},
			testCredentials(),
		);
		expect(error).toBeUndefined();
		expect(api.isDone()).toBe(true);
		expect(items.map((item) => [item.json.name, item.json.status])).toEqual([
			['Northwind', 'inactive'],
			['Contoso', 'active'],
		]);
	});

	it('Get takes CIDs as the console shows them (upper case, -XX checksum) and sends them as Falcon stores them', async () => {
		const api = falcon()
			.get(ENTITIES)
			.query({ ids: [CHILD_A, CHILD_B] })
			.reply(200, envelope([link(CHILD_A, 'Contoso'), link(CHILD_B, 'Northwind')]));
		const { items, error } = await runNode(
			NODE,
			{
				resource: 'child',
				operation: 'get',
				childCids: `${CHILD_A.toUpperCase()}-4F, ${CHILD_B}\n${CHILD_A}`,
			},
			testCredentials(),
		);
		expect(error).toBeUndefined();
		expect(api.isDone()).toBe(true);
		expect(items).toHaveLength(2);
	});

	it('counts a CID written twice (with and without its checksum) once against the 100 per item', async () => {
		const cids = Array.from({ length: 60 }, (_, n) => n.toString(16).padStart(32, 'b'));
		const api = falcon().get(ENTITIES).query({ ids: cids }).reply(200, envelope(cids.map((cid) => link(cid, 'Child'))));
		const childCids = [...cids, ...cids.map((cid) => `${cid.toUpperCase()}-4F`)].join(',');
		const { items, error } = await runNode(NODE, { resource: 'child', operation: 'get', childCids }, testCredentials());
		expect(error).toBeUndefined();
		expect(api.isDone()).toBe(true);
		expect(items).toHaveLength(60);
	});

	it('refuses a malformed CID before any request', async () => {
		const token = mockToken();
		const { error } = await runNode(
			NODE,
			{ resource: 'child', operation: 'get', childCids: `${CHILD_A}, not-a-cid` },
			testCredentials(),
		);
		expect(error?.message).toBe(
			'Invalid "Child CIDs": each value must be a CID of 32 hexadecimal characters, optionally with its -XX checksum (got "not-a-cid")',
		);
		expect(token.isDone()).toBe(false);
	});

	it('names the scope a 403 asks for', async () => {
		falcon()
			.get(QUERY)
			.query(true)
			.reply(403, falconErrors(403, 'access denied, authorization failed'));
		const { error } = await runNode(
			NODE,
			{ resource: 'child', operation: 'getAll', returnAll: true, options: {} },
			testCredentials(),
		);
		expect(error?.message).toBe(
			"This operation needs the API scope 'Flight Control: Read' on the API client. Falcon API error 403: access denied, authorization failed",
		);
	});

	it('has no Member CID of its own: the children belong to the parent', async () => {
		const { CrowdStrikeFalconFlightControl } =
			await import('../../../nodes/CrowdStrikeFalcon/FlightControl/CrowdStrikeFalconFlightControl.node');
		const { CrowdStrikeFalconHosts } =
			await import('../../../nodes/CrowdStrikeFalcon/Hosts/CrowdStrikeFalconHosts.node');
		expect(
			new CrowdStrikeFalconFlightControl().description.properties.map((property) => property.name),
		).not.toContain('tenant');
		expect(new CrowdStrikeFalconHosts().description.properties.slice(-1)[0]?.name).toBe('tenant');
	});
});
