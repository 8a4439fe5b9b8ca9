import { ApiError, bodyObject, optionalStringArray, type ApiRequest } from '../request';
import { envelope, metaOnly, type ErrorEntry, type Reply } from '../envelope';
import { compileFilter, compileSort, queryCollection, type FieldSchema, type FilterOptions } from '../fql';
import type { Route } from '../router';
import { AfterCursors } from './afterCursors';
import type { StreamEvent } from '../events';
import { AlertStore, copyAlert, type AlertSummary } from './store';
import type { Alert } from './fromEvent';
import { applyAlertActions, parseAlertActions } from './patch';

const POWERED_BY = 'detectsapi';
/** The query reaches only its first 10,000 results (offset + limit beyond them is refused). */
const MAX_RESULTS = 10_000;
/** PostCombinedAlertsV1 returns at most this many alerts per page. */
const COMBINED_MAX_LIMIT = 1000;

const ALERT_SCHEMA: FieldSchema = {
	composite_id: 'string',
	id: 'string',
	aggregate_id: 'string',
	agent_id: 'string',
	cid: 'string',
	status: 'string',
	severity: 'number',
	severity_name: 'string',
	confidence: 'number',
	tactic: 'string',
	tactic_id: 'string',
	technique: 'string',
	technique_id: 'string',
	objective: 'string',
	name: 'string',
	display_name: 'string',
	description: 'string',
	product: 'string',
	type: 'string',
	platform: 'string',
	show_in_ui: 'boolean',
	tags: 'string',
	created_timestamp: 'date',
	updated_timestamp: 'date',
	timestamp: 'date',
	assigned_to_name: 'string',
	assigned_to_uid: 'string',
	assigned_to_uuid: 'string',
	filename: 'string',
	filepath: 'string',
	cmdline: 'string',
	sha256: 'string',
	user_name: 'string',
	'device.device_id': 'string',
	'device.hostname': 'string',
	'device.local_ip': 'string',
	'device.external_ip': 'string',
	'device.platform_name': 'string',
	'device.product_type_desc': 'string',
	'device.tags': 'string',
};

/** Wildcards in equality values; a quoted hostname is matched as a prefix, one in brackets whole. */
const ALERT_FILTERING: FilterOptions = { equalityWildcards: true, prefixFields: ['device.hostname'] };

/** Fields the free-text `q` parameter searches (case-insensitive substring). */
const Q_FIELDS = (a: Alert): unknown[] => [
	a.composite_id,
	a.agent_id,
	a.name,
	a.display_name,
	a.description,
	a.tactic,
	a.technique,
	a.severity_name,
	a.filename,
	a.cmdline,
	a.user_name,
	a.device.hostname,
	...a.tags,
];

function compositeIds(req: ApiRequest): string[] {
	const ids = optionalStringArray(bodyObject(req), 'composite_ids');
	if (!ids || ids.length === 0) throw new ApiError(400, "'composite_ids' is required: a non-empty array of strings");
	return [...new Set(ids)];
}

/** The Alerts API (alerts:read / alerts:write); alerts are raised by the detection events the simulator emits. */
export class AlertsApi {
	private readonly store: AlertStore;
	private readonly cursors: AfterCursors<Alert>;

	constructor(seed: number, cid: string, device: (aid: string) => Record<string, unknown> | undefined, maxAlerts: number) {
		this.store = new AlertStore(cid, device, maxAlerts);
		this.cursors = new AfterCursors(seed, 'alerts-after');
	}

	/** Subscribe this to the EventStore before anything else, so a filled-in CompositeId reaches the feeds. */
	onEvent(partition: number, event: StreamEvent): void {
		this.store.onEvent(partition, event);
	}

	reset(): void {
		this.store.reset();
		this.cursors.reset();
	}

	state(): AlertSummary[] {
		return this.store.summary();
	}

	/** GetQueriesAlertsV2. Without `sort`, newest first. `include_hidden=false` leaves out `show_in_ui: false` alerts. */
	private query(req: ApiRequest): Reply {
		const offset = Number(req.query.get('offset') ?? 0);
		const limit = Number(req.query.get('limit') ?? 100);
		if (offset + limit > MAX_RESULTS) {
			throw new ApiError(400, `offset ${offset} and limit ${limit} are invalid; offset + limit must be less than or equal to ${MAX_RESULTS}`);
		}
		let items = this.store.all();
		if (req.query.get('include_hidden') === 'false') items = items.filter((a) => a.show_in_ui);
		const q = (req.query.get('q') ?? '').trim().toLowerCase();
		if (q) items = items.filter((a) => Q_FIELDS(a).some((v) => typeof v === 'string' && v.toLowerCase().includes(q)));
		if (!req.query.get('sort')) items.reverse();
		const { page, pagination } = queryCollection(items, req.query, {
			schema: ALERT_SCHEMA,
			defaultLimit: 100,
			maxLimit: 10_000,
			minLimit: 0,
			...ALERT_FILTERING,
		});
		return envelope(req, 200, page.map((a) => a.composite_id), { pagination, poweredBy: POWERED_BY });
	}

