import type { IDataObject } from 'n8n-workflow';
import nock from 'nock';

import { API, envelope, mockToken, testCredentials } from '../../harness/falcon';
import { runNode } from '../../harness/runWorkflow';

const NODE = 'n8n-nodes-crowdstrike-falcon.crowdStrikeFalconInstallationTokens';
const ENTITIES_PATH = '/installation-tokens/entities/tokens/v1';
const ID_A = 'a'.repeat(32);
const ID_B = 'b'.repeat(32);
const ID_C = 'c'.repeat(32);
const DAY = 24 * 60 * 60 * 1000;

function token(id: string, expires: string | null, extra: Record<string, unknown> = {}) {
	return { id, label: `label-${id.slice(0, 4)}`, value: `v-${id}`, status: 'valid', expires_timestamp: expires, ...extra };
}

async function run(parameters: Record<string, unknown>, input?: Array<{ json: IDataObject }>) {
	mockToken();
	const result = await runNode(NODE, parameters as never, testCredentials(), { input });
	if (result.error) throw result.error;
	return result.items;
}

describe('Token', () => {
	it('Create sends label and expiry in the body and returns the token with days left', async () => {
		const expires = new Date(Date.now() + 10 * DAY + 60_000).toISOString();
		const api = nock(API)
			.post(ENTITIES_PATH, (body) => {
				expect(body).toEqual({ label: 'Linux fleet', expires_timestamp: expires.replace(/\.\d{3}Z$/, 'Z') });
				return true;
			})
			.reply(201, envelope([token(ID_A, expires)]));
		const items = await run({ resource: 'token', operation: 'create', label: 'Linux fleet', expires: 'at', expiresAt: expires });
		expect(api.isDone()).toBe(true);
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ id: ID_A, days_left: 10 });
		expect(items[0].pairedItem).toEqual({ item: 0 });
	});

	it('Create with "Never" sends no expiry', async () => {
		const api = nock(API)
			.post(ENTITIES_PATH, (body) => {
				expect(body).toEqual({ label: 'Forever' });
				return true;
			})
			.reply(201, envelope([token(ID_A, null)]));
		const items = await run({ resource: 'token', operation: 'create', label: 'Forever', expires: 'never' });
		expect(api.isDone()).toBe(true);
		expect(items[0].json.days_left).toBeNull();
	});

	it('Create sends the token type when one is given (tokens_create takes a type)', async () => {
		const api = nock(API)
			.post(ENTITIES_PATH, (body) => {
				expect(body).toEqual({ label: 'Typed', type: 'customer_managed' });
				return true;
			})
			.reply(201, envelope([token(ID_A, null)]));
		await run({ resource: 'token', operation: 'create', label: 'Typed', expires: 'never', options: { type: ' customer_managed ' } });
		expect(api.isDone()).toBe(true);
	});

	it('Get reads several ids as repeated query keys', async () => {
		const api = nock(API)
			.get(ENTITIES_PATH)
			.query((query) => {
				expect(query).toEqual({ ids: [ID_A, ID_B] });
				return true;
			})
			.reply(200, envelope([token(ID_A, null), token(ID_B, null)]));
		const items = await run({ resource: 'token', operation: 'get', ids: `${ID_A}, ${ID_B}` });
		expect(api.isDone()).toBe(true);
		expect(items.map((item) => item.json.id)).toEqual([ID_A, ID_B]);
	});

	it('Get accepts ids given as an array through an expression', async () => {
		const api = nock(API)
			.get(ENTITIES_PATH)
			.query({ ids: [ID_A, ID_B] })
			.reply(200, envelope([token(ID_A, null), token(ID_B, null)]));
		await run({ resource: 'token', operation: 'get', ids: `={{ ["${ID_A}", "${ID_B}"] }}` });
		expect(api.isDone()).toBe(true);
	});

	it('Delete sends the ids comma-joined (the API declares csv) and reports each deleted id', async () => {
		const api = nock(API)
			.delete(ENTITIES_PATH)
			.query({ ids: `${ID_A},${ID_B}` })
			.reply(200, { meta: { query_time: 0.1, trace_id: 'trace-del' }, errors: [] });
		const items = await run({ resource: 'token', operation: 'delete', ids: `${ID_A},${ID_B}` });
		expect(api.isDone()).toBe(true);
		expect(items.map((item) => item.json)).toEqual([
			{ id: ID_A, deleted: true, trace_id: 'trace-del' },
			{ id: ID_B, deleted: true, trace_id: 'trace-del' },
		]);
	});

	// Falcon may answer a delete 200 with errors naming IDs it did not delete: those are not reported deleted. An error
	// may name its ID in its id field or only in its message: either way it is that ID's alone.
	it.each([
		['in its id field', { code: 404, id: ID_B, message: `token not found: ${ID_B}` }],
		['only in its message', { code: 404, message: `token not found: ${ID_B.toUpperCase()}` }],
	])('Delete reports an ID an error names %s as not deleted, with its error', async (_how, missing) => {
		nock(API)
			.delete(ENTITIES_PATH)
			.query({ ids: `${ID_A},${ID_B}` })
			.reply(200, { meta: { query_time: 0.1, trace_id: 'trace-del' }, errors: [missing] });
		const items = await run({ resource: 'token', operation: 'delete', ids: `${ID_A},${ID_B}` });
		expect(items.map((item) => item.json)).toEqual([
			{ id: ID_A, deleted: true, trace_id: 'trace-del' },
			{ id: ID_B, deleted: false, trace_id: 'trace-del', errors: [missing] },
		]);
	});

	// Falcon refuses a delete whole (404) when one ID is unknown (deleted already, a re-run): the others go again.
	it('Delete of IDs one of which Falcon does not know deletes the others and reports that one not deleted, with its error', async () => {
		const unknown = { code: 404, message: `installation token not found: ${ID_B}` };
		const api = nock(API)
			.delete(ENTITIES_PATH)
			.query({ ids: `${ID_A},${ID_B}` })
			.reply(404, { meta: { query_time: 0.1, trace_id: 'trace-404' }, errors: [unknown] })
			.delete(ENTITIES_PATH)
			.query({ ids: ID_A })
			.reply(200, { meta: { query_time: 0.1, trace_id: 'trace-del' }, errors: [] });
		const items = await run({ resource: 'token', operation: 'delete', ids: `${ID_A},${ID_B}` });
		expect(api.isDone()).toBe(true);
		expect(items.map((item) => item.json)).toEqual([
			{ id: ID_A, deleted: true, trace_id: 'trace-del' },
			{ id: ID_B, deleted: false, trace_id: 'trace-del', errors: [unknown] },
		]);
	});

	// Falcon may name one unknown ID per refusal: each refusal takes out the IDs it names, until a call goes through.
	it('Delete of IDs two of which Falcon does not know, named one per refusal, deletes the third and reports both not deleted', async () => {
		const unknownB = { code: 404, message: `installation token not found: ${ID_B}` };
		const unknownC = { code: 404, message: `installation token not found: ${ID_C}` };
		const api = nock(API)
			.delete(ENTITIES_PATH)
			.query({ ids: `${ID_A},${ID_B},${ID_C}` })
			.reply(404, { meta: { trace_id: 'trace-404-b' }, errors: [unknownB] })
			.delete(ENTITIES_PATH)
			.query({ ids: `${ID_A},${ID_C}` })
			.reply(404, { meta: { trace_id: 'trace-404-c' }, errors: [unknownC] })
			.delete(ENTITIES_PATH)
			.query({ ids: ID_A })
			.reply(200, { meta: { trace_id: 'trace-del' }, errors: [] });
		const items = await run({ resource: 'token', operation: 'delete', ids: `${ID_A},${ID_B},${ID_C}` });
		expect(api.isDone()).toBe(true);
		expect(items.map((item) => item.json)).toEqual([
			{ id: ID_A, deleted: true, trace_id: 'trace-del' },
			{ id: ID_B, deleted: false, trace_id: 'trace-del', errors: [unknownB] },
			{ id: ID_C, deleted: false, trace_id: 'trace-del', errors: [unknownC] },
		]);
	});

	it('Delete of IDs none of which Falcon knows, named one per refusal, reports each not deleted', async () => {
		const unknownA = { code: 404, message: `installation token not found: ${ID_A}` };
		const unknownB = { code: 404, message: `installation token not found: ${ID_B}` };
		const api = nock(API)
			.delete(ENTITIES_PATH)
			.query({ ids: `${ID_A},${ID_B}` })
			.reply(404, { meta: { trace_id: 'trace-404-a' }, errors: [unknownA] })
			.delete(ENTITIES_PATH)
			.query({ ids: ID_B })
			.reply(404, { meta: { trace_id: 'trace-404-b' }, errors: [unknownB] });
		const items = await run({ resource: 'token', operation: 'delete', ids: `${ID_A},${ID_B}` });
		expect(api.isDone()).toBe(true);
		expect(items.map((item) => [item.json.id, item.json.deleted, item.json.errors])).toEqual([
			[ID_A, false, [unknownA]],
			[ID_B, false, [unknownB]],
		]);
	});

	it('Delete: a 404 that names every ID still fails the item', async () => {
		nock(API)
			.delete(ENTITIES_PATH)
			.query({ ids: `${ID_A},${ID_B}` })
			.reply(404, { meta: { trace_id: 'trace-404' }, errors: [{ code: 404, message: `not found: ${ID_A}, ${ID_B}` }] });
		const failed = await run({ resource: 'token', operation: 'delete', ids: `${ID_A},${ID_B}` }).then(
			() => undefined,
			(error: Error) => error,
		);
		expect(failed?.message).toBe(`Falcon API error 404: not found: ${ID_A}, ${ID_B}`);
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('Delete sends an ID given twice once, and reports it once', async () => {
		nock(API)
			.delete(ENTITIES_PATH)
			.query({ ids: ID_A })
			.reply(200, { meta: { query_time: 0.1, trace_id: 'trace-del' }, errors: [] });
		const items = await run({ resource: 'token', operation: 'delete', ids: `${ID_A}, ${ID_A.toUpperCase()}` });
		expect(items.map((item) => item.json)).toEqual([{ id: ID_A, deleted: true, trace_id: 'trace-del' }]);
	});

	it('counts a repeated ID once against the 100 per item: 60 IDs given twice (tokens read off audit events) are read', async () => {
		const ids = Array.from({ length: 60 }, (_, n) => n.toString(16).padStart(32, 'a'));
		const api = nock(API).get(ENTITIES_PATH).query({ ids }).reply(200, envelope(ids.map((id) => token(id, null))));
		const items = await run({ resource: 'token', operation: 'get', ids: [...ids, ...ids.map((id) => id.toUpperCase())].join(',') });
		expect(api.isDone()).toBe(true);
		expect(items).toHaveLength(60);
	});

	it('Create and Update send a label an expression gave as a number as text (Falcon reads a JSON number as no label)', async () => {
		const bodies: IDataObject[] = [];
		nock(API)
			.post(ENTITIES_PATH, (sent: IDataObject) => bodies.push(sent) > 0)
			.reply(201, envelope([token(ID_A, null)]))
			.patch(ENTITIES_PATH, (sent: IDataObject) => bodies.push(sent) > 0)
			.query({ ids: ID_A })
			.reply(200, envelope([token(ID_A, null)]));
		const input = [{ json: { ticket: 4711 } }];
		await run({ resource: 'token', operation: 'create', label: '={{ $json.ticket }}', expires: 'never' }, input);
		await run({ resource: 'token', operation: 'update', ids: ID_A, updateFields: { label: '={{ $json.ticket }}' } }, input);
		expect(bodies.map((body) => body.label)).toEqual(['4711', '4711']);
	});

	it('sends token IDs in lower case, as Falcon finds them', async () => {
		const api = nock(API).get(ENTITIES_PATH).query({ ids: ID_A }).reply(200, envelope([token(ID_A, null)]));
		const items = await run({ resource: 'token', operation: 'get', ids: ID_A.toUpperCase() });
		expect(api.isDone()).toBe(true);
		expect(items).toHaveLength(1);
	});

	// The date left there is neither sent nor checked: a past one must not stop the token either.
	it('Create with Expires from an expression that gives "never" sends no expiry, even with a (past) date left in Expires At', async () => {
		let body: IDataObject = {};
		nock(API)
			.post(ENTITIES_PATH, (sent: IDataObject) => {
				body = sent;
				return true;
			})
			.reply(201, envelope([token(ID_A, null)]));
		await run({ resource: 'token', operation: 'create', label: 'x', expires: '={{ "never" }}', expiresAt: '2020-01-01T00:00:00Z' });
		expect(body).toEqual({ label: 'x' });
	});

	it('Create answered 2xx with an error and no token fails the item with Falcon\'s error, instead of output nothing', async () => {
		nock(API)
			.post(ENTITIES_PATH)
			.reply(201, { meta: { query_time: 0.1, trace_id: 'trace-201' }, resources: [], errors: [{ code: 409, message: 'label already in use' }] });
		mockToken();
		const result = await runNode(NODE, { resource: 'token', operation: 'create', label: 'x', expires: 'never' } as never, testCredentials(), {
			continueOnFail: true,
		});
		expect(result.items.map((item) => item.json)).toEqual([
			expect.objectContaining({ error: 'Falcon API error 201: 409: label already in use', trace_id: 'trace-201', code: 409 }),
		]);
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
	});

	it('Update of IDs Falcon does not all return fails the item naming the others, and outputs the updated ones with Continue On Fail', async () => {
		nock(API)
			.patch(ENTITIES_PATH)
			.query({ ids: `${ID_A},${ID_B}` })
			.reply(200, envelope([token(ID_A, null, { status: 'revoked' })]));
		mockToken();
		const result = await runNode(
			NODE,
			{ resource: 'token', operation: 'update', ids: `${ID_A},${ID_B}`, updateFields: { revoked: 'revoke' } } as never,
			testCredentials(),
			{ continueOnFail: true },
		);
		const [updated, failed] = result.items.map((item) => item.json);
		expect(updated).toMatchObject({ id: ID_A, status: 'revoked' });
		expect(failed.error).toBe(`1 of 2 token IDs not found: ${ID_B}`);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);
	});

	it('Get answered 404 with the tokens it found still outputs those beside the error naming the missing one', async () => {
		nock(API)
			.get(ENTITIES_PATH)
			.query(true)
			.reply(404, {
				meta: { query_time: 0.1, trace_id: 'trace-404' },
				resources: [token(ID_A, null)],
				errors: [{ code: 404, id: ID_B, message: `token not found: ${ID_B}` }],
			});
		mockToken();
		const result = await runNode(NODE, { resource: 'token', operation: 'get', ids: `${ID_A},${ID_B}` } as never, testCredentials(), {
			continueOnFail: true,
		});
		const [found, failed] = result.items.map((item) => item.json);
		expect(found).toMatchObject({ id: ID_A, days_left: null });
		expect(failed).toMatchObject({ error: `1 of 2 token IDs not found: ${ID_B}`, trace_id: 'trace-404' });
	});

	it('Get refused whole (404) for one unknown token reads the others again and outputs them beside the error', async () => {
		const missing = { code: 404, message: `installation token not found: ${ID_B}` };
		const api = nock(API)
			.get(ENTITIES_PATH)
			.query({ ids: [ID_A, ID_B] })
			.reply(404, { meta: { trace_id: 'trace-404' }, resources: [], errors: [missing] })
			.get(ENTITIES_PATH)
			.query({ ids: ID_A })
			.reply(200, envelope([token(ID_A, null)]));
		mockToken();
		const result = await runNode(NODE, { resource: 'token', operation: 'get', ids: `${ID_A},${ID_B}` } as never, testCredentials(), {
			continueOnFail: true,
		});
		expect(api.isDone()).toBe(true);
		const [found, failed] = result.items.map((item) => item.json);
		expect(found).toMatchObject({ id: ID_A, days_left: null });
		expect(failed).toMatchObject({ error: `1 of 2 token IDs not found: ${ID_B}`, errors: [missing] });
	});

	it('Update refused whole (404) for one unknown token says that none was changed', async () => {
		nock(API)
			.patch(ENTITIES_PATH)
			.query({ ids: `${ID_A},${ID_B}` })
			.reply(404, { meta: { trace_id: 'trace-404' }, errors: [{ code: 404, message: `installation token not found: ${ID_B}` }] });
		mockToken();
		const { error } = await runNode(
			NODE,
			{ resource: 'token', operation: 'update', ids: `${ID_A},${ID_B}`, updateFields: { revoked: 'revoke' } } as never,
			testCredentials(),
		);
		expect(error?.message).toBe(`1 of 2 token IDs not found: ${ID_B}`);
		expect(error?.description).toContain('Falcon answered 404 and changed none of the 2: send it again without the IDs not found.');
	});

	it('Update sends revoked: false to restore, not an empty body', async () => {
		const api = nock(API)
			.patch(ENTITIES_PATH, (body) => {
				expect(body).toEqual({ revoked: false, label: 'renamed' });
				return true;
			})
			.query({ ids: ID_A })
			.reply(200, envelope([token(ID_A, null, { label: 'renamed' })]));
		const items = await run({
			resource: 'token',
			operation: 'update',
			ids: ID_A,
			updateFields: { revoked: 'restore', label: 'renamed' },
		});
		expect(api.isDone()).toBe(true);
		expect(items[0].json).toMatchObject({ id: ID_A, label: 'renamed' });
	});

	it.each([
		['', { neverExpires: true }],
		// A boolean given as text ("TRUE" from a sheet) is read as the boolean; JSON null in a collection is "not set".
		[', given as the text "TRUE", with a Label of JSON null', { neverExpires: 'TRUE', label: '={{ null }}' }],
	])('Update with "Never Expires"%s sends an explicit null expiry', async (_, updateFields) => {
		const api = nock(API)
			.patch(ENTITIES_PATH, (body) => {
				expect(body).toEqual({ expires_timestamp: null });
				return true;
			})
			.query({ ids: ID_A })
			.reply(200, envelope([token(ID_A, null)]));
		await run({ resource: 'token', operation: 'update', ids: ID_A, updateFields });
		expect(api.isDone()).toBe(true);
	});

	it('Update revokes and sets a new expiry', async () => {
		const api = nock(API)
			.patch(ENTITIES_PATH, (body) => {
				expect(body).toEqual({ revoked: true, expires_timestamp: '2030-01-02T03:04:05Z' });
				return true;
			})
			.query({ ids: ID_A })
			.reply(200, envelope([token(ID_A, '2030-01-02T03:04:05Z', { status: 'revoked' })]));
		await run({
			resource: 'token',
			operation: 'update',
			ids: ID_A,
			updateFields: { revoked: 'revoke', expiresAt: '2030-01-02T03:04:05.000Z' },
		});
		expect(api.isDone()).toBe(true);
	});

	it('Get Many combines status, expiry window and FQL into one filter, then reads the details', async () => {
		const before = Date.now();
		let filter = '';
		const query = nock(API)
			.get('/installation-tokens/queries/tokens/v1')
			.query((q) => {
				filter = String(q.filter);
				expect(q).toMatchObject({ sort: 'expires_timestamp.asc', offset: '0', limit: '20' });
				return true;
			})
			.reply(200, envelope([ID_A], { pagination: { offset: 0, limit: 20, total: 1 } }));
		const soon = new Date(before + 3 * DAY + 3600_000).toISOString();
		const details = nock(API).get(ENTITIES_PATH).query({ ids: ID_A }).reply(200, envelope([token(ID_A, soon)]));
		const items = await run({
			resource: 'token',
			operation: 'getAll',
			returnAll: false,
			limit: 20,
			filters: { status: 'valid', expiringWithinDays: 7, query: "label:*'prod*'" },
			options: { sort: 'expires_timestamp.asc' },
		});
		expect(query.isDone() && details.isDone()).toBe(true);
		const [status, from, to, fql] = filter.split('+');
		expect(status).toBe("status:'valid'");
		expect(from).toMatch(/^expires_timestamp:>='\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ'$/);
		const windowEnd = Date.parse(to.replace("expires_timestamp:<='", '').replace("'", ''));
		expect(Math.abs(windowEnd - (before + 7 * DAY))).toBeLessThan(60_000);
		expect(fql).toBe("(label:*'prod*')");
		// The value stays out of the items (and n8n's execution history) unless Include Token Values is on.
		const { value, ...withoutValue } = token(ID_A, soon);
		expect(value).toBeDefined();
		expect(items.map((item) => item.json)).toEqual([{ ...withoutValue, days_left: 3 }]);
	});
});

