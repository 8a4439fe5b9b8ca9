import { createHash } from 'crypto';
import type { ICredentialDataDecryptedObject, IHttpRequestHelper } from 'n8n-workflow';

import { configuredBaseUrl } from './clouds';
import { apiHostFor, requestFalconToken } from './token';

/** A token locked to one member CID, and the API host it is good for. */
export interface MemberToken {
	accessToken: string;
	apiBaseUrl: string;
	/** Epoch ms after which it is minted again instead of reused. */
	renewAt: number;
}

/** Renew this long before Falcon's expiry (FalconPy's default window), or at 90% of a shorter lifetime. */
const RENEW_BEFORE_EXPIRY_MS = 120_000;
const DEFAULT_LIFETIME_SECONDS = 1799;
/** Far more than an MSSP has children; only a guard against unbounded growth. */
const MAX_CACHED = 1000;

// In process memory only: never in the credential, an item, an error or a log. A token is good for the API client
// and child it was minted for, so the key is exactly that: host, client id, secret (hashed) and member CID.
const cache = new Map<string, MemberToken>();
const minting = new Map<string, Promise<MemberToken>>();

/** The cached token for this client and member CID, or a new one (one token call, however many callers wait). */
export async function memberToken(
	context: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
	memberCid: string,
): Promise<MemberToken> {
	const key = cacheKey(credentials, memberCid);
	const cached = cache.get(key);
	if (cached && cached.renewAt > Date.now()) return cached;
	let pending = minting.get(key);
	if (!pending) {
		pending = mint(context, credentials, memberCid)
			.then((token) => {
				store(key, token);
				return token;
			})
			.finally(() => minting.delete(key));
		minting.set(key, pending);
	}
	return await pending;
}

/** After a 401: drop the token that was refused (not one a concurrent caller minted meanwhile). */
export function forgetMemberToken(
	credentials: ICredentialDataDecryptedObject,
	memberCid: string,
	refused: MemberToken,
): void {
	const key = cacheKey(credentials, memberCid);
	if (cache.get(key)?.accessToken === refused.accessToken) cache.delete(key);
}

/** For tests: start from an empty cache. */
export function clearMemberTokens(): void {
	cache.clear();
	minting.clear();
}

async function mint(
	context: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
	memberCid: string,
): Promise<MemberToken> {
	const tokenHost = configuredBaseUrl(credentials);
	const issued = await requestFalconToken(context, tokenHost, {
		clientId: String(credentials.clientId ?? ''),
		clientSecret: String(credentials.clientSecret ?? ''),
		memberCid,
	});
	const lifetimeMs = (issued.expiresIn ?? DEFAULT_LIFETIME_SECONDS) * 1000;
	return {
		accessToken: issued.accessToken,
		apiBaseUrl: apiHostFor(credentials, tokenHost, issued.region),
		renewAt: Date.now() + Math.max(lifetimeMs - RENEW_BEFORE_EXPIRY_MS, lifetimeMs * 0.9),
	};
}

function store(key: string, token: MemberToken): void {
	const now = Date.now();
	for (const [other, cached] of cache) if (cached.renewAt <= now) cache.delete(other);
	if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
	cache.set(key, token);
}

function cacheKey(credentials: ICredentialDataDecryptedObject, memberCid: string): string {
	return createHash('sha256')
		.update(
			JSON.stringify([
				configuredBaseUrl(credentials),
				String(credentials.clientId ?? ''),
				String(credentials.clientSecret ?? ''),
				memberCid,
			]),
		)
		.digest('hex');
}
