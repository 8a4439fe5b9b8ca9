import type { IDataObject } from 'n8n-workflow';

import { exampleWorkflows } from '../../scripts/runtime/n8n-instance';
import { useFalconN8n } from './harness/falcon-n8n-suite';
import { falconStep, manualWorkflow, workflowId, type WorkflowStep } from './harness/workflows';

// Every Installation Tokens operation, run by `n8n execute` inside a real n8n against the simulator; each result
// is compared with what the simulator's own API says afterwards.

const NODE = 'crowdStrikeFalconInstallationTokens';
const DAY_MS = 86_400_000;
const TOKENS = {
	query: '/installation-tokens/queries/tokens/v1',
	entities: '/installation-tokens/entities/tokens/v1',
};
const AUDIT = {
	query: '/installation-tokens/queries/audit-events/v1',
	entities: '/installation-tokens/entities/audit-events/v1',
};
const SETTINGS = '/installation-tokens/entities/customer-settings/v1';

interface Token {
	id: string;
	label: string;
	value: string;
	status: string;
	expires_timestamp: string | null;
}
interface AuditEvent {
	id: string;
	action: string;
	token_id: string;
}
interface Settings {
	max_active_tokens: number;
	tokens_required: boolean;
}

const runTag = Date.now().toString(36);
const createdLabel = `e2e created ${runTag}`;
const renamedLabel = `e2e renamed ${runTag}`;
// Whole seconds: Falcon timestamps carry no milliseconds.
const createdExpiry = new Date(Math.floor((Date.now() + 10 * DAY_MS) / 1000) * 1000).toISOString();

// Seeded simulator tokens the workflows act on, by label; ids are looked up before the workflows are imported.
const SEEDED = {
	renamed: 'Workstations EU',
	revoked: 'Production servers',
	deleted: 'Lab rollout 2024',
};
const ids = { renamed: '', revoked: '', deleted: '', created: '' };
let settingsBefore: Settings;
let expiryExampleId = '';

const step = (name: string, parameters: IDataObject, after?: string): WorkflowStep =>
	falconStep(suite, NODE, name, parameters, { after });

const suite = useFalconN8n('installation-tokens', {
	workflows: async (s) => {
		const seeded = await s.falcon.list<Token>(TOKENS.query, TOKENS.entities);
		for (const key of Object.keys(SEEDED) as Array<keyof typeof SEEDED>) {
			ids[key] = seeded.find((token) => token.label === SEEDED[key])!.id;
		}
		settingsBefore = (await s.falcon.get<Settings>(SETTINGS)).resources[0];
		const examples = exampleWorkflows(s.credential);
		expiryExampleId = examples.find(
			(workflow) => workflow.name === 'Installation token expiry report',
		)!.id!;
		return [
			manualWorkflow('tokens create', [
				step('Create', {
					resource: 'token',
					operation: 'create',
					label: createdLabel,
					expires: 'at',
					expiresAt: createdExpiry,
				}),
			]),
			manualWorkflow('tokens read', [
				step('Get Two', {
					resource: 'token',
					operation: 'get',
					ids: `${ids.renamed},${ids.revoked}`,
				}),
				step('Find Created', {
					resource: 'token',
					operation: 'getAll',
					returnAll: true,
					filters: { query: `label:'${createdLabel}'` },
				}),
				step('Valid', {
					resource: 'token',
					operation: 'getAll',
					returnAll: true,
					filters: { status: 'valid' },
				}),
				step('First Two By Label', {
					resource: 'token',
					operation: 'getAll',
					returnAll: false,
					limit: 2,
					options: { sort: 'label.asc' },
				}),
				step('Expiring Within 30 Days', {
					resource: 'token',
					operation: 'getAll',
					returnAll: true,
					filters: { expiringWithinDays: 30 },
				}),
				step('Create Events', {
					resource: 'auditEvent',
					operation: 'getAll',
					returnAll: true,
					filters: { action: 'token_create' },
				}),
				step('Latest Event', {
					resource: 'auditEvent',
					operation: 'getAll',
					returnAll: false,
					limit: 1,
					options: { sort: 'timestamp.desc' },
				}),
				step(
					'Event By Id',
					{ resource: 'auditEvent', operation: 'get', ids: '={{ $json.id }}' },
					'Latest Event',
				),
				step('Settings', { resource: 'settings', operation: 'get' }),
			]),
			manualWorkflow('tokens rename', [
				step('Rename', {
					resource: 'token',
					operation: 'update',
					ids: ids.renamed,
					updateFields: { label: renamedLabel },
				}),
			]),
			manualWorkflow('tokens revoke', [
				step('Revoke', {
					resource: 'token',
					operation: 'update',
					ids: ids.revoked,
					updateFields: { revoked: 'revoke' },
				}),
			]),
			manualWorkflow('tokens restore', [
				step('Restore', {
					resource: 'token',
					operation: 'update',
					ids: ids.revoked,
					updateFields: { revoked: 'restore' },
				}),
			]),
			manualWorkflow('tokens delete', [
				step('Delete', { resource: 'token', operation: 'delete', ids: ids.deleted }),
			]),
			manualWorkflow('tokens get deleted', [
				step('Get Deleted', { resource: 'token', operation: 'get', ids: ids.deleted }),
			]),
			manualWorkflow('settings update', [
				step('Update Settings', {
					resource: 'settings',
					operation: 'update',
					updateFields: {
						maxActiveTokens: settingsBefore.max_active_tokens + 7,
						tokensRequired: !settingsBefore.tokens_required,
					},
				}),
			]),
			...examples,
		];
	},
});