describe("a token's value in the output (Include Token Values)", () => {
	const listed = () =>
		nock(API)
			.get('/installation-tokens/queries/tokens/v1')
			.query(true)
			.reply(200, envelope([ID_A], { pagination: { offset: 0, limit: 50, total: 1 } }))
			.get(ENTITIES_PATH)
			.query({ ids: ID_A })
			.reply(200, envelope([token(ID_A, null)]));

	it('Get Many and Update leave it out by default; Get, asked for tokens by ID, keeps it', async () => {
		listed();
		expect((await run({ resource: 'token', operation: 'getAll' }))[0].json).not.toHaveProperty('value');
		nock(API).patch(ENTITIES_PATH).query({ ids: ID_A }).reply(200, envelope([token(ID_A, null)]));
		const updated = await run({ resource: 'token', operation: 'update', ids: ID_A, updateFields: { label: 'renamed' } });
		expect(updated[0].json).toMatchObject({ id: ID_A });
		expect(updated[0].json).not.toHaveProperty('value');
		nock(API).get(ENTITIES_PATH).query({ ids: ID_A }).reply(200, envelope([token(ID_A, null)]));
		expect((await run({ resource: 'token', operation: 'get', ids: ID_A }))[0].json.value).toBe(`v-${ID_A}`);
	});

	it('each operation keeps it when the option is on, and Get leaves it out when it is off', async () => {
		listed();
		expect((await run({ resource: 'token', operation: 'getAll', includeTokenValues: true }))[0].json.value).toBe(`v-${ID_A}`);
		nock(API).get(ENTITIES_PATH).query({ ids: ID_A }).reply(200, envelope([token(ID_A, null)]));
		expect((await run({ resource: 'token', operation: 'get', ids: ID_A, includeTokenValues: false }))[0].json).not.toHaveProperty('value');
	});

	it('also for the tokens a refused Get still outputs beside its error (Continue On Fail)', async () => {
		nock(API)
			.get(ENTITIES_PATH)
			.query({ ids: [ID_A, ID_B] })
			.reply(200, envelope([token(ID_A, null)]));
		mockToken();
		const { items } = await runNode(NODE, { resource: 'token', operation: 'get', ids: `${ID_A},${ID_B}`, includeTokenValues: false }, testCredentials(), { continueOnFail: true });
		expect(items.map((item) => Object.keys(item.json).includes('value'))).toEqual([false, false]);
		expect(items[0].json.id).toBe(ID_A);
	});
});

