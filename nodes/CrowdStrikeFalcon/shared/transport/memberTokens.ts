import { createHash } from 'crypto';
import type { ICredentialDataDecryptedObject, IHttpRequestHelper } from 'n8n-workflow';
import * as workflow from 'n8n-workflow';

import { configuredBaseUrl } from './clouds';
import type { FalconError } from './envelope';
import { rootContextOf } from './itemScope';
import { FalconTokenError, mintToken } from './token';

/** A token locked to one tenant (a member CID, or '' for the API client's own), and the API host it is good for. */
export interface MemberToken {
	accessToken: string;
	apiBaseUrl: string;
	/** Epoch ms after which it is minted again instead of reused. */
	renewAt: number;
	/** Epoch ms Falcon's expiry falls on: until then it serves when minting its successor fails. */
	expiresAt: number;
}

/** Renew this long before Falcon's expiry (FalconPy's default window), or at 90% of a shorter lifetime. */
const RENEW_BEFORE_EXPIRY_MS = 120_000;
/** A token this far from its expiry is handed out while its successor is minted; closer, callers wait for that. */
const SERVES_WITHOUT_WAITING_MS = 30_000;
const DEFAULT_LIFETIME_SECONDS = 1799;
/**
 * Tokens kept, the least recently used dropped first: more than the children one trigger follows (the roster reads
 * 5,000 a page), each ~200 bytes. Only a guard against unbounded growth: with fewer, a trigger over more children
 * than that minted a token for every request of each (an object, for tests).
 */
export const tokenCacheLimit = { entries: 20_000 };

// In process memory only: never in the credential, an item, an error or a log. A token is good for the API client
// and child it was minted for, so the key is exactly that: host, client id, secret (hashed) and member CID.
const cache = new Map<string, MemberToken>();
const minting = new Map<string, Promise<MemberToken>>();
/**
 * Refusals (400, 401, 403: not a child, a wrong secret) for a short while, by the same key: a batch with hundreds of
 * items for a removed child would otherwise ask for hundreds of tokens, and Falcon's token budget (per client
 * address) is shared with every other child.
 */
const refusals = new Map<string, Failure>();
/**
 * Outages (a 5xx or a dropped connection still failing after the retries, a 429 asking for a long wait, no answer
 * within the timeout) for as long, but only for the node run that met them (its context): its next items would each
 * wait out the retries, or the 30 s timeout, again. Not for other runs: n8n's Retry On Fail, a second later, must
 * reach Falcon again.
 */
const outages = new WeakMap<object, Map<string, Failure>>();
interface Failure {
	error: unknown;
	until: number;
}
/** How long a failed mint is remembered: long enough for one execution's items, short for a child being fixed. */
export const failedMintMemory = { ms: 10_000 };

/**
 * The cached token for this client and member CID, or a new one (one token call, however many callers wait). Within
 * its last two minutes the token is renewed while it goes on serving: callers wait for the new one only in its last
 * half minute, and a renewal that fails (a busy or failing token endpoint) leaves it serving until it expires.
 */
export async function memberToken(
	context: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
	memberCid: string,
): Promise<MemberToken> {
	const key = tenantKey(credentials, memberCid);
	const cached = cache.get(key);
	const now = Date.now();
	if (cached && cached.renewAt > now) {
		// Last used last: the oldest entry is then the least recently used.
		cache.delete(key);
		cache.set(key, cached);
		return cached;
	}
	const client = tenantKey(credentials, CLIENT_WIDE);
	const refused = refusals.get(key) ?? refusals.get(client);
	if (refused && refused.until > now) throw refused.error;
	const met = outages.get(rootContextOf(context));
	const outage = met?.get(key) ?? met?.get(client);
	if (outage && outage.until > now) {
		if (cached && cached.expiresAt > now) return cached;
		throw outage.error;
	}
	let pending = minting.get(key);
	if (!pending) {
		pending = mint(context, credentials, memberCid)
			.then(
				(token) => {
					refusals.delete(key);
					store(key, token);
					return token;
				},
				(error: unknown) => {
					remember(isRefusal(error) ? refusals : outagesOf(context), failureKey(error, key, client), error);
					throw error;
				},
			)
			.finally(() => minting.delete(key));
		minting.set(key, pending);
	}
	if (cached && cached.expiresAt - now > SERVES_WITHOUT_WAITING_MS) {
		// Renewed in the background; a failure is seen by the caller that waits for it, or by none.
		pending.catch(() => undefined);
		return cached;
	}
	return await pending.catch((error: unknown) => {
		// A run that waited for another's mint met the outage too: its next items need not wait it out again.
		if (!isRefusal(error)) remember(outagesOf(context), failureKey(error, key, client), error);
		if (cached && cached.expiresAt > Date.now() && !isRefusal(error)) return cached;
		throw error;
	});
}

/**
 * A call refused (401) again with the token minted after the first refusal: this client's tokens are not accepted
 * here (a gateway that drops the Authorization header, a client revoked in Falcon). Remembered within the node run,
 * so its next calls fail at once instead of each minting a token only to be refused: Falcon counts both against the
 * address's budgets (token requests, and requests with a bad token). Not beyond it: one endpoint's 401 must not stop
 * other workflows, nor n8n's Retry On Fail.
 */
