import type { IDataObject } from 'n8n-workflow';

import { startSimulator, type RunningSimulator } from '../../../simulator';
import { TestCredentialsHelper } from '../../harness/credentials';
import { runNode } from '../../harness/runWorkflow';

const NODE = 'n8n-nodes-crowdstrike-falcon.crowdStrikeFalconInstallationTokens';
const DAY = 24 * 60 * 60 * 1000;

let sim: RunningSimulator;
let credentials: TestCredentialsHelper;

beforeAll(async () => {
	sim = await startSimulator({ seed: 7, seedInstallationTokens: false });
});

afterAll(async () => {
	await sim.close();
});

beforeEach(() => {
	sim.reset();
	credentials = new TestCredentialsHelper({
		cloud: 'custom',
		baseUrl: sim.url,
		clientId: sim.clientId,
		clientSecret: sim.clientSecret,
	});
});

async function run(parameters: IDataObject): Promise<IDataObject[]> {
	const result = await runNode(NODE, parameters as never, credentials);
	if (result.error) throw result.error;
	return result.items.map((item) => item.json);
}

async function createToken(label: string, expiresAt?: Date): Promise<IDataObject> {
	const [created] = await run({
		resource: 'token',
		operation: 'create',
		label,
		...(expiresAt ? { expires: 'at', expiresAt: expiresAt.toISOString() } : { expires: 'never' }),
	});
	return created;
}

it('creates, finds, updates, revokes, restores and deletes a token over real HTTP', async () => {
	const created = await createToken('ci-runners', new Date(Date.now() + 5 * DAY + 3600_000));
	expect(created).toMatchObject({ label: 'ci-runners', status: 'valid', days_left: 5 });
	expect(created.id).toMatch(/^[0-9a-f]{32}$/);
	const id = String(created.id);

	const [read] = await run({ resource: 'token', operation: 'get', ids: id });
	expect(read).toMatchObject({ id, label: 'ci-runners', value: created.value });

	const [renamed] = await run({ resource: 'token', operation: 'update', ids: id, updateFields: { label: 'ci-runners-2', neverExpires: true } });
	expect(renamed).toMatchObject({ label: 'ci-runners-2', expires_timestamp: null, days_left: null });

	const [revoked] = await run({ resource: 'token', operation: 'update', ids: id, updateFields: { revoked: 'revoke' } });
	expect(revoked.status).toBe('revoked');
	const [restored] = await run({ resource: 'token', operation: 'update', ids: id, updateFields: { revoked: 'restore' } });
	expect(restored.status).toBe('valid');

	const deleted = await run({ resource: 'token', operation: 'delete', ids: id });
	expect(deleted).toEqual([expect.objectContaining({ id, deleted: true })]);
	const gone = await runNode(NODE, { resource: 'token', operation: 'get', ids: id } as never, credentials);
	expect(gone.error?.name).toBe('NodeApiError');
	expect(gone.error?.httpCode).toBe('404');
	expect(gone.error?.description).toMatch(/trace_id: \S+/);
	// Falcon answers 404 naming the id: worded as every Get by IDs words a missing one.
	expect(gone.error?.message).toBe(`1 of 1 token IDs not found: ${id}`);
	// Falcon refuses the whole read (404) and names only the missing id: the other is read again, and output beside
	// the error with Continue On Fail.
	const kept = await createToken('kept');
	const mixed = await runNode(NODE, { resource: 'token', operation: 'get', ids: `${kept.id},${id}` } as never, credentials, {
		continueOnFail: true,
	});
	expect(mixed.items.map((item) => item.json.id ?? item.json.error)).toEqual([kept.id, `1 of 2 token IDs not found: ${id}`]);
	expect(mixed.items[1].json.description).toMatch(/Falcon returned the other 1 of 2/);

	const requests = sim.state().requests.map((request) => `${request.method} ${request.path}`);
	expect(requests.filter((request) => request === 'POST /oauth2/token')).toHaveLength(1);
});

