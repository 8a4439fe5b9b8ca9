import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from './credentialType';
import { errorsOf, traceIdOf } from './envelope';
import { describeHttpFailure, operationError } from './failures';
import { rootContextOf } from './itemScope';
import { forgetMemberToken, isRefusal, memberToken, refuseFreshToken, tenantKey, type MemberToken } from './memberTokens';
import { heldBack, noteRateLimit, rateLimitedUntil } from './rateLimitCooldown';
import { credentialMemberCid } from './memberCid';
import { FalconTokenError } from './tokenError';

/** What a call on the transport's own token needs from an n8n context: the credential's data and plain HTTP. */
export interface MemberRequestContext {
	getNode(): INode;
	getCredentials?: IExecuteFunctions['getCredentials'];
	helpers: { httpRequest?: IExecuteFunctions['helpers']['httpRequest'] };
}

const tokenRefusals = new WeakSet<NodeApiError | NodeOperationError>();
/** Of those, the ones that asking again cannot change (see memberTokens' isRefusal): the user's to fix. */
const settledRefusals = new WeakSet<NodeApiError | NodeOperationError>();

/** A refused token whose cause is the credential or the CID, not an outage of the token endpoint. */
export function isSettledTokenRefusal(error: unknown): boolean {
	return (error instanceof NodeApiError || error instanceof NodeOperationError) && settledRefusals.has(error);
}

/** Errors that mean "no token for this tenant": not a missing API scope, whatever their status. */
export function isTokenRefusal(error: unknown): boolean {
	return tokenRefusalOf(error) !== undefined;
}

/** The error as built for a refused token, ready to throw; undefined for any other error. */
export function tokenRefusalOf(error: unknown): NodeApiError | NodeOperationError | undefined {
	return (error instanceof NodeApiError || error instanceof NodeOperationError) &&
		tokenRefusals.has(error)
		? error
		: undefined;
}

/** The tenant the credential itself names: its Member CID, or the API client's own tenant when it names none. */
export const CREDENTIAL_TENANT = Symbol("the credential's tenant");

/**
 * One API call as a tenant (a member CID, '' for the API client's own, or the credential's), with the cached token
 * minted for it (see memberTokens). After a 401 mints once more and repeats the call once. Resolves to n8n's full
 * response; HTTP failures are thrown as received.
 */
export async function requestAsMember(
	context: MemberRequestContext,
	tenant: string | typeof CREDENTIAL_TENANT,
	options: IHttpRequestOptions,
	itemIndex?: number,
): Promise<unknown> {
	const credentials = await credentialsOf(context, itemIndex);
	const { token, memberCid } = await tokenFor(context, credentials, tenant, itemIndex);
	const key = tenantKey(credentials, memberCid);
	const limited = rateLimitedUntil(key);
	if (limited !== undefined) throw heldBack(limited);
	// Every answer that tells the client to wait holds back the tenant's other calls.
	const send = async (sent: MemberToken) =>
		await sendWithToken(context, options, sent).catch((error: unknown) => {
			const failure = describeHttpFailure(error);
			if (failure.statusCode === 429) noteRateLimit(key, failure.headers);
			throw error;
		});
	return await send(token).catch(async (error: unknown) => {
		if (describeHttpFailure(error).statusCode !== 401) throw error;
		forgetMemberToken(credentials, memberCid, token);
		const fresh = await tokenFor(context, credentials, tenant, itemIndex);
		return await send(fresh.token).catch((again: unknown) => {
			const failure = describeHttpFailure(again);
			if (failure.statusCode === 401) {
				refuseFreshToken(context, credentials, memberCid, fresh.token, { errors: errorsOf(failure.body), traceId: traceIdOf(failure.body, failure.headers) });
			}
			throw again;
		});
	});
}

/**
 * Decrypting the credential can cost a database read, so a context reads it at most once a minute. Not for longer:
 * a trigger's context lives as long as its activation, and a credential edited meanwhile (a new secret) must reach
 * its child tenants too. A read that failed is not kept.
 */
const CREDENTIALS_KEPT_MS = 60_000;
const credentialsByContext = new WeakMap<object, { read: Promise<ICredentialDataDecryptedObject>; at: number }>();

export async function credentialsOf(
	context: MemberRequestContext,
	itemIndex: number | undefined,
): Promise<ICredentialDataDecryptedObject> {
	if (typeof context.getCredentials !== 'function') {
		throw operationError(context.getNode(), 'This n8n context cannot call Falcon: it offers no credential or no HTTP helper');
	}
	// Tenants run side by side on separate scopes over one context: they share its read.
	const key = rootContextOf(context);
	let kept = credentialsByContext.get(key);
	if (!kept || Date.now() - kept.at > CREDENTIALS_KEPT_MS) {
		const read = context.getCredentials(CREDENTIAL_TYPE, itemIndex);
		const entry = { read, at: Date.now() };
		credentialsByContext.set(key, entry);
		read.catch(() => {
			if (credentialsByContext.get(key) === entry) credentialsByContext.delete(key);
		});
		kept = entry;
	}
	return await kept.read;
}

async function tokenFor(
	context: MemberRequestContext,
	credentials: ICredentialDataDecryptedObject,
	tenant: string | typeof CREDENTIAL_TENANT,
	itemIndex: number | undefined,
): Promise<{ token: MemberToken; memberCid: string }> {
	const ownTenant = tenant === CREDENTIAL_TENANT;
	try {
		const memberCid = ownTenant ? credentialMemberCid(credentials) : tenant;
		return { token: await memberToken(context as Parameters<typeof memberToken>[0], credentials, memberCid), memberCid };
	} catch (error) {
		const node = context.getNode();
		if (!ownTenant) throw tokenRefused(node, error, tenant, itemIndex);
		throw credentialTokenRefused(node, error, itemIndex, String(credentials.memberCid ?? '').trim() !== '');
	}
}

