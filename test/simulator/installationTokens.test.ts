import type { RunningSimulator } from '../../simulator';
import { delay } from '../../simulator/timers';
import { connect, expectEnvelope, HEX32, withSimulator, type Client, type Json } from './helpers';

const ENTITIES = '/installation-tokens/entities/tokens/v1';
const QUERY = '/installation-tokens/queries/tokens/v1';

describe('simulator: installation tokens', () => {
	let sim: RunningSimulator;
	let client: Client;
	beforeAll(async () => {
		sim = await withSimulator({ seedInstallationTokens: false });
	});
	afterAll(() => sim.close());
	beforeEach(async () => {
		sim.reset();
		client = await connect(sim);
	});

	async function create(label: string, expires?: string | null): Promise<Json> {
		const res = await client.json('POST', ENTITIES, expires === undefined ? { label } : { label, expires_timestamp: expires });
		expect(res.status).toBe(201);
		return res.body.resources[0];
	}

	async function query(params: Record<string, string>): Promise<{ ids: string[]; body: Json; status: number }> {
		const res = await client.json('GET', `${QUERY}?${new URLSearchParams(params)}`);
		return { ids: res.body.resources, body: res.body, status: res.status };
	}

	it('creates a token with all fields and reads it back by repeated ids', async () => {
		const future = new Date(Date.now() + 86_400_000).toISOString();
		const a = await create('Production', future);
		const b = await create('Lab', null);
		expect(a.id).toMatch(HEX32);
		expect(a).toMatchObject({ label: 'Production', status: 'valid', expires_timestamp: future, revoked_timestamp: null, last_used_timestamp: null });
		expect(typeof a.value).toBe('string');
		expect(typeof a.type).toBe('string');
		expect(Date.parse(a.created_timestamp)).not.toBeNaN();
		expect(b.expires_timestamp).toBeNull();

		const read = await client.json('GET', `${ENTITIES}?ids=${a.id}&ids=${b.id}`);
		expectEnvelope(read.body);
		expect(read.body.resources.map((t: Json) => t.label)).toEqual(['Production', 'Lab']);
	});

	it('404s naming every unknown id', async () => {
		const a = await create('Known');
		const res = await client.json('GET', `${ENTITIES}?ids=${a.id},${'0'.repeat(32)},${'f'.repeat(32)}`);
		expect(res.status).toBe(404);
		expect(res.body.errors.map((e: Json) => e.id)).toEqual(['0'.repeat(32), 'f'.repeat(32)]);
		expect(res.body.errors[0].message).toContain('0'.repeat(32));
	});

	it('updates label and expiry, clears expiry with null, revokes and restores, and audits each action', async () => {
		const a = await create('Old', new Date(Date.now() + 3_600_000).toISOString());
		const b = await create('Other');
		const renamed = await client.json('PATCH', `${ENTITIES}?ids=${a.id}`, { label: 'New', expires_timestamp: null });
		expect(renamed.body.resources[0]).toMatchObject({ label: 'New', expires_timestamp: null });
		const revoked = await client.json('PATCH', `${ENTITIES}?ids=${a.id},${b.id}`, { revoked: true });
		expect(revoked.body.resources.map((t: Json) => t.status)).toEqual(['revoked', 'revoked']);
		expect(revoked.body.resources[0].revoked_timestamp).not.toBeNull();
		const restored = await client.json('PATCH', `${ENTITIES}?ids=${b.id}`, { revoked: false });
		expect(restored.body.resources[0]).toMatchObject({ status: 'valid', revoked_timestamp: null });
		const deleted = await client.json('DELETE', `${ENTITIES}?ids=${b.id}`);
		expect(deleted.status).toBe(200);
		expect(deleted.body).not.toHaveProperty('resources');
		expect((await client.json('GET', `${ENTITIES}?ids=${b.id}`)).status).toBe(404);

		const auditIds = (await client.json('GET', '/installation-tokens/queries/audit-events/v1?sort=timestamp.asc&limit=100')).body.resources;
		const events = (await client.json('GET', `/installation-tokens/entities/audit-events/v1?${auditIds.map((id: string) => `ids=${id}`).join('&')}`)).body.resources;
		expect(events.map((e: Json) => e.action)).toEqual([
			'token_create', 'token_create', 'token_update', 'token_revoke', 'token_revoke', 'token_restore', 'token_delete',
		]);
		expect(events[6].token_id).toBe(b.id);
		const restoresOnly = await client.json('GET', `/installation-tokens/queries/audit-events/v1?filter=${encodeURIComponent("action:'token_restore'")}`);
		expect(restoresOnly.body.resources).toEqual([events[5].id]);
	});

	it('derives status expired from the expiry and filters on it', async () => {
		// A second ahead: a loaded machine's slow create must still be in the future when it arrives.
		const a = await create('Soon', new Date(Date.now() + 1_000).toISOString());
		await create('Later', new Date(Date.now() + 86_400_000).toISOString());
		await delay(Date.parse(String(a.expires_timestamp)) - Date.now() + 50);
		expect((await query({ filter: "status:'expired'" })).ids).toEqual([a.id]);
		expect((await query({ filter: "status:!'expired'" })).ids).toHaveLength(1);
	});

	it('filters with FQL: wildcards, sets, dates, null, AND/OR, and validates bad filters', async () => {
		const prodA = await create('prod-web', new Date(Date.now() + 10 * 86_400_000).toISOString());
		const prodB = await create('prod-db', null);
		const lab = await create('lab', new Date(Date.now() + 40 * 86_400_000).toISOString());
		const ids = async (filter: string) => (await query({ filter, sort: 'label.asc' })).ids;
		expect(await ids("label:*'prod*'")).toEqual([prodB.id, prodA.id]);
		expect(await ids("label:*'*DB*'")).toEqual([prodB.id]);
		expect(await ids("label:['lab','prod-db']")).toEqual([lab.id, prodB.id]);
		expect(await ids('expires_timestamp:null')).toEqual([prodB.id]);
		const in20 = new Date(Date.now() + 20 * 86_400_000).toISOString();
		expect(await ids(`expires_timestamp:<'${in20}'`)).toEqual([prodA.id]);
		expect(await ids(`expires_timestamp:>='${in20}'`)).toEqual([lab.id]);
		expect(await ids("status:'valid'+label:*'prod*'")).toEqual([prodB.id, prodA.id]);
		expect(await ids("label:'lab',label:'prod-web'")).toEqual([lab.id, prodA.id]);
		expect(await ids(`created_timestamp:>'now-1h'+expires_timestamp:!null`)).toEqual([lab.id, prodA.id]);
		expect((await query({ filter: "nosuchfield:'x'" })).status).toBe(400);
		expect((await query({ filter: "label:'unterminated" })).status).toBe(400);
		expect((await query({ filter: "status:'valid' label:'lab'" })).status).toBe(400);
		expect((await query({ filter: "expires_timestamp:>'not-a-date'" })).status).toBe(400);
	});

	it('sorts with .asc/.desc and |asc, paginates with offset/limit and validates limit', async () => {
		const labels = ['c', 'a', 'e', 'b', 'd'];
		for (const label of labels) await create(label);
		const byLabel = async (sort: string) => {
			const page = await query({ sort, limit: '1000' });
			const read = await client.json('GET', `${ENTITIES}?${page.ids.map((id) => `ids=${id}`).join('&')}`);
			return read.body.resources.map((t: Json) => t.label).join('');
		};
		expect(await byLabel('label.asc')).toBe('abcde');
		expect(await byLabel('label.desc')).toBe('edcba');
		expect(await byLabel('label|asc')).toBe('abcde');
		const all = (await query({ sort: 'label.asc' })).ids;
		const page = await query({ sort: 'label.asc', offset: '1', limit: '2' });
		expect(page.ids).toEqual(all.slice(1, 3));
		expect(page.body.meta.pagination).toEqual({ offset: 1, limit: 2, total: 5 });
		expect((await query({ limit: '0' })).status).toBe(400);
		expect((await query({ limit: '1001' })).status).toBe(400);
		expect((await query({ sort: 'bogus.asc' })).status).toBe(400);
	});

	it('enforces max_active_tokens on create and validates the settings', async () => {
		const settings = await client.json('GET', '/installation-tokens/entities/customer-settings/v1');
		expect(settings.body.resources[0]).toEqual({ tokens_required: false, max_active_tokens: 100 });
		expect((await client.json('PATCH', '/installation-tokens/entities/customer-settings/v1', { max_active_tokens: 0 })).status).toBe(400);
		const updated = await client.json('PATCH', '/installation-tokens/entities/customer-settings/v1', { max_active_tokens: 2, tokens_required: true });
		expect(updated.body.resources[0]).toEqual({ tokens_required: true, max_active_tokens: 2 });
		const a = await create('one');
		await create('two');
		const third = await client.json('POST', ENTITIES, { label: 'three' });
		expect(third.status).toBe(409);
		expect(third.body.errors[0].message).toContain('max_active_tokens');
		await client.json('PATCH', `${ENTITIES}?ids=${a.id}`, { revoked: true });
		expect((await client.json('POST', ENTITIES, { label: 'three' })).status).toBe(201);
	});

	it('seeds a realistic mix of tokens when asked', async () => {
		const seeded = await withSimulator({ seedInstallationTokens: true });
		try {
			const c = await connect(seeded);
			const ids = (await c.json('GET', `${QUERY}?limit=100`)).body.resources as string[];
			const tokens = (await c.json('GET', `${ENTITIES}?${ids.map((id) => `ids=${id}`).join('&')}`)).body.resources;
			expect(new Set(tokens.map((t: Json) => t.status))).toEqual(new Set(['valid', 'expired', 'revoked']));
			expect(tokens.some((t: Json) => t.expires_timestamp === null)).toBe(true);
		} finally {
			await seeded.close();
		}
	});
});
