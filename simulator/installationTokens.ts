import { Random } from './random';
import { envelope, metaOnly } from './envelope';
import { queryCollection, type FieldSchema } from './fql';
import {
	ApiError,
	bodyObject,
	optionalBoolean,
	queryList,
	type ApiRequest,
} from './request';
import type { Route } from './router';
import { pickByIds } from './lookup';

export interface InstallationToken {
	id: string;
	label: string;
	value: string;
	type: string;
	status: 'valid' | 'expired' | 'revoked';
	created_timestamp: string;
	expires_timestamp: string | null;
	last_used_timestamp: string | null;
	revoked_timestamp: string | null;
}

export interface TokenAuditEvent {
	id: string;
	action: 'token_create' | 'token_update' | 'token_revoke' | 'token_restore' | 'token_delete';
	actor: string;
	description: string;
	timestamp: string;
	token_id: string;
}

export interface CustomerSettings {
	tokens_required: boolean;
	max_active_tokens: number;
}

type StoredToken = Omit<InstallationToken, 'status'>;

const TOKEN_SCHEMA: FieldSchema = {
	id: 'string',
	label: 'string',
	type: 'string',
	status: 'string',
	created_timestamp: 'date',
	expires_timestamp: 'date',
	last_used_timestamp: 'date',
	revoked_timestamp: 'date',
};

const AUDIT_SCHEMA: FieldSchema = {
	id: 'string',
	action: 'string',
	actor: 'string',
	description: 'string',
	timestamp: 'date',
	token_id: 'string',
};

const PAGE = { defaultLimit: 50, maxLimit: 1000 };
const POWERED_BY = 'installation-tokens';
const DAY_MS = 86_400_000;

function statusOf(token: StoredToken, now: number): InstallationToken['status'] {
	if (token.revoked_timestamp) return 'revoked';
	if (token.expires_timestamp && Date.parse(token.expires_timestamp) <= now) return 'expired';
	return 'valid';
}

/** One CID's tokens, audit trail and settings. */
export class InstallationTokenStore {
	private tokens: StoredToken[] = [];
	private audit: TokenAuditEvent[] = [];
	settings: CustomerSettings = { tokens_required: false, max_active_tokens: 100 };

	constructor(
		private readonly random: Random,
		seedTokens: boolean,
	) {
		if (seedTokens) this.seed();
	}

	private seed(): void {
		const now = Date.now();
		const iso = (offsetDays: number) => new Date(now + offsetDays * DAY_MS).toISOString();
		const samples: Array<[string, number, number | null, number | null, number | null]> = [
			// label, created (days from now), expires, last used, revoked
			['Production servers', -120, 245, -1, null],
			['Workstations EU', -90, null, -3, null],
			['Lab rollout 2024', -400, -35, -40, null],
			['Contractor laptops', -60, 30, null, -10],
			['Prod Kubernetes nodes', -10, 5, -2, null],
		];
		for (const [label, created, expires, lastUsed, revoked] of samples) {
			const token = this.newToken(label, created === null ? null : iso(created), expires === null ? null : iso(expires));
			token.last_used_timestamp = lastUsed === null ? null : iso(lastUsed);
			token.revoked_timestamp = revoked === null ? null : iso(revoked);
			this.tokens.push(token);
			this.record('token_create', token.id, 'system', `Created token '${label}'`, token.created_timestamp);
			if (token.revoked_timestamp) this.record('token_revoke', token.id, 'system', `Revoked token '${label}'`, token.revoked_timestamp);
		}
	}

	private newToken(label: string, created: string | null, expires: string | null): StoredToken {
		return {
			id: this.random.hex(32),
			label,
			value: this.random.hex(32).toUpperCase(),
			type: 'customer_managed',
			created_timestamp: created ?? new Date().toISOString(),
			expires_timestamp: expires,
			last_used_timestamp: null,
			revoked_timestamp: null,
		};
	}

