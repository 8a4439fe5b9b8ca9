import { ApiError, type ApiRequest, type AuthContext } from './request';
import { Random } from './random';
import { metaOnly, type Reply } from './envelope';

export const CLIENT_AUTHENTICATION_FAILED =
	'Failed to issue access token - Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method)';

export interface IssuedToken {
	clientId: string;
	memberCid?: string;
	issuedAt: string;
	expiresAt: string;
	revoked: boolean;
}

interface TokenRecord extends AuthContext {
	issuedAt: number;
	expiresAt: number;
	revoked: boolean;
}

export interface OAuthConfig {
	clientId: string;
	clientSecret: string;
	cid: string;
	region: string;
	tokenLifetimeSeconds: number;
}

/** Client-credentials token issuance, revocation and bearer validation. */
export class OAuthServer {
	private tokens = new Map<string, TokenRecord>();
	readonly memberCidsSeen: string[] = [];

	private random: Random;

	/** `admitsMember` is the parent's Flight Control policy: may a token act on this member CID? */
	constructor(
		private readonly config: OAuthConfig & { seed: number },
		private readonly admitsMember: (memberCid: string) => boolean = () => true,
	) {
		this.random = new Random(config.seed, 'oauth');
	}

	issue(req: ApiRequest): Reply {
		const form = formBody(req);
		const clientId = form.client_id;
		if (!clientId) throw new ApiError(400, 'client_id is required');
		// Falcon answers an unknown client or a wrong secret with 403, as it answers a child the client does not manage.
		if (clientId !== this.config.clientId || form.client_secret !== this.config.clientSecret) {
			throw new ApiError(403, CLIENT_AUTHENTICATION_FAILED);
		}
		const memberCid = form.member_cid ? form.member_cid.toLowerCase() : undefined;
		if (memberCid !== undefined) {
			if (!/^[0-9a-f]{32}(-[0-9a-f]{2})?$/.test(memberCid)) throw new ApiError(400, 'invalid member_cid');
			if (!this.memberCidsSeen.includes(memberCid)) this.memberCidsSeen.push(memberCid);
			// What Falcon answers a parent client asking for a CID it does not manage (as for an IP allow-list block).
			if (!this.admitsMember(memberCid)) throw new ApiError(403, 'access denied, authorization failed');
		}
		const now = Date.now();
		const token = `sim.${this.random.hex(48)}`;
		this.tokens.set(token, {
			clientId,
			memberCid,
			cid: (memberCid ?? this.config.cid).split('-')[0].toUpperCase(),
			issuedAt: now,
			expiresAt: now + this.config.tokenLifetimeSeconds * 1000,
			revoked: false,
		});
		return {
			status: 201,
			headers: { 'X-CS-Region': this.config.region },
			body: {
				access_token: token,
				token_type: 'bearer',
				expires_in: this.config.tokenLifetimeSeconds,
			},
		};
	}

	revoke(req: ApiRequest): Reply {
		const basic = /^basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
		const decoded = basic ? Buffer.from(basic[1], 'base64').toString('utf8') : '';
		const separator = decoded.indexOf(':');
		const id = decoded.slice(0, separator);
		const secret = decoded.slice(separator + 1);
		if (separator < 0 || id !== this.config.clientId || secret !== this.config.clientSecret) {
			throw new ApiError(401, 'access denied, invalid client');
		}
		const token = formBody(req).token;
		if (!token) throw new ApiError(400, 'token is required');
		const record = this.tokens.get(token);
		if (record) record.revoked = true;
		return metaOnly(req, 200);
	}

	/** The auth context for a bearer header, or an ApiError(401). */
	authenticate(authorization: string | undefined): AuthContext {
		const match = /^bearer\s+(\S+)$/i.exec(authorization ?? '');
		const record = match ? this.tokens.get(match[1]) : undefined;
		if (!record || record.revoked || record.expiresAt <= Date.now()) {
			throw new ApiError(401, 'access denied, invalid bearer token');
		}
		return { clientId: record.clientId, cid: record.cid, memberCid: record.memberCid };
	}

	issued(): IssuedToken[] {
		return [...this.tokens.values()].map((t) => ({
			clientId: t.clientId,
			memberCid: t.memberCid,
			issuedAt: new Date(t.issuedAt).toISOString(),
			expiresAt: new Date(t.expiresAt).toISOString(),
			revoked: t.revoked,
		}));
	}

	reset(): void {
		this.random = new Random(this.config.seed, 'oauth');
		this.tokens.clear();
		this.memberCidsSeen.length = 0;
	}
}

function formBody(req: ApiRequest): Record<string, string> {
	const body = req.body;
	if (body && typeof body === 'object' && !Array.isArray(body)) {
		return Object.fromEntries(
			Object.entries(body as Record<string, unknown>).map(([k, v]) => [k, v === undefined || v === null ? '' : String(v)]),
		);
	}
	return {};
}