it('Get Many filters by status and expiry window, paginates and reports days left', async () => {
	const soon = await createToken('soon', new Date(Date.now() + 3 * DAY + 3600_000));
	await createToken('later', new Date(Date.now() + 90 * DAY));
	await createToken('never');
	const revoked = await createToken('revoked-soon', new Date(Date.now() + 2 * DAY));
	await run({ resource: 'token', operation: 'update', ids: String(revoked.id), updateFields: { revoked: 'revoke' } });

	const expiring = await run({
		resource: 'token',
		operation: 'getAll',
		returnAll: true,
		filters: { status: 'valid', expiringWithinDays: 7 },
	});
	expect(expiring.map((token) => [token.label, token.days_left])).toEqual([['soon', 3]]);
	expect(expiring[0].id).toBe(soon.id);

	for (let n = 0; n < 7; n++) await createToken(`bulk-${n}`);
	const firstFive = await run({ resource: 'token', operation: 'getAll', returnAll: false, limit: 5, options: { sort: 'label.asc' } });
	expect(firstFive.map((token) => token.label)).toEqual(['bulk-0', 'bulk-1', 'bulk-2', 'bulk-3', 'bulk-4']);
	const all = await run({ resource: 'token', operation: 'getAll', returnAll: true, filters: { query: "label:*'bulk-*'" } });
	expect(all).toHaveLength(7);
});

it('audit events record token actions and can be filtered by action and token', async () => {
	const created = await createToken('audited');
	await run({ resource: 'token', operation: 'update', ids: String(created.id), updateFields: { revoked: 'revoke' } });
	const events = await run({
		resource: 'auditEvent',
		operation: 'getAll',
		returnAll: true,
		filters: { auditedId: String(created.id) },
		options: { sort: 'timestamp.asc' },
	});
	expect(events.length).toBeGreaterThanOrEqual(2);
	expect(events.every((event) => event.token_id === created.id)).toBe(true);
	const creates = await run({ resource: 'auditEvent', operation: 'getAll', limit: 10, filters: { action: String(events[0].action) } });
	expect(creates.map((event) => event.token_id)).toContain(created.id);
	const [byId] = await run({ resource: 'auditEvent', operation: 'get', ids: String(events[0].id) });
	expect(byId).toEqual(events[0]);
});

it('settings round-trip, and Falcon enforces max active tokens', async () => {
	const [updated] = await run({ resource: 'settings', operation: 'update', updateFields: { maxActiveTokens: 2, tokensRequired: false } });
	expect(updated).toMatchObject({ max_active_tokens: 2, tokens_required: false });
	const [read] = await run({ resource: 'settings', operation: 'get' });
	expect(read).toEqual(updated);
	await createToken('one');
	await createToken('two');
	const third = await runNode(NODE, { resource: 'token', operation: 'create', label: 'three', expires: 'never' } as never, credentials);
	expect(third.error?.name).toBe('NodeApiError');
	expect(third.error?.message).toMatch(/^Falcon API error 4\d\d: /);
});

it('rides out a 429 storm and a 5xx on a read', async () => {
	await run({ resource: 'settings', operation: 'get' });
	sim.setFaults({ rateLimitNext: 2, serverErrors: [{ pathPrefix: '/installation-tokens/entities/customer-settings', count: 1 }] });
	const [settings] = await run({ resource: 'settings', operation: 'get' });
	expect(settings).toHaveProperty('max_active_tokens');
	const statuses = sim.state().requests.filter((request) => request.path.includes('customer-settings')).map((request) => request.status);
	expect(statuses).toEqual([200, 429, 429, 500, 200]);
});

it('a wrong secret fails with Falcon\'s message and without the secret', async () => {
	credentials = new TestCredentialsHelper({ cloud: 'custom', baseUrl: sim.url, clientId: sim.clientId, clientSecret: 'dummy-wrong-secret-value' });
	const { error } = await runNode(NODE, { resource: 'settings', operation: 'get' } as never, credentials);
	expect(error?.message).toMatch(/^Falcon refused to issue a token \(HTTP 403: .+\) \[trace_id \S+\]$/);
	expect(JSON.stringify(error)).not.toContain('dummy-wrong-secret-value');
});

it('a clean-up that lists a token deleted already deletes the others and says which one was not there', async () => {
	const first = await createToken('first');
	const second = await createToken('second');
	const goneAlready = 'f'.repeat(32);
	const outcome = await run({ resource: 'token', operation: 'delete', ids: `${String(first.id)},${goneAlready},${String(second.id)}` });
	expect(outcome.map(({ id, deleted }) => [id, deleted])).toEqual([
		[first.id, true],
		[goneAlready, false],
		[second.id, true],
	]);
	expect(JSON.stringify(outcome[1].errors)).toContain(goneAlready);
	expect(await run({ resource: 'token', operation: 'getAll', returnAll: true, filters: {}, options: {} })).toEqual([]);
});