async function sendWithToken(
	context: MemberRequestContext,
	options: IHttpRequestOptions,
	token: MemberToken,
): Promise<unknown> {
	const { httpRequest } = context.helpers;
	if (typeof httpRequest !== 'function')
		throw operationError(context.getNode(), 'This n8n context cannot call Falcon: it offers no credential or no HTTP helper');
	const isAbsolute = /^https?:\/\//i.test(options.url);
	return await httpRequest({
		...options,
		...(isAbsolute || options.baseURL ? {} : { baseURL: token.apiBaseUrl }),
		headers: { ...options.headers, Authorization: `Bearer ${token.accessToken}` },
	});
}

function tokenRefused(
	node: INode,
	error: unknown,
	memberCid: string,
	itemIndex: number | undefined,
): Error {
	const refusal = error instanceof FalconTokenError ? error : undefined;
	// A 5xx, or no answer at all, says nothing about the CID or the client; nor does a 429 that outlasted its waits.
	const rateLimited = refusal?.falconStatus === 429;
	const outage = refusal !== undefined && (refusal.unreachable || (refusal.falconStatus ?? 0) >= 500 || rateLimited);
	// Falcon refuses a wrong secret with the 403 it gives a child the client does not manage; its words tell them apart.
	const clientRefused = (refusal?.concernsClient ?? false) && !rateLimited;
	const description = [
		refusal?.advice ??
		(rateLimited
			? "Falcon's token endpoint answered 429 (too many token requests from this address) after the waits a call makes, or asked for a longer wait: this is not about the CID or the client. Try again later."
			: outage
				? "Falcon's token endpoint failed or could not be reached, after retries: this is not about the CID or the client. Try again later."
				: memberCid && !clientRefused
					? 'Is this CID a child of the parent API client? "CrowdStrike Falcon Flight Control > Child > Get Many" lists the children the client manages.'
					: "Check the credential's Client ID and Secret (Flight Control calls go as the API client itself)."),
		refusal?.traceId ? `trace_id: ${refusal.traceId}` : undefined,
	]
		.filter(Boolean)
		.join(' | ');
	if (refusal?.falconStatus === undefined) {
		const reason = String((error as Error)?.message ?? error);
		return marked(operationError(node, `Could not get a token for ${tenantName(memberCid)}: ${reason}`, { itemIndex, description }), error);
	}
	const falconMessage = refusal.errors
		.map((entry) => entry.message)
		.filter(Boolean)
		.join('; ');
	// Names the child, which is the point.
	const message = `Falcon ${outage ? 'could not issue' : 'refused'} a token for ${tenantName(memberCid)} (HTTP ${refusal.falconStatus}${falconMessage ? `: ${falconMessage}` : ''})`;
	return marked(answeredRefusal(node, refusal, { message, description, itemIndex, details: { member_cid: memberCid || null } }), error);
}

/**
 * No token for the credential as it is: its own words (Falcon's refusal, the setting at fault), a NodeApiError only
 * when Falcon answered; the settings that cannot ask for one and an endpoint out of reach sent no API call.
 */
function credentialTokenRefused(node: INode, error: unknown, itemIndex: number | undefined, namesChild: boolean): Error {
	const refusal = error instanceof FalconTokenError ? error : undefined;
	if (refusal?.falconStatus !== undefined) {
		const description =
			refusal.advice ??
			(refusal.falconStatus === 429 || refusal.falconStatus >= 500
				? "Falcon's token endpoint was busy or failing, after retries and waits: try again later."
				: namesChild
					? "Check the credential's Client ID, Client Secret, Cloud and Member CID (is it a child of this API client? Flight Control > Child > Get Many lists them)."
					: "Check the credential's Client ID, Client Secret and Cloud.");
		return marked(answeredRefusal(node, refusal, { message: refusal.message, description, itemIndex }), error);
	}
	const message = refusal?.message ?? `Could not get a token: ${String((error as Error)?.message ?? error)}`;
	const description = refusal?.unreachable
		? "Falcon's token endpoint could not be reached, after retries: no API call was made."
		: "The credential's settings cannot get a token: fix them (asking again changes nothing).";
	return marked(operationError(node, message, { itemIndex, description }), error);
}

/** Falcon's answer to a token request as the error users see: its status, code, trace id and errors, with our words. */
function answeredRefusal(
	node: INode,
	refusal: FalconTokenError,
	{ message, description, itemIndex, details }: { message: string; description: string; itemIndex?: number; details?: JsonObject },
): NodeApiError {
	const failed = new NodeApiError(
		node,
		{
			status: refusal.falconStatus ?? null,
			code: refusal.errors[0]?.code ?? null,
			message,
			trace_id: refusal.traceId ?? null,
			...details,
			errors: refusal.errors as unknown as JsonObject[],
		},
		{ message, description, httpCode: String(refusal.falconStatus), itemIndex },
	);
	// NodeApiError rewrites the message of some statuses.
	failed.message = message;
	return failed;
}

/** Marks a refused token's error, so that callers tell it from a missing scope, and as settled when it is. */
function marked<E extends NodeApiError | NodeOperationError>(failed: E, cause: unknown): E {
	tokenRefusals.add(failed);
	if (isRefusal(cause)) settledRefusals.add(failed);
	return failed;
}

function tenantName(memberCid: string): string {
	return memberCid ? `member CID ${memberCid}` : 'the parent API client';
}