describe('Get Many when a token is deleted between the query and the details read', () => {
	it('lists the tokens still there', async () => {
		nock(API)
			.get('/installation-tokens/queries/tokens/v1')
			.query(true)
			.reply(200, envelope([ID_A, ID_B], { pagination: { offset: 0, limit: 50, total: 2 } }));
		nock(API)
			.get(ENTITIES_PATH)
			.query({ ids: [ID_A, ID_B] })
			.reply(404, {
				meta: { query_time: 0.1, trace_id: 'trace-404' },
				resources: [token(ID_A, null)],
				errors: [{ code: 404, id: ID_B, message: `token not found: ${ID_B}` }],
			});
		const items = await run({ resource: 'token', operation: 'getAll', returnAll: true });
		expect(items.map((item) => item.json.id)).toEqual([ID_A]);
	});
});

describe('Get Many when a refusal names the deleted token and carries nothing else', () => {
	// Falcon may refuse the whole details read for the one token deleted since the query: the others are read again.
	it.each([
		['in its id field', { code: 404, id: ID_B, message: `token not found: ${ID_B}` }],
		['only in its message', { code: 404, message: `installation token not found: ${ID_B}` }],
	])('lists the others, reading them again (the error names it %s)', async (_how, missing) => {
		nock(API)
			.get('/installation-tokens/queries/tokens/v1')
			.query(true)
			.reply(200, envelope([ID_A, ID_B, ID_C], { pagination: { offset: 0, limit: 50, total: 3 } }));
		const api = nock(API)
			.get(ENTITIES_PATH)
			.query({ ids: [ID_A, ID_B, ID_C] })
			.reply(404, { meta: { trace_id: 'trace-404' }, resources: [], errors: [missing] })
			.get(ENTITIES_PATH)
			.query({ ids: [ID_A, ID_C] })
			.reply(200, envelope([token(ID_A, null), token(ID_C, null)]));
		const items = await run({ resource: 'token', operation: 'getAll', returnAll: true });
		expect(api.isDone()).toBe(true);
		expect(items.map((item) => item.json.id)).toEqual([ID_A, ID_C]);
	});
});