export function refuseFreshToken(
	context: object,
	credentials: ICredentialDataDecryptedObject,
	memberCid: string,
	refused: MemberToken,
	answer: { errors: FalconError[]; traceId?: string },
): void {
	forgetMemberToken(credentials, memberCid, refused);
	const falconMessage = answer.errors.map((entry) => entry.message).filter(Boolean).join('; ');
	const message = `Falcon refused the call made with a token minted for it a moment ago (HTTP 401${falconMessage ? `: ${falconMessage}` : ''}); this run's further calls fail at once for ${failedMintMemory.ms / 1000} s instead of each asking for a token`;
	const failure = new FalconTokenError(message, 401, answer.errors, answer.traceId);
	failure.advice = 'Falcon issued the token and the API refused it: is a proxy or gateway in between dropping the Authorization header? Was the API client revoked just now?';
	remember(outagesOf(context), tenantKey(credentials, memberCid), failure);
}

/** After a 401: drop the token that was refused (not one a concurrent caller minted meanwhile). */
export function forgetMemberToken(
	credentials: ICredentialDataDecryptedObject,
	memberCid: string,
	refused: MemberToken,
): void {
	const key = tenantKey(credentials, memberCid);
	if (cache.get(key)?.accessToken === refused.accessToken) cache.delete(key);
}

/** For tests: start from an empty cache. */
export function clearMemberTokens(): void {
	cache.clear();
	minting.clear();
	refusals.clear();
}

/**
 * Falcon's refusal (400, 401, 403, a redirect to another cloud), or settings that cannot get a token (a region the
 * credential cannot reach, a cloud mismatch, a malformed Member CID): asking again changes nothing. Not an outage
 * (429, 5xx, no answer).
 */
export function isRefusal(error: unknown): boolean {
	if (!(error instanceof FalconTokenError)) return false;
	const status = error.falconStatus;
	if (status === undefined) return !error.unreachable;
	return status === 400 || status === 401 || status === 403 || (status >= 300 && status < 400);
}

async function mint(
	context: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
	memberCid: string,
): Promise<MemberToken> {
	const issued = await mintToken(context, credentials, { memberCid, allowedDomains: ownRequestAllowedDomains(credentials) });
	const lifetimeMs = (issued.expiresIn ?? DEFAULT_LIFETIME_SECONDS) * 1000;
	const now = Date.now();
	return {
		accessToken: issued.accessToken,
		apiBaseUrl: issued.apiBaseUrl,
		renewAt: now + Math.max(lifetimeMs - RENEW_BEFORE_EXPIRY_MS, lifetimeMs * 0.9),
		expiresAt: now + lifetimeMs,
	};
}

/** The node run's outages: its items, and the children it runs side by side (each on a scope of its own), share them. */
function outagesOf(context: object): Map<string, Failure> {
	const run = rootContextOf(context);
	let met = outages.get(run);
	if (!met) outages.set(run, (met = new Map()));
	return met;
}

function remember(failures: Map<string, Failure>, key: string, error: unknown): void {
	for (const [other, failure] of failures) if (failure.until <= Date.now()) failures.delete(other);
	failures.set(key, { error, until: Date.now() + failedMintMemory.ms });
}

function store(key: string, token: MemberToken): void {
	cache.delete(key);
	if (cache.size >= tokenCacheLimit.entries) {
		// Expired tokens go first; a full scan only when the cache is full, not at every mint of thousands of children.
		const now = Date.now();
		for (const [other, cached] of cache) if (cached.expiresAt <= now) cache.delete(other);
		while (cache.size >= tokenCacheLimit.entries) cache.delete(cache.keys().next().value as string);
	}
	cache.set(key, token);
}

/** One API client in one tenant of one cloud: what a token is minted for, and what Falcon's rate limit counts. */
/** The member CID part of the key under which a failure of the API client, for every child, is remembered. */
const CLIENT_WIDE = '*';

/** Where a failed mint is remembered: for the child, or for the client when it concerns every child (see concernsClient). */
function failureKey(error: unknown, key: string, client: string): string {
	return error instanceof FalconTokenError && error.concernsClient ? client : key;
}

export function tenantKey(credentials: ICredentialDataDecryptedObject, memberCid: string): string {
	return createHash('sha256')
		.update(
			JSON.stringify([
				// US-1 and Autodiscover share a URL, not a token: Autodiscover follows the region Falcon names.
				String(credentials.cloud ?? ''),
				configuredBaseUrl(credentials),
				String(credentials.clientId ?? ''),
				String(credentials.clientSecret ?? ''),
				memberCid,
			]),
		)
		.digest('hex');
}

/**
 * The credential's "Allowed HTTP Request Domains" list for its own token request, as n8n applies it to its own
 * handling of the credential; n8n versions without the setting (before 2.x) have no such list.
 */
function ownRequestAllowedDomains(credentials: ICredentialDataDecryptedObject): string | undefined {
	const read = (workflow as { getCredentialOwnRequestAllowedDomains?: (data: ICredentialDataDecryptedObject) => string | undefined })
		.getCredentialOwnRequestAllowedDomains;
	return typeof read === 'function' ? read(credentials) : undefined;
}
