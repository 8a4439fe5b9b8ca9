import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { CrowdStrikeFalconAlerts } from '../../../nodes/CrowdStrikeFalcon/Alerts/CrowdStrikeFalconAlerts.node';
import { envelope } from '../../harness/falcon';
import { AID, ALERT_1, ALERT_2, ALERT_3, alertRecord, ALERTS, falcon, json, meta, run } from './helpers';

/** A PostCombinedAlertsV1 page: full alerts, and the next page's token unless this is the last. */
const combinedPage = (alerts: IDataObject[], total: number, after?: string) => ({
	meta: meta({ pagination: { limit: alerts.length, total, ...(after ? { after } : {}) } }),
	resources: alerts,
	errors: [],
});

describe('Alert > Get (PostEntitiesAlertsV2)', () => {
	it('posts composite_ids in the body, each once, and returns one item per alert', async () => {
		const alerts = [alertRecord(ALERT_1), alertRecord(ALERT_3, { product: 'ods' })];
		const api = falcon().post(ALERTS.entities, { composite_ids: [ALERT_1, ALERT_3] }).reply(200, envelope(alerts));
		const result = await run({ resource: 'alert', operation: 'get', compositeIds: ` ${ALERT_1}, ${ALERT_3}\n${ALERT_1} ` });
		expect(result.error).toBeUndefined();
		expect(result.items).toEqual([
			{ json: alerts[0], pairedItem: { item: 0 } },
			{ json: alerts[1], pairedItem: { item: 0 } },
		]);
		expect(api.isDone()).toBe(true);
	});

	it('takes composite IDs whose kind holds a hyphen (an automated lead)', async () => {
		const lead = `${ALERT_1.split(':')[0]}:automated-lead:${ALERT_1.split(':')[0]}:abc123`;
		const api = falcon().post(ALERTS.entities, { composite_ids: [lead] }).reply(200, envelope([alertRecord(lead)]));
		const result = await run({ resource: 'alert', operation: 'get', compositeIds: lead });
		expect(result.error).toBeUndefined();
		expect(json(result.items)).toEqual([alertRecord(lead)]);
		expect(api.isDone()).toBe(true);
	});

	it('reads the CompositeId of a detection event through an expression, one request per item', async () => {
		const api = falcon()
			.post(ALERTS.entities, { composite_ids: [ALERT_1] })
			.reply(200, envelope([alertRecord(ALERT_1)]))
			.post(ALERTS.entities, { composite_ids: [ALERT_2, ALERT_3] })
			.reply(200, envelope([alertRecord(ALERT_2), alertRecord(ALERT_3)]));
		const result = await run(
			{ resource: 'alert', operation: 'get', compositeIds: '={{ $json.event.CompositeId }}' },
			{ input: [{ json: { event: { CompositeId: ALERT_1 } } }, { json: { event: { CompositeId: [ALERT_2, ALERT_3] } } }] },
		);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => [item.json.composite_id, item.pairedItem])).toEqual([
			[ALERT_1, { item: 0 }],
			[ALERT_2, { item: 1 }],
			[ALERT_3, { item: 1 }],
		]);
		expect(api.isDone()).toBe(true);
	});
});