describe('Get Many without filters', () => {
	it('sends no filter and no sort when none were added', async () => {
		const api = nock(API)
			.get('/installation-tokens/queries/tokens/v1')
			.query((query) => {
				expect(query).toEqual({ offset: '0', limit: '50' });
				return true;
			})
			.reply(200, envelope([], { pagination: { offset: 0, limit: 50, total: 0 } }));
		const items = await run({ resource: 'token', operation: 'getAll', filters: {}, options: {} });
		expect(api.isDone()).toBe(true);
		expect(items).toEqual([]);
	});
});

describe('Audit Event', () => {
	it('Get reads audit events by id', async () => {
		const api = nock(API)
			.get('/installation-tokens/entities/audit-events/v1')
			.query({ ids: [ID_A, ID_B] })
			.reply(200, envelope([{ id: ID_A, action: 'token_create' }, { id: ID_B, action: 'token_update' }]));
		const items = await run({ resource: 'auditEvent', operation: 'get', ids: `${ID_A},${ID_B}` });
		expect(api.isDone()).toBe(true);
		expect(items.map((item) => item.json.action)).toEqual(['token_create', 'token_update']);
	});

	it('Get Many filters by action and token, sorts, and returns details', async () => {
		const api = nock(API)
			.get('/installation-tokens/queries/audit-events/v1')
			.query({
				filter: `action:'token_create'+token_id:'${ID_B}'`,
				sort: 'timestamp.asc',
				offset: '0',
				limit: '5',
			})
			.reply(200, envelope([ID_A], { pagination: { offset: 0, limit: 5, total: 1 } }));
		const details = nock(API)
			.get('/installation-tokens/entities/audit-events/v1')
			.query({ ids: ID_A })
			.reply(200, envelope([{ id: ID_A, action: 'token_create', token_id: ID_B }]));
		const items = await run({
			resource: 'auditEvent',
			operation: 'getAll',
			limit: 5,
			filters: { action: 'token_create', auditedId: ID_B },
			options: { sort: 'timestamp.asc' },
		});
		expect(api.isDone() && details.isDone()).toBe(true);
		expect(items[0].json).toEqual({ id: ID_A, action: 'token_create', token_id: ID_B });
	});
});