	/**
	 * PostCombinedAlertsV1: full alerts, `limit` 1..1000 per page (default 100), `filter` and `sort` in the body as
	 * the query takes them. No 10,000 ceiling: the next page's token is `meta.pagination.after`, absent on the last.
	 */
	private combined(req: ApiRequest): Reply {
		const body = bodyObject(req);
		const limit = body.limit === undefined ? 100 : Number(body.limit);
		if (!Number.isInteger(limit) || limit < 1 || limit > COMBINED_MAX_LIMIT) {
			throw new ApiError(400, `limit must be an integer between 1 and ${COMBINED_MAX_LIMIT}, got '${String(body.limit)}'`);
		}
		const text = (name: string): string | null => {
			const value = body[name];
			if (value === undefined || value === null || value === '') return null;
			if (typeof value !== 'string') throw new ApiError(400, `'${name}' must be a string`);
			return value;
		};
		const predicate = compileFilter(text('filter'), ALERT_SCHEMA, {}, ALERT_FILTERING);
		const comparator = compileSort<Alert>(text('sort'), ALERT_SCHEMA);
		const all = this.store.all();
		const arrival = new Map(all.map((alert, index) => [alert.composite_id, index]));
		// Newest first without a sort, and among equals; an alert no longer stored counts as the oldest.
		const newerFirst = (a: Alert, b: Alert) => (arrival.get(b.composite_id) ?? -1) - (arrival.get(a.composite_id) ?? -1);
		const order = (a: Alert, b: Alert) => (comparator?.(a, b) ?? 0) || newerFirst(a, b);
		const matched = all.filter((a) => predicate(a as unknown as Record<string, unknown>)).sort(order);
		const { page, next, total } = this.cursors.page(text('after'), limit, matched, order, copyAlert);
		return envelope(req, 200, page.map(copyAlert), {
			pagination: { limit, total, ...(next ? { after: next } : {}) },
			poweredBy: POWERED_BY,
		});
	}

	/** PostEntitiesAlertsV2: found alerts (200), unknown ids as 404 entries, 404 when none was found. */
	private entities(req: ApiRequest): Reply {
		const ids = compositeIds(req);
		const found = ids.map((id) => this.store.find(id)).filter((a): a is Alert => a !== undefined);
		const errors: ErrorEntry[] = ids
			.filter((id) => !this.store.find(id))
			.map((id) => ({ code: 404, id, message: `alert not found: ${id}` }));
		return envelope(req, found.length > 0 ? 200 : 404, found.map(copyAlert), { errors, poweredBy: POWERED_BY });
	}

	/**
	 * PatchEntitiesAlertsV3: all or nothing. A bad action or value, or any unknown composite id (one
	 * `{code: 400, id, message}` entry each; 404 is not a documented status of this operation) → 400 and nothing changes.
	 */
	private patch(req: ApiRequest): Reply {
		const ids = compositeIds(req);
		const actions = parseAlertActions(bodyObject(req).action_parameters);
		const missing = ids.filter((id) => !this.store.find(id));
		if (missing.length > 0) {
			const errors = missing.map((id) => ({ code: 400, id, message: `alert not found: ${id}` }));
			throw new ApiError(400, errors[0].message, 400, errors);
		}
		const now = Date.now();
		for (const id of ids) applyAlertActions(this.store.find(id) as Alert, actions, now);
		return metaOnly(req, 200, [], { poweredBy: POWERED_BY });
	}

	routes(): Route[] {
		const route = (method: string, path: string, handler: (req: ApiRequest) => Reply): Route => ({ method, path, auth: 'bearer', handler });
		return [
			route('GET', '/alerts/queries/alerts/v2', (req) => this.query(req)),
			route('POST', '/alerts/entities/alerts/v2', (req) => this.entities(req)),
			route('POST', '/alerts/combined/alerts/v1', (req) => this.combined(req)),
			route('PATCH', '/alerts/entities/alerts/v3', (req) => this.patch(req)),
		];
	}
}