describe('Alert > Get Many (PostCombinedAlertsV1, paged by its after token)', () => {
	it('without filters: one POST with the Limit in the body, full alerts back', async () => {
		const alerts = [alertRecord(ALERT_1), alertRecord(ALERT_2)];
		const api = falcon().post(ALERTS.combined, { limit: 50 }).reply(200, combinedPage(alerts, 2));
		const result = await run({ resource: 'alert', operation: 'getAll', filters: {}, options: {} });
		expect(result.error).toBeUndefined();
		expect(result.items).toEqual([
			{ json: alerts[0], pairedItem: { item: 0 } },
			{ json: alerts[1], pairedItem: { item: 0 } },
		]);
		expect(api.isDone()).toBe(true);
	});

	it.each([
		['status', { status: 'in_progress' }, "status:'in_progress'"],
		['one severity name', { severityNames: ['Critical'] }, "severity_name:['Critical']"],
		['several severity names', { severityNames: ['Critical', 'High'] }, "severity_name:['Critical','High']"],
		['minimum severity', { minSeverity: 70 }, 'severity:>=70'],
		['product', { product: 'idp' }, "product:'idp'"],
		['product Next-Gen SIEM, apart from Falcon XDR', { product: 'ngsiem' }, "product:'ngsiem'"],
		['host ID', { hostId: AID }, `agent_id:'${AID}'`],
		['hostname, matched whole', { hostname: 'WKS-100' }, "device.hostname:['WKS-100']"],
		['several hostnames, any of them', { hostname: 'WKS-100, web-02' }, "device.hostname:['WKS-100','web-02']"],
		['created after', { createdAfter: '2026-11-01T08:30:00.000Z' }, "created_timestamp:>='2026-11-01T08:30:00Z'"],
		['created after, with an offset', { createdAfter: '2026-11-01T10:30:00+02:00' }, "created_timestamp:>='2026-11-01T08:30:00Z'"],
		['FQL (parenthesised)', { query: "tactic:'Credential Access'" }, "(tactic:'Credential Access')"],
	])('filter by %s', async (_, filters, filter) => {
		const api = falcon()
			.post(ALERTS.combined, { filter, limit: 5 })
			.reply(200, combinedPage([alertRecord(ALERT_1)], 1));
		const result = await run({ resource: 'alert', operation: 'getAll', limit: 5, filters, options: {} });
		expect(result.error).toBeUndefined();
		expect(json(result.items)).toEqual([alertRecord(ALERT_1)]);
		expect(api.isDone()).toBe(true);
	});

	// n8n's date picker stores a wall-clock time without a zone; n8n's own nodes read it in the workflow's time zone.
	it.each([
		['the workflow time zone (Asia/Tokyo)', 'Asia/Tokyo', "created_timestamp:>='2026-10-31T23:30:00Z'"],
		// 08:30 on 2026-11-01 is after that morning's change from summer time: UTC-5, not UTC-4.
		["n8n's default zone when the workflow sets none (America/New_York)", undefined, "created_timestamp:>='2026-11-01T13:30:00Z'"],
		['UTC when the workflow says UTC', 'UTC', "created_timestamp:>='2026-11-01T08:30:00Z'"],
	])('reads Created After without a zone in %s', async (_, timezone, filter) => {
		const api = falcon().post(ALERTS.combined, { filter, limit: 5 }).reply(200, combinedPage([], 0));
		const parameters = { resource: 'alert', operation: 'getAll', limit: 5, filters: { createdAfter: '2026-11-01T08:30:00' }, options: {} };
		const result = await run(parameters, { timezone });
		expect(result.error).toBeUndefined();
		expect(api.isDone()).toBe(true);
	});

	it('Created After keeps only alerts after the very instant given: FQL compares whole seconds', async () => {
		// A poll that takes Created After from the newest alert it saw: that alert, and others of its second before it,
		// match the FQL and are left out; one nanoseconds later is kept. They do not count towards the Limit.
		const mark = '2026-11-01T08:30:23.902123456Z';
		const created = (timestamp: string, n: number) => alertRecord(`${ALERT_1}-${n}`, { created_timestamp: timestamp });
		const api = falcon()
			.post(ALERTS.combined, { filter: "created_timestamp:>='2026-11-01T08:30:23Z'", sort: 'created_timestamp|asc', limit: 2 })
			.reply(
				200,
				combinedPage([created('2026-11-01T08:30:23.500000000Z', 1), created(mark, 2)], 4, 'token-1'),
			)
			.post(ALERTS.combined, { filter: "created_timestamp:>='2026-11-01T08:30:23Z'", sort: 'created_timestamp|asc', limit: 2, after: 'token-1' })
			.reply(200, combinedPage([created('2026-11-01T08:30:23.902123457Z', 3), created('2026-11-01T08:30:24Z', 4)], 4));
		const result = await run({
			resource: 'alert',
			operation: 'getAll',
			limit: 2,
			filters: { createdAfter: mark },
			options: { sort: 'created_timestamp|asc' },
		});
		expect(result.error).toBeUndefined();
		expect(json(result.items).map((alert) => alert.composite_id)).toEqual([`${ALERT_1}-3`, `${ALERT_1}-4`]);
		expect(api.isDone()).toBe(true);
	});

	// An option added but empty is refused instead (see badInput): left out, it would widen the search.
	it("Minimum Severity starts at Falcon's High (60; High is 60-79, Critical 80-100)", () => {
		const filters = new CrowdStrikeFalconAlerts().description.properties.find((property) => property.name === 'filters');
		const minimum = filters?.options?.find((option) => 'name' in option && option.name === 'minSeverity') as INodeProperties;
		expect(minimum.default).toBe(60);
		expect(minimum.description).toContain('60-79 High, 80-100 Critical');
	});

	it('no filter added sends no filter', async () => {
		const api = falcon().post(ALERTS.combined, { limit: 5 }).reply(200, combinedPage([], 0));
		const result = await run({ resource: 'alert', operation: 'getAll', limit: 5, filters: {}, options: {} });
		expect(result.error).toBeUndefined();
		expect(result.items).toEqual([]);
		expect(api.isDone()).toBe(true);
	});

	it('joins every filter with + and sends the sort with a pipe, in the body', async () => {
		const filter = [
			"status:'new'",
			"severity_name:['High','Critical']",
			'severity:>=50',
			"product:'epp'",
			`agent_id:'${AID}'`,
			"device.hostname:['WKS-100']",
			"created_timestamp:>='2026-11-01T00:00:00Z'",
			"(tactic:'Credential Access')",
		].join('+');
		// Return All reads in creation order, which no update changes, and puts the alerts in the order asked for.
		const api = falcon()
			.post(ALERTS.combined, { filter, sort: 'created_timestamp|desc', limit: 1000 })
			.reply(200, combinedPage([alertRecord(ALERT_1, { severity: 50 }), alertRecord(ALERT_2, { severity: 90 })], 2));
		const result = await run({
			resource: 'alert',
			operation: 'getAll',
			returnAll: true,
			filters: {
				query: "tactic:'Credential Access'",
				createdAfter: '2026-11-01T00:00:00Z',
				hostname: 'WKS-100',
				hostId: AID,
				product: 'epp',
				minSeverity: 50,
				severityNames: ['High', 'Critical'],
				status: 'new',
			},
			options: { sort: 'severity|desc' },
		});
		expect(result.error).toBeUndefined();
		expect(json(result.items).map((alert) => alert.composite_id)).toEqual([ALERT_2, ALERT_1]);
		expect(api.isDone()).toBe(true);
	});

	it('a Host ID filter is trimmed and lower-cased, as every other host ID field', async () => {
		const api = falcon()
			.post(ALERTS.combined, { filter: `agent_id:'${AID}'`, limit: 5 })
			.reply(200, combinedPage([], 0));
		const result = await run({ resource: 'alert', operation: 'getAll', limit: 5, filters: { hostId: ` ${AID.toUpperCase()} ` }, options: {} });
		expect(result.error).toBeUndefined();
		expect(api.isDone()).toBe(true);
	});

	it('Return All follows each after token, past the 10,000 results an offset query reaches, until a page has none', async () => {
		const pageCount = 12;
		const pages = Array.from({ length: pageCount }, (_, page) =>
			falcon()
				.post(ALERTS.combined, { limit: 1000, sort: 'created_timestamp|desc', ...(page === 0 ? {} : { after: `token-${page}` }) })
				.reply(
					200,
					combinedPage(
						Array.from({ length: page === pageCount - 1 ? 7 : 1000 }, (_, index) => alertRecord(`${ALERT_1}-${page}-${index}`)),
						11_007,
						page === pageCount - 1 ? undefined : `token-${page + 1}`,
					),
				),
		);
		const result = await run({ resource: 'alert', operation: 'getAll', returnAll: true, filters: {}, options: {} });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(11_007);
		expect(result.items[10_000].json.composite_id).toBe(`${ALERT_1}-10-0`);
		expect(pages.every((page) => page.isDone())).toBe(true);
	});

	it('a Limit asks each page for only what is still missing, and stops there', async () => {
		const api = falcon()
			.post(ALERTS.combined, { limit: 1000 })
			.reply(200, combinedPage(Array.from({ length: 1000 }, (_, index) => alertRecord(`${ALERT_1}-${index}`)), 5000, 'token-1'))
			.post(ALERTS.combined, { limit: 500, after: 'token-1' })
			.reply(200, combinedPage(Array.from({ length: 500 }, (_, index) => alertRecord(`${ALERT_2}-${index}`)), 5000, 'token-2'));
		const result = await run({ resource: 'alert', operation: 'getAll', limit: 1500, filters: {}, options: {} });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1500);
		expect(api.isDone()).toBe(true);
	});
});