	private record(action: TokenAuditEvent['action'], tokenId: string, actor: string, description: string, at?: string): void {
		this.audit.push({
			id: this.random.hex(32),
			action,
			actor,
			description,
			timestamp: at ?? new Date().toISOString(),
			token_id: tokenId,
		});
	}

	view(now = Date.now()): InstallationToken[] {
		return this.tokens.map((t) => ({ ...t, status: statusOf(t, now) }));
	}

	auditEvents(): TokenAuditEvent[] {
		return this.audit.map((e) => ({ ...e }));
	}

	private activeCount(): number {
		return this.view().filter((t) => t.status === 'valid').length;
	}

	private assertCapacity(): void {
		if (this.activeCount() >= this.settings.max_active_tokens) {
			throw new ApiError(
				409,
				`maximum number of active installation tokens reached (max_active_tokens=${this.settings.max_active_tokens})`,
			);
		}
	}

	private findAll(ids: string[]): StoredToken[] {
		return pickByIds(this.tokens, ids, 'installation token');
	}

	create(body: Record<string, unknown>, actor: string): InstallationToken {
		const label = body.label;
		if (typeof label !== 'string' || label.trim() === '') throw new ApiError(400, "'label' is required");
		const expires = parseExpiry(body.expires_timestamp);
		if (expires && Date.parse(expires) <= Date.now()) throw new ApiError(400, "'expires_timestamp' must be in the future");
		if (body.type !== undefined && typeof body.type !== 'string') throw new ApiError(400, "'type' must be a string");
		this.assertCapacity();
		const token = this.newToken(label, null, expires);
		if (typeof body.type === 'string' && body.type) token.type = body.type;
		this.tokens.push(token);
		this.record('token_create', token.id, actor, `Created token '${label}'`);
		return { ...token, status: statusOf(token, Date.now()) };
	}

	update(ids: string[], body: Record<string, unknown>, actor: string): InstallationToken[] {
		const targets = this.findAll(ids);
		const revoked = optionalBoolean(body, 'revoked');
		const hasLabel = 'label' in body;
		const hasExpiry = 'expires_timestamp' in body;
		if (hasLabel && (typeof body.label !== 'string' || body.label.trim() === '')) {
			throw new ApiError(400, "'label' must be a non-empty string");
		}
		const expires = hasExpiry ? parseExpiry(body.expires_timestamp) : undefined;
		if (!hasLabel && !hasExpiry && revoked === undefined) {
			throw new ApiError(400, 'nothing to update: send label, expires_timestamp and/or revoked');
		}
		for (const token of targets) {
			if (hasLabel || hasExpiry) {
				if (hasLabel) token.label = body.label as string;
				if (hasExpiry) token.expires_timestamp = expires ?? null;
				this.record('token_update', token.id, actor, `Updated token '${token.label}'`);
			}
			if (revoked === true && !token.revoked_timestamp) {
				token.revoked_timestamp = new Date().toISOString();
				this.record('token_revoke', token.id, actor, `Revoked token '${token.label}'`);
			} else if (revoked === false && token.revoked_timestamp) {
				this.assertCapacity();
				token.revoked_timestamp = null;
				this.record('token_restore', token.id, actor, `Restored token '${token.label}'`);
			}
		}
		const now = Date.now();
		return targets.map((t) => ({ ...t, status: statusOf(t, now) }));
	}

	delete(ids: string[], actor: string): number {
		const targets = this.findAll(ids);
		for (const token of targets) {
			this.tokens = this.tokens.filter((t) => t !== token);
			this.record('token_delete', token.id, actor, `Deleted token '${token.label}'`);
		}
		return targets.length;
	}

	updateSettings(body: Record<string, unknown>): CustomerSettings {
		const tokensRequired = optionalBoolean(body, 'tokens_required');
		const max = body.max_active_tokens;
		if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 1)) {
			throw new ApiError(400, "'max_active_tokens' must be a positive integer");
		}
		if (tokensRequired === undefined && max === undefined) {
			throw new ApiError(400, 'nothing to update: send tokens_required and/or max_active_tokens');
		}
		if (tokensRequired !== undefined) this.settings.tokens_required = tokensRequired;
		if (typeof max === 'number') this.settings.max_active_tokens = max;
		return { ...this.settings };
	}
}