describe('values from expressions', () => {
	it('the Token ID filter of several ids (a list, or text with spaces) becomes one FQL list, not a quoted string', async () => {
		const api = nock(API)
			.get('/installation-tokens/queries/audit-events/v1')
			.query({ filter: `token_id:['${ID_A}','${ID_B}']`, offset: '0', limit: '5' })
			.twice()
			.reply(200, envelope([], { pagination: { offset: 0, limit: 5, total: 0 } }));
		for (const auditedId of [`${ID_A}, ${ID_B.toUpperCase()}\n`, [ID_A, ID_B]]) {
			await run({ resource: 'auditEvent', operation: 'getAll', limit: 5, filters: { auditedId }, options: {} });
		}
		expect(api.isDone()).toBe(true);
	});

	it('Return All given as the text "false" reads only up to the Limit', async () => {
		const api = nock(API)
			.get('/installation-tokens/queries/tokens/v1')
			.query({ offset: '0', limit: '2' })
			.reply(200, envelope([ID_A, ID_B], { pagination: { offset: 0, limit: 2, total: 500 } }))
			.get(ENTITIES_PATH)
			.query({ ids: [ID_A, ID_B] })
			.reply(200, envelope([token(ID_A, null), token(ID_B, null)]));
		const items = await run({ resource: 'token', operation: 'getAll', returnAll: '={{ "false" }}', limit: 2, filters: {}, options: {} });
		expect(items).toHaveLength(2);
		expect(api.isDone()).toBe(true);
	});

});

