import { ApiError, bodyObject, optionalStringArray, queryList, type ApiRequest } from '../request';
import { envelope, type ErrorEntry, type Reply } from '../envelope';
import { compileFilter, compileSort, queryCollection, type FieldSchema, type FilterOptions } from '../fql';
import type { Faults } from '../faults';
import type { Route } from '../router';
import type { FleetHost } from '../rtr/fleet';
import { HostRegistry, type HostSettings, type HostState, type HostSummary } from './registry';
import { ScrollCursors } from '../scroll';
import { performAction } from './actions';
import { updateDeviceTags } from './tags';

const POWERED_BY = 'device-api';

/** Filterable and sortable host fields. `local_ip.raw` is the field Falcon wants for IP wildcards. */
const HOST_SCHEMA: FieldSchema = {
	device_id: 'string',
	cid: 'string',
	hostname: 'string',
	status: 'string',
	platform_id: 'string',
	platform_name: 'string',
	os_version: 'string',
	agent_version: 'string',
	product_type: 'string',
	product_type_desc: 'string',
	machine_domain: 'string',
	local_ip: 'string',
	'local_ip.raw': 'string',
	external_ip: 'string',
	connection_ip: 'string',
	mac_address: 'string',
	first_seen: 'date',
	last_seen: 'date',
	modified_timestamp: 'date',
	tags: 'string',
	groups: 'string',
	host_hidden_status: 'string',
	detection_suppression_status: 'string',
	reduced_functionality_mode: 'string',
};

/** Wildcards in equality values; a quoted hostname is matched as a prefix, one in brackets whole. */
const HOST_FILTERING: FilterOptions = { equalityWildcards: true, prefixFields: ['hostname'] };

/** Results past this offset are out of reach of QueryDevicesByFilter (use the scroll endpoint). */
const MAX_OFFSET = 10_000;
const DETAILS_GET_MAX = 100;
const DETAILS_POST_MAX = 5000;
const ONLINE_STATE_MAX = 100;

/** The Hosts API (devices:read / devices:write) over the seeded fleet. */
export class HostsApi {
	readonly registry: HostRegistry;
	private readonly scroll: ScrollCursors;

	constructor(fleet: FleetHost[], faults: Faults, settings: HostSettings) {
		this.registry = new HostRegistry(fleet, faults, settings);
		this.scroll = new ScrollCursors(settings.seed, 'hosts-scroll', 'offset');
	}

	reset(): void {
		this.registry.reset();
		this.scroll.reset();
	}

	state(): HostSummary[] {
		return this.registry.summary();
	}

	/** Current host record (for alerts' device snapshot), or undefined for an aid outside the fleet. */
	record(aid: string): Record<string, unknown> | undefined {
		const state = this.registry.find(aid);
		return state && this.registry.record(state);
	}

	private filterRecords(hidden: boolean): Array<Record<string, unknown>> {
		const now = Date.now();
		return this.registry
			.all()
			.filter((s) => s.hidden === hidden)
			.map((s) => {
				const record = this.registry.record(s, now);
				return { ...record, 'local_ip.raw': record.local_ip };
			});
	}

	private query(req: ApiRequest, hidden: boolean): Reply {
		const rawOffset = req.query.get('offset');
		if (rawOffset !== null && Number(rawOffset) >= MAX_OFFSET) {
			throw new ApiError(400, `offset must be less than ${MAX_OFFSET}; use /devices/queries/devices-scroll/v1 to page further`);
		}
		const { page, pagination } = queryCollection(this.filterRecords(hidden), req.query, {
			schema: HOST_SCHEMA,
			defaultLimit: 100,
			maxLimit: 5000,
			...HOST_FILTERING,
		});
		return envelope(req, 200, page.map((r) => r.device_id), { pagination, poweredBy: POWERED_BY });
	}

	private queryScroll(req: ApiRequest): Reply {
		const rawLimit = req.query.get('limit');
		const limit = rawLimit === null || rawLimit === '' ? 100 : Number(rawLimit);
		if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
			throw new ApiError(400, `limit must be an integer between 1 and 10000, got '${rawLimit}'`);
		}
		const start = () => {
			const predicate = compileFilter(req.query.get('filter'), HOST_SCHEMA, {}, HOST_FILTERING);
			const comparator = compileSort<Record<string, unknown>>(req.query.get('sort'), HOST_SCHEMA);
			const matched = this.filterRecords(false).filter(predicate);
			if (comparator) matched.sort(comparator);
			return matched.map((r) => r.device_id as string);
		};
		const { ids, next, expiresAt, total } = this.scroll.page(req.query.get('offset'), limit, start);
		return envelope(req, 200, ids, {
			// expires_at: epoch nanoseconds, as real responses appear to carry it.
			pagination: { offset: next, expires_at: expiresAt * 1_000_000, limit, total },
			poweredBy: POWERED_BY,
		});
	}

	/** Found hosts in resources (200); unknown ids as 404 entries; 404 when none was found. */
	private byIds(req: ApiRequest, ids: string[], max: number, view: (s: HostState) => unknown): Reply {
		if (ids.length === 0) throw new ApiError(400, "missing required parameter 'ids'");
		if (ids.length > max) throw new ApiError(400, `too many ids: at most ${max} per request (got ${ids.length})`);
		const { found, missing } = this.registry.lookup(ids);
		const errors: ErrorEntry[] = missing.map((id) => ({ code: 404, id, message: `device not found: ${id}` }));
		return envelope(req, found.length > 0 ? 200 : 404, found.map(view), { errors, poweredBy: POWERED_BY });
	}

	routes(): Route[] {
		const details = (s: HostState) => this.registry.record(s);
		const route = (method: string, path: string, handler: (req: ApiRequest) => Reply): Route => ({ method, path, auth: 'bearer', handler });
		return [
			route('GET', '/devices/queries/devices/v1', (req) => this.query(req, false)),
			route('GET', '/devices/queries/devices-hidden/v1', (req) => this.query(req, true)),
			route('GET', '/devices/queries/devices-scroll/v1', (req) => this.queryScroll(req)),
			route('GET', '/devices/entities/devices/v2', (req) => this.byIds(req, queryList(req.query, 'ids'), DETAILS_GET_MAX, details)),
			route('POST', '/devices/entities/devices/v2', (req) =>
				this.byIds(req, optionalStringArray(bodyObject(req), 'ids') ?? [], DETAILS_POST_MAX, details),
			),
			route('GET', '/devices/entities/online-state/v1', (req) =>
				this.byIds(req, queryList(req.query, 'ids'), ONLINE_STATE_MAX, (s) => ({ id: s.host.aid, state: s.online ? 'online' : 'offline' })),
			),
			route('POST', '/devices/entities/devices-actions/v2', (req) => performAction(this.registry, req)),
			route('PATCH', '/devices/entities/devices/tags/v1', (req) => updateDeviceTags(this.registry, req)),
		];
	}
}