const tokensNow = async (query: Record<string, string> = {}) =>
	await suite.falcon.list<Token>(TOKENS.query, TOKENS.entities, query);
const tokenNow = async (id: string) =>
	(await suite.falcon.get<Token>(TOKENS.entities, { ids: [id] })).resources[0];
const idsOf = (items: Array<{ id?: unknown }>) => items.map((item) => String(item.id)).sort();
const wholeDaysLeft = (expires: string) => Math.floor((Date.parse(expires) - Date.now()) / DAY_MS);

/** days_left was computed when the workflow ran, a moment before this check. */
function expectDaysLeft(item: IDataObject, expires: string | null) {
	if (expires === null) return expect(item.days_left).toBeNull();
	expect([wholeDaysLeft(expires), wholeDaysLeft(expires) + 1]).toContain(item.days_left);
}

async function executeOk(id: string) {
	const run = await suite.execute(id);
	if (!run.succeeded)
		throw new Error(`workflow ${id} failed: ${run.error?.message} ${run.error?.description ?? ''}`);
	return run;
}

test('create returns the new token, which the simulator now holds', async () => {
	const [created] = (await executeOk(workflowId('tokens create'))).items('Create');
	expect(created).toMatchObject({ label: createdLabel, status: 'valid' });
	ids.created = created.id as string;
	const stored = await tokenNow(ids.created);
	expect(stored).toMatchObject({
		label: createdLabel,
		expires_timestamp: createdExpiry,
		value: created.value,
	});
	expectDaysLeft(created, stored.expires_timestamp);
});

describe('read operations, in one workflow', () => {
	let run: Awaited<ReturnType<typeof executeOk>>;
	beforeAll(async () => {
		run = await executeOk(workflowId('tokens read'));
	});

	test('get returns the requested tokens as stored, with days_left', async () => {
		const items = run.items('Get Two');
		expect(items.map((item) => item.id)).toEqual([ids.renamed, ids.revoked]);
		for (const item of items) {
			const stored = await tokenNow(item.id as string);
			expect(item).toMatchObject({
				label: stored.label,
				status: stored.status,
				value: stored.value,
			});
			expectDaysLeft(item, stored.expires_timestamp);
		}
	});

	test('get many finds the created token by FQL', () => {
		expect(idsOf(run.items('Find Created'))).toEqual([ids.created]);
	});

	test('get many by status matches the simulator', async () => {
		expect(idsOf(run.items('Valid'))).toEqual(idsOf(await tokensNow({ filter: "status:'valid'" })));
	});

	test('get many honours limit and sort', async () => {
		const expected = (await tokensNow({ sort: 'label.asc' }))
			.slice(0, 2)
			.map((token) => token.label);
		expect(run.items('First Two By Label').map((item) => item.label)).toEqual(expected);
	});

	test('get many "expiring within 30 days" returns exactly those tokens', async () => {
		const horizon = Date.now() + 30 * DAY_MS;
		const expected = (await tokensNow()).filter((token) => {
			const expires = token.expires_timestamp ? Date.parse(token.expires_timestamp) : NaN;
			return expires >= Date.now() && expires <= horizon;
		});
		expect(idsOf(run.items('Expiring Within 30 Days'))).toEqual(idsOf(expected));
		expect(expected.map((token) => token.id)).toContain(ids.created);
	});

	test('audit events list the create', async () => {
		const items = run.items('Create Events');
		const expected = await suite.falcon.list<AuditEvent>(AUDIT.query, AUDIT.entities, {
			filter: "action:'token_create'",
		});
		expect(idsOf(items)).toEqual(idsOf(expected));
		expect(items).toContainEqual(
			expect.objectContaining({ action: 'token_create', token_id: ids.created }),
		);
	});

	test('audit event get returns the event the previous node found', async () => {
		const [latest] = run.items('Latest Event');
		const [byId] = run.items('Event By Id');
		const stored = (
			await suite.falcon.get<AuditEvent>(AUDIT.entities, { ids: [latest.id as string] })
		).resources[0];
		expect(byId).toEqual(stored);
	});

	test('settings get returns the stored settings', async () => {
		expect(run.items('Settings')).toEqual([
			(await suite.falcon.get<Settings>(SETTINGS)).resources[0],
		]);
	});
});