describe('Alert > Update (PatchEntitiesAlertsV3)', () => {
	const noErrors = { meta: meta({ writes: { resources_affected: 2 } }), errors: [] };

	it('sends every change as action_parameters in one PATCH, and returns one item per alert', async () => {
		const actions = [
			{ name: 'update_status', value: 'closed' },
			{ name: 'assign_to_uuid', value: '1c5c4a4e-8f6b-4f2a-9a53-0d1f1f4e2b7a' },
			{ name: 'remove_tag', value: 'triage' },
			{ name: 'add_tag', value: 'false_positive' },
			{ name: 'add_tag', value: 'reviewed/n8n' },
			{ name: 'append_comment', value: 'Closed by n8n: hash is on the allow list' },
			{ name: 'show_in_ui', value: 'false' },
		];
		const api = falcon()
			.patch(ALERTS.update, { composite_ids: [ALERT_1, ALERT_2], action_parameters: actions })
			.reply(200, noErrors);
		const result = await run({
			resource: 'alert',
			operation: 'update',
			compositeIds: `${ALERT_1},${ALERT_2},${ALERT_1}`,
			updateFields: {
				showInUi: 'false',
				comment: 'Closed by n8n: hash is on the allow list',
				addTags: 'false_positive, reviewed/n8n, false_positive',
				removeTags: 'triage',
				assignToUuid: ' 1c5c4a4e-8f6b-4f2a-9a53-0d1f1f4e2b7a ',
				status: 'closed',
			},
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toEqual([
			{ json: { composite_id: ALERT_1, updated: true, actions }, pairedItem: { item: 0 } },
			{ json: { composite_id: ALERT_2, updated: true, actions }, pairedItem: { item: 0 } },
		]);
		expect(api.isDone()).toBe(true);
	});

	it('Show in Console set by an expression to the boolean false hides the alert, alone or with other changes', async () => {
		const hide = { name: 'show_in_ui', value: 'false' };
		const hideOnly = falcon().patch(ALERTS.update, { composite_ids: [ALERT_3], action_parameters: [hide] }).reply(200, noErrors);
		const alone = await run({ resource: 'alert', operation: 'update', compositeIds: ALERT_3, updateFields: { showInUi: '={{ false }}' } });
		expect(alone.error).toBeUndefined();
		expect(hideOnly.isDone()).toBe(true);
		const api = falcon()
			.patch(ALERTS.update, { composite_ids: [ALERT_3], action_parameters: [{ name: 'update_status', value: 'closed' }, hide] })
			.reply(200, noErrors);
		const withStatus = await run({
			resource: 'alert',
			operation: 'update',
			compositeIds: ALERT_3,
			updateFields: { status: 'closed', showInUi: '={{ 1 > 2 }}' },
		});
		expect(withStatus.error).toBeUndefined();
		expect(api.isDone()).toBe(true);
	});

	it('Unassign clears the assignee (value ignored by Falcon, sent empty)', async () => {
		const api = falcon()
			.patch(ALERTS.update, { composite_ids: [ALERT_3], action_parameters: [{ name: 'unassign', value: '' }] })
			.reply(200, noErrors);
		const result = await run({ resource: 'alert', operation: 'update', compositeIds: ALERT_3, updateFields: { unassign: true } });
		expect(result.error).toBeUndefined();
		expect(json(result.items)).toEqual([{ composite_id: ALERT_3, updated: true, actions: [{ name: 'unassign', value: '' }] }]);
		expect(api.isDone()).toBe(true);
	});

	it('assigns by user ID (trimmed) and by name (as typed)', async () => {
		const actions = [
			{ name: 'update_status', value: 'in_progress' },
			{ name: 'assign_to_user_id', value: 'analyst@example.com' },
			{ name: 'assign_to_name', value: 'Ada Analyst' },
		];
		const api = falcon().patch(ALERTS.update, { composite_ids: [ALERT_1], action_parameters: actions }).reply(200, noErrors);
		const result = await run({
			resource: 'alert',
			operation: 'update',
			compositeIds: ALERT_1,
			updateFields: { assignToName: 'Ada Analyst', assignToUserId: ' analyst@example.com ', status: 'in_progress' },
		});
		expect(result.error).toBeUndefined();
		expect(api.isDone()).toBe(true);
	});

	it('one PATCH per input item, each with its own alerts and changes', async () => {
		const api = falcon()
			.patch(ALERTS.update, { composite_ids: [ALERT_1], action_parameters: [{ name: 'update_status', value: 'closed' }] })
			.reply(200, noErrors)
			.patch(ALERTS.update, { composite_ids: [ALERT_2], action_parameters: [{ name: 'update_status', value: 'reopened' }] })
			.reply(200, noErrors);
		const result = await run(
			{ resource: 'alert', operation: 'update', compositeIds: '={{ $json.id }}', updateFields: { status: '={{ $json.status }}' } },
			{ input: [{ json: { id: ALERT_1, status: 'closed' } }, { json: { id: ALERT_2, status: 'reopened' } }] },
		);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => [item.json.composite_id, item.pairedItem])).toEqual([
			[ALERT_1, { item: 0 }],
			[ALERT_2, { item: 1 }],
		]);
		expect(api.isDone()).toBe(true);
	});

	it('fails at the second item saying the first item\'s comment is already written: running again appends it twice', async () => {
		const api = falcon()
			.patch(ALERTS.update, { composite_ids: [ALERT_1], action_parameters: [{ name: 'append_comment', value: 'seen' }] })
			.reply(200, noErrors)
			.patch(ALERTS.update, { composite_ids: [ALERT_2], action_parameters: [{ name: 'append_comment', value: 'seen' }] })
			.reply(403, { meta: meta(), resources: [], errors: [{ code: 403, message: 'access denied, authorization failed' }] });
		const result = await run(
			{ resource: 'alert', operation: 'update', compositeIds: '={{ $json.id }}', updateFields: { comment: 'seen' } },
			{ input: [{ json: { id: ALERT_1 } }, { json: { id: ALERT_2 } }] },
		);
		expect(result.error?.description).toContain(
			'Earlier items of this run already acted (1 output item, lost with this error): running the execution again acts on them again.',
		);
		expect(api.isDone()).toBe(true);
	});

	it('an update sent again without an unknown alert and refused again naming none fails: nothing was updated', async () => {
		const comment = [{ name: 'append_comment', value: 'seen' }];
		const api = falcon()
			.patch(ALERTS.update, { composite_ids: [ALERT_1, ALERT_2], action_parameters: comment })
			.reply(400, { meta: meta({ trace_id: 't1' }), resources: [], errors: [{ code: 400, message: `alert ${ALERT_2} not found` }] })
			.patch(ALERTS.update, { composite_ids: [ALERT_1], action_parameters: comment })
			.reply(404, { meta: meta({ trace_id: 't2' }), resources: [], errors: [{ code: 404, message: 'Not Found' }] });
		const result = await run({ resource: 'alert', operation: 'update', compositeIds: `${ALERT_1},${ALERT_2}`, updateFields: { comment: 'seen' } });
		expect(result.error?.message).toBe('Falcon API error 404: Not Found');
		expect(result.items).toEqual([]);
		expect(api.isDone()).toBe(true);
	});

	it('an error naming one alert marks only that alert not updated, with its own error', async () => {
		const errors = [{ code: 404, id: ALERT_2, message: 'alert not found' }];
		const api = falcon()
			.patch(ALERTS.update, { composite_ids: [ALERT_1, ALERT_2], action_parameters: [{ name: 'append_comment', value: 'seen' }] })
			.reply(200, { meta: meta(), errors });
		const result = await run({ resource: 'alert', operation: 'update', compositeIds: [ALERT_1, ALERT_2].join(','), updateFields: { comment: 'seen' } });
		expect(result.error).toBeUndefined();
		expect(json(result.items)).toEqual([
			{ composite_id: ALERT_1, updated: true, actions: [{ name: 'append_comment', value: 'seen' }] },
			{ composite_id: ALERT_2, updated: false, actions: [{ name: 'append_comment', value: 'seen' }], errors, trace_id: 'trace-ok' },
		]);
		expect(api.isDone()).toBe(true);
	});

	it('errors in a 200 answer that name no alert mark every alert not updated and are passed on', async () => {
		const errors = [{ code: 500, message: 'could not apply the change' }];
		const api = falcon()
			.patch(ALERTS.update, { composite_ids: [ALERT_1, ALERT_2], action_parameters: [{ name: 'append_comment', value: 'seen' }] })
			.reply(200, { meta: meta(), errors });
		const result = await run({ resource: 'alert', operation: 'update', compositeIds: [ALERT_1, ALERT_2].join(','), updateFields: { comment: 'seen' } });
		expect(result.error).toBeUndefined();
		expect(json(result.items)).toEqual([
			{ composite_id: ALERT_1, updated: false, actions: [{ name: 'append_comment', value: 'seen' }], errors, trace_id: 'trace-ok' },
			{ composite_id: ALERT_2, updated: false, actions: [{ name: 'append_comment', value: 'seen' }], errors, trace_id: 'trace-ok' },
		]);
		expect(api.isDone()).toBe(true);
	});

	it('an ID in a message is matched whole: the error of an alert is not also charged to one whose ID starts the same', async () => {
		const longer = `${ALERT_1}0`;
		const errors = [{ code: 404, message: `alert ${longer} not found` }];
		const api = falcon()
			.patch(ALERTS.update, { composite_ids: [ALERT_1, longer], action_parameters: [{ name: 'append_comment', value: 'seen' }] })
			.reply(200, { meta: meta(), errors });
		const result = await run({ resource: 'alert', operation: 'update', compositeIds: [ALERT_1, longer].join(','), updateFields: { comment: 'seen' } });
		expect(json(result.items)).toEqual([
			{ composite_id: ALERT_1, updated: true, actions: [{ name: 'append_comment', value: 'seen' }] },
			{ composite_id: longer, updated: false, actions: [{ name: 'append_comment', value: 'seen' }], errors, trace_id: 'trace-ok' },
		]);
		expect(api.isDone()).toBe(true);
	});

	it('an error whose id field names none of the alerts sent may concern any of them: none is reported updated', async () => {
		const errors = [{ code: 400, id: 'request', message: 'action_parameters: could not apply the change' }];
		const api = falcon()
			.patch(ALERTS.update, { composite_ids: [ALERT_1, ALERT_2], action_parameters: [{ name: 'append_comment', value: 'seen' }] })
			.reply(200, { meta: meta(), errors });
		const result = await run({ resource: 'alert', operation: 'update', compositeIds: [ALERT_1, ALERT_2].join(','), updateFields: { comment: 'seen' } });
		expect(json(result.items).map((item) => item.updated)).toEqual([false, false]);
		expect(json(result.items)[0].errors).toEqual(errors);
		expect(api.isDone()).toBe(true);
	});

	it('an error in a 200 answer that names an alert only in its message is that alert\'s alone', async () => {
		const errors = [{ code: 404, message: `alert ${ALERT_2} not found` }];
		const api = falcon()
			.patch(ALERTS.update, { composite_ids: [ALERT_1, ALERT_2], action_parameters: [{ name: 'append_comment', value: 'seen' }] })
			.reply(200, { meta: meta(), errors });
		const result = await run({ resource: 'alert', operation: 'update', compositeIds: [ALERT_1, ALERT_2].join(','), updateFields: { comment: 'seen' } });
		expect(json(result.items)).toEqual([
			{ composite_id: ALERT_1, updated: true, actions: [{ name: 'append_comment', value: 'seen' }] },
			{ composite_id: ALERT_2, updated: false, actions: [{ name: 'append_comment', value: 'seen' }], errors, trace_id: 'trace-ok' },
		]);
		expect(api.isDone()).toBe(true);
	});
});