describe('Settings', () => {
	it('Get returns the customer settings', async () => {
		const api = nock(API)
			.get('/installation-tokens/entities/customer-settings/v1')
			.reply(200, envelope([{ tokens_required: false, max_active_tokens: 3 }]));
		const items = await run({ resource: 'settings', operation: 'get' });
		expect(api.isDone()).toBe(true);
		expect(items[0].json).toEqual({ tokens_required: false, max_active_tokens: 3 });
	});

	it('Update sends tokens_required: false and max_active_tokens as a number', async () => {
		const api = nock(API)
			.patch('/installation-tokens/entities/customer-settings/v1', (body) => {
				expect(body).toEqual({ tokens_required: false, max_active_tokens: 25 });
				return true;
			})
			.reply(200, envelope([{ tokens_required: false, max_active_tokens: 25 }]));
		const items = await run({
			resource: 'settings',
			operation: 'update',
			updateFields: { tokensRequired: false, maxActiveTokens: 25 },
		});
		expect(api.isDone()).toBe(true);
		expect(items[0].json).toEqual({ tokens_required: false, max_active_tokens: 25 });
	});
});

describe('Items', () => {
	it('runs once per input item, with each result paired to its item', async () => {
		nock(API).get(ENTITIES_PATH).query({ ids: ID_A }).reply(200, envelope([token(ID_A, null)]));
		nock(API).get(ENTITIES_PATH).query({ ids: ID_B }).reply(200, envelope([token(ID_B, null)]));
		const items = await run({ resource: 'token', operation: 'get', ids: '={{ $json.id }}' }, [
			{ json: { id: ID_A } },
			{ json: { id: ID_B } },
		]);
		expect(items.map((item) => [item.json.id, item.pairedItem])).toEqual([
			[ID_A, { item: 0 }],
			[ID_B, { item: 1 }],
		]);
	});
});
