import { ApiError, type ApiRequest } from './request';
import type { ResolvedOptions } from './options';
import { Random } from './random';
import type { Route } from './router';
import { Tenant, type TenantContext, type TenantState } from './tenant';
import { enrolledChild, type ChildRecord } from './mssp/children';

/**
 * The parent client's tenant and one tenant per child CID it manages. Every tenant-scoped route is registered
 * once and dispatched to the tenant the request acts on, so each collection stays written for one customer.
 */
export class Tenants {
	readonly parent: Tenant;
	private readonly byCid = new Map<string, Tenant>();
	/** Children that joined on their first token (`acceptAnyMemberCid`); `reset()` forgets them. */
	private enrolled: ChildRecord[] = [];
	/** Link statuses as configured, restored by `reset()` after `setChildStatus`. */
	private readonly configuredStatus = new Map<ChildRecord, string>();

	constructor(
		private readonly settings: ResolvedOptions,
		private readonly shared: TenantContext,
	) {
		this.parent = new Tenant(settings.cid, settings, shared);
		this.byCid.set(settings.cid.toLowerCase(), this.parent);
		for (const child of settings.children) this.add(child.child_cid, child.eventsPerSecond);
	}

	/** Child links, configured ones first. */
	children(): ChildRecord[] {
		return [...this.settings.children, ...this.enrolled];
	}

	/** Token policy: a member CID must be the parent's own or a child it manages (or joins, when any is accepted). */
	admits(memberCid: string): boolean {
		const cid = memberCid.split('-')[0].toLowerCase();
		if (this.byCid.has(cid)) return true;
		if (!this.settings.acceptAnyMemberCid) return false;
		const child = enrolledChild(
			this.settings.seed,
			this.settings.cid,
			cid,
			this.settings.childEventsPerSecond,
		);
		this.enrolled.push(child);
		this.add(cid, child.eventsPerSecond);
		return true;
	}

	of(cid: string): Tenant | undefined {
		return this.byCid.get(cid.split('-')[0].toLowerCase());
	}

	all(): Tenant[] {
		return [...this.byCid.values()];
	}

	/** Each tenant's data, keyed by lower-case CID. */
	state(): Record<string, TenantState> {
		return Object.fromEntries([...this.byCid].map(([cid, tenant]) => [cid, tenant.state()]));
	}

	/** Routes that dispatch to the tenant of the request: its bearer token's CID, or whoever issued a feed's token. */
	routes(): Route[] {
		return this.parent.routes().map((route, index) => ({
			...route,
			handler: (req: ApiRequest) => this.tenantOf(req).routes()[index].handler(req),
		}));
	}

	/** A child's link status as Flight Control reports it (`inactive` takes it off the list of active children). */
	setChildStatus(cid: string, status: string): void {
		const record = this.children().find((child) => child.child_cid.toLowerCase() === cid.split('-')[0].toLowerCase());
		if (!record) throw new Error(`no child with CID ${cid}`);
		if (!this.configuredStatus.has(record)) this.configuredStatus.set(record, record.status);
		record.status = status;
	}

	reset(): void {
		for (const [record, status] of this.configuredStatus) record.status = status;
		this.configuredStatus.clear();
		for (const { child_cid } of this.enrolled) {
			this.byCid.get(child_cid)?.shutdown();
			this.byCid.delete(child_cid);
		}
		this.enrolled = [];
		for (const tenant of this.byCid.values()) tenant.reset();
	}

	shutdown(): void {
		for (const tenant of this.byCid.values()) tenant.shutdown();
	}

	private tenantOf(req: ApiRequest): Tenant {
		if (req.auth) {
			const tenant = this.of(req.auth.cid);
			if (!tenant) throw new ApiError(403, 'access denied, authorization failed');
			return tenant;
		}
		const feedToken = /^token\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
		return (
			(feedToken && this.all().find((tenant) => tenant.issuedFeedToken(feedToken))) || this.parent
		);
	}

	private add(cid: string, eventsPerSecond: number): void {
		if (this.byCid.has(cid)) return;
		// Each child draws its fleet, ids and events from its own seed.
		const seed = new Random(this.settings.seed, `tenant:${cid}`).int(1, 2 ** 31 - 1);
		const settings = { ...this.settings, seed, cid: cid.toUpperCase(), eventsPerSecond };
		this.byCid.set(cid, new Tenant(cid.toUpperCase(), settings, this.shared));
	}
}