function parseExpiry(value: unknown): string | null {
	if (value === undefined || value === null || value === '') return null;
	if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
		throw new ApiError(400, "'expires_timestamp' must be an RFC3339 date-time or null");
	}
	return new Date(Date.parse(value)).toISOString();
}

/** One tenant's installation tokens (each child tenant has its own: see tenant.ts). */
export class InstallationTokens {
	private store!: InstallationTokenStore;

	constructor(
		private readonly seed: number,
		private readonly seedTokens: boolean,
		private readonly cid: string,
	) {
		this.reset();
	}

	count(): number {
		return this.store.view().length;
	}

	reset(): void {
		this.store = new InstallationTokenStore(new Random(this.seed, `installation-tokens:${this.cid.toUpperCase()}`), this.seedTokens);
	}

	routes(): Route[] {
		const actor = (req: ApiRequest) => `api-client-id:${req.auth?.clientId ?? 'unknown'}`;
		const entityPath = '/installation-tokens/entities/tokens/v1';
		return [
			{
				method: 'GET',
				path: '/installation-tokens/queries/tokens/v1',
				auth: 'bearer',
				handler: (req) => {
					const { page, pagination } = queryCollection(this.store.view(), req.query, { schema: TOKEN_SCHEMA, ...PAGE });
					return envelope(req, 200, page.map((t) => t.id), { pagination, poweredBy: POWERED_BY });
				},
			},
			{
				method: 'GET',
				path: entityPath,
				auth: 'bearer',
				handler: (req) => {
					const tokens = pickByIds(this.store.view(), queryList(req.query, 'ids'), 'installation token');
					return envelope(req, 200, tokens, { poweredBy: POWERED_BY });
				},
			},
			{
				method: 'POST',
				path: entityPath,
				auth: 'bearer',
				handler: (req) => envelope(req, 201, [this.store.create(bodyObject(req), actor(req))], { poweredBy: POWERED_BY }),
			},
			{
				method: 'PATCH',
				path: entityPath,
				auth: 'bearer',
				handler: (req) => {
					const updated = this.store.update(queryList(req.query, 'ids'), bodyObject(req), actor(req));
					return envelope(req, 200, updated, { poweredBy: POWERED_BY, writes: { resources_affected: updated.length } });
				},
			},
			{
				method: 'DELETE',
				path: entityPath,
				auth: 'bearer',
				handler: (req) => {
					const deleted = this.store.delete(queryList(req.query, 'ids'), actor(req));
					return metaOnly(req, 200, [], { poweredBy: POWERED_BY, writes: { resources_affected: deleted } });
				},
			},
			{
				method: 'GET',
				path: '/installation-tokens/queries/audit-events/v1',
				auth: 'bearer',
				handler: (req) => {
					const { page, pagination } = queryCollection(this.store.auditEvents(), req.query, { schema: AUDIT_SCHEMA, ...PAGE });
					return envelope(req, 200, page.map((e) => e.id), { pagination, poweredBy: POWERED_BY });
				},
			},
			{
				method: 'GET',
				path: '/installation-tokens/entities/audit-events/v1',
				auth: 'bearer',
				handler: (req) => {
					const events = pickByIds(this.store.auditEvents(), queryList(req.query, 'ids'), 'audit event');
					return envelope(req, 200, events, { poweredBy: POWERED_BY });
				},
			},
			{
				method: 'GET',
				path: '/installation-tokens/entities/customer-settings/v1',
				auth: 'bearer',
				handler: (req) => envelope(req, 200, [{ ...this.store.settings }], { poweredBy: POWERED_BY }),
			},
			{
				method: 'PATCH',
				path: '/installation-tokens/entities/customer-settings/v1',
				auth: 'bearer',
				handler: (req) => envelope(req, 200, [this.store.updateSettings(bodyObject(req))], { poweredBy: POWERED_BY }),
			},
		];
	}
}