test('update changes the label', async () => {
	const [updated] = (await executeOk(workflowId('tokens rename'))).items('Rename');
	expect(updated).toMatchObject({ id: ids.renamed, label: renamedLabel });
	expect((await tokenNow(ids.renamed)).label).toBe(renamedLabel);
});

test('update revokes, then restores', async () => {
	const [revoked] = (await executeOk(workflowId('tokens revoke'))).items('Revoke');
	expect(revoked).toMatchObject({ id: ids.revoked, status: 'revoked' });
	expect((await tokenNow(ids.revoked)).status).toBe('revoked');

	const [restored] = (await executeOk(workflowId('tokens restore'))).items('Restore');
	expect(restored).toMatchObject({ id: ids.revoked, status: 'valid' });
	expect((await tokenNow(ids.revoked)).status).toBe('valid');
	const trail = await suite.falcon.list<AuditEvent>(AUDIT.query, AUDIT.entities, {
		filter: `token_id:'${ids.revoked}'`,
		sort: 'timestamp.asc',
	});
	expect(trail.map((event) => event.action).slice(-2)).toEqual(['token_revoke', 'token_restore']);
});

test('delete removes the token; a later get fails naming the missing ID, with Falcon\'s trace id', async () => {
	expect((await executeOk(workflowId('tokens delete'))).items('Delete')).toEqual([
		expect.objectContaining({ id: ids.deleted, deleted: true }),
	]);
	const lookup = await suite.falcon.get<Token>(TOKENS.entities, { ids: [ids.deleted] });
	expect(lookup.resources).toEqual([]);

	const run = await suite.execute(workflowId('tokens get deleted'));
	expect(run.succeeded).toBe(false);
	expect(lookup.errors[0].message).toContain(ids.deleted);
	expect(run.error?.message).toBe(`1 of 1 token IDs not found: ${ids.deleted}`);
	expect(run.error?.description).toMatch(/trace_id: \S+/);
});

test('settings update is stored', async () => {
	const [updated] = (await executeOk(workflowId('settings update'))).items('Update Settings');
	const expected = {
		max_active_tokens: settingsBefore.max_active_tokens + 7,
		tokens_required: !settingsBefore.tokens_required,
	};
	expect(updated).toMatchObject(expected);
	expect((await suite.falcon.get<Settings>(SETTINGS)).resources[0]).toEqual(expected);
});

test('the token expiry example sorts expiring tokens into "rotate now" and "plan rotation"', async () => {
	const run = await executeOk(expiryExampleId);
	const horizon = Date.now() + 30 * DAY_MS;
	const expiring = (await tokensNow({ filter: "status:'valid'" })).filter(
		(token) => token.expires_timestamp && Date.parse(token.expires_timestamp) <= horizon,
	);
	const soon = expiring.filter((token) => wholeDaysLeft(token.expires_timestamp!) <= 7);
	const later = expiring.filter((token) => !soon.includes(token));
	expect(soon.length).toBeGreaterThan(0);
	expect(later.length).toBeGreaterThan(0);
	const tokenIds = (items: IDataObject[]) => items.map((item) => item.token_id).sort();
	expect(tokenIds(run.items('Rotate Now'))).toEqual(soon.map((token) => token.id).sort());
	expect(tokenIds(run.items('Plan Rotation'))).toEqual(later.map((token) => token.id).sort());
	for (const item of run.items('Rotate Now')) expect(item.message).toContain('expires in');
});
