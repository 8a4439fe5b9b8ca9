import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestHelper } from 'n8n-workflow';

import { sleep } from '../sleep';
import { cloudForRegion, configuredBaseUrl, FALCON_CLOUDS, isKnownCloud, type FalconCloud } from './clouds';
import { errorsOf, traceIdOf } from './envelope';
import { describeHttpFailure, parseBody, redirectNotFollowed } from './failures';
import { lowerCaseHeaders } from './headers';
import { isRetryableNetworkError, rateLimitWaitMs, retryPolicy, serverErrorBackoffMs } from './retryPolicy';
import { FalconTokenError } from './tokenError';

export { FalconTokenError } from './tokenError';

export interface TokenRequest {
	clientId: string;
	clientSecret: string;
	memberCid?: string;
	/** The credential's "Allowed HTTP Request Domains" list, when it restricts its own requests. */
	allowedDomains?: string;
}

export interface IssuedToken {
	accessToken: string;
	region?: string;
	/** Seconds, as Falcon states it (`expires_in`); undefined when the answer had none. */
	expiresIn?: number;
}

/**
 * `POST /oauth2/token` with a form body (201 on success), used by the credential and by the per-member-CID tokens
 * of the transport. Every failure is a fresh error carrying Falcon's message only: the request, and with it the
 * client secret, never reaches an error or a log.
 */
export async function requestFalconToken(
	context: IHttpRequestHelper,
	host: string,
	{ clientId, clientSecret, memberCid, allowedDomains }: TokenRequest,
): Promise<IssuedToken> {
	if (!host)
		throw new FalconTokenError(
			'The credential has no Falcon base URL: set Base URL or choose a cloud',
		);
	const form: IDataObject = { client_id: clientId, client_secret: clientSecret };
	if (memberCid) form.member_cid = memberCid;
	const response = await postWithRetries(context, host, form, allowedDomains);
	const body = parseBody(response.body);
	const headers = lowerCaseHeaders(response.headers);
	const accessToken = (body as IDataObject | undefined)?.access_token;
	if (response.statusCode >= 300 || typeof accessToken !== 'string') {
		const errors = errorsOf(body);
		const falconMessage = errors
			.map((error) => error.message)
			.filter(Boolean)
			.join('; ');
		const traceId = traceIdOf(body, headers);
		const redirect = redirectNotFollowed(response.statusCode, headers, 'the client secret');
		const refused = new FalconTokenError(
			`Falcon refused to issue a token (HTTP ${response.statusCode}${falconMessage ? `: ${falconMessage}` : ''})${traceId ? ` [trace_id ${traceId}]` : ''}${redirect ? `. ${redirect}` : ''}`,
			response.statusCode,
			errors,
			traceId,
		);
		if (redirect) refused.homeCloud = cloudForRegion(headers['x-cs-region']);
		throw refused;
	}
	const expiresIn = Number((body as IDataObject).expires_in);
	return {
		accessToken,
		region: headers['x-cs-region'],
		expiresIn: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : undefined,
	};
}

/**
 * A token for the credential's settings and the API host to use it on. Falcon answers a token request sent to another
 * commercial cloud than the client's with a redirect (308) naming its home in `X-CS-Region`: on Autodiscover the form
 * is posted again to that cloud's own host (never to the redirect's `Location`); with a fixed cloud the mismatch is
 * named.
 */
export async function mintToken(
	context: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
	request: Pick<TokenRequest, 'memberCid' | 'allowedDomains'>,
): Promise<IssuedToken & { apiBaseUrl: string }> {
	const form: TokenRequest = {
		clientId: String(credentials.clientId ?? ''),
		clientSecret: String(credentials.clientSecret ?? ''),
		...request,
	};
	const host = configuredBaseUrl(credentials);
	const issued = await requestFalconToken(context, host, form).catch((error: unknown) => error as Error);
	if (!(issued instanceof Error)) return { ...issued, apiBaseUrl: apiHostFor(credentials, host, issued.region) };
	const home = issued instanceof FalconTokenError ? issued.homeCloud : undefined;
	if (!home || FALCON_CLOUDS[home] === host) throw withGovCloudHint(credentials, issued);
	if (credentials.cloud !== 'autodiscover') throw cloudMismatch(credentials, home) ?? issued;
	// The secret goes on to a commercial cloud only, as Autodiscover promises; a GovCloud is chosen by hand.
	if (!AUTODISCOVERED.includes(home)) throw withHome(new FalconTokenError(`This API client belongs to the ${home.toUpperCase()} cloud, which Autodiscover does not follow: choose ${home.toUpperCase()} as Cloud.`), home);
	const fromHome = await requestFalconToken(context, FALCON_CLOUDS[home], form);
	return { ...fromHome, apiBaseUrl: apiHostFor(credentials, FALCON_CLOUDS[home], fromHome.region) };
}

/**
 * Falcon does not autodiscover GovCloud clients: US-1 answers their token request with a 400 ("Failed to generate
 * access token for clientID=…"), which reads as a wrong Client ID. Other refusals are left as they are.
 */
function withGovCloudHint(credentials: ICredentialDataDecryptedObject, error: Error): Error {
	if (credentials.cloud !== 'autodiscover' || !(error instanceof FalconTokenError) || error.falconStatus !== 400) return error;
	if (!error.errors.some((entry) => /failed to generate access token/i.test(entry.message ?? ''))) return error;
	return new FalconTokenError(
		`${error.message}. If this API client belongs to a GovCloud, choose US-GOV-1 or US-GOV-2 as Cloud: Autodiscover cannot find GovCloud clients`,
		error.falconStatus,
		error.errors,
		error.traceId,
	);
}

/**
 * The API host to use once a token was issued: autodiscovery follows `X-CS-Region`; a fixed cloud that Falcon
 * places elsewhere is a configuration error worth naming.
 */
export function apiHostFor(
	credentials: ICredentialDataDecryptedObject,
	tokenHost: string,
	region: string | undefined,
): string {
	const home = cloudForRegion(region);
	if (credentials.cloud === 'autodiscover') {
		// Sent to US-1 instead, every call would come back a bare 401, with no word of where the client lives.
		if (region && !home) {
			throw new FalconTokenError(
				`Falcon places this API client in region "${region}", which Autodiscover does not know. Choose Custom and set the Base URL of that cloud's API.`,
			);
		}
		return home ? FALCON_CLOUDS[home] : tokenHost;
	}
	const mismatch = home && cloudMismatch(credentials, home);
	if (mismatch) throw mismatch;
	return tokenHost;
}

/** The error naming the client's home cloud when the credential's fixed Cloud is another one. */
function cloudMismatch(credentials: ICredentialDataDecryptedObject, home: FalconCloud): FalconTokenError | undefined {
	if (!isKnownCloud(credentials.cloud) || home === credentials.cloud) return undefined;
	const choice = AUTODISCOVERED.includes(home) ? `${home.toUpperCase()} or Autodiscover` : home.toUpperCase();
	return withHome(
		new FalconTokenError(
			`This API client belongs to the ${home.toUpperCase()} cloud, but the credential's Cloud is ${String(credentials.cloud).toUpperCase()}. Choose ${choice}.`,
		),
		home,
	);
}

/** The commercial clouds Autodiscover follows a client to. */
const AUTODISCOVERED: FalconCloud[] = ['us-1', 'us-2', 'us-3', 'eu-1'];

function withHome(error: FalconTokenError, home: FalconCloud): FalconTokenError {
	error.homeCloud = home;
	return error;
}

type TokenResponse = { statusCode: number; headers: IDataObject; body: unknown };

const TOKEN_TIMEOUT_MS = 30_000;

/**
 * The token endpoint has its own per-IP budget: a 429 is waited out as the API calls do, within the same bounds.
 * A 5xx or a dropped connection is tried again as an idempotent API call is (minting a second token is harmless),
 * so that a moment's outage does not read as a refused client or child.
 */
async function postWithRetries(
	context: IHttpRequestHelper,
	host: string,
	form: IDataObject,
	allowedDomains: string | undefined,
): Promise<TokenResponse> {
	for (let rateLimited = 0, failed = 0; ; ) {
		const response = await postTokenForm(context, host, form, allowedDomains);
		if (response instanceof FalconTokenError) {
			if (!response.retryable || failed >= retryPolicy.maxServerErrorRetries) throw response;
			await sleep(serverErrorBackoffMs(failed++));
			continue;
		}
		if (response.statusCode === 429 && rateLimited < retryPolicy.maxRateLimitRetries) {
			const waitMs = rateLimitWaitMs(lowerCaseHeaders(response.headers));
			if (waitMs > retryPolicy.maxRateLimitWaitMs) return response;
			rateLimited++;
			await sleep(waitMs);
			continue;
		}
		if (response.statusCode >= 500 && failed < retryPolicy.maxServerErrorRetries) {
			await sleep(serverErrorBackoffMs(failed++));
			continue;
		}
		return response;
	}
}

/** Falcon's answer, or the FalconTokenError saying it could not be reached. */
async function postTokenForm(
	context: IHttpRequestHelper,
	host: string,
	form: IDataObject,
	allowedDomains: string | undefined,
): Promise<TokenResponse | FalconTokenError> {
	const response = await context.helpers
		.httpRequest({
			method: 'POST',
			url: `${host}/oauth2/token`,
			body: form,
			headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			// A redirect would repeat the form, client secret included, to wherever it points.
			disableFollowRedirect: true,
			json: true,
			// Falcon answers the token call in well under a second; n8n's default would wait 5 minutes per try.
			timeout: TOKEN_TIMEOUT_MS,
			...(allowedDomains ? { allowedDomains } : {}),
		})
		.catch((error: unknown) => {
			const { networkCode, message } = describeHttpFailure(error);
			// n8n's refusal of a host outside the credential's allowed domains: a setting, not an outage.
			if (/^Domain not allowed/.test(message)) return new FalconTokenError(message);
			const failed = new FalconTokenError(`Could not reach ${withoutUserinfo(host)}/oauth2/token (${networkCode ?? 'network error'})`);
			failed.unreachable = true;
			failed.retryable = isRetryableNetworkError(networkCode);
			return failed;
		});
	return response as TokenResponse | FalconTokenError;
}

/** A Custom Base URL may carry a gateway's user and password (`https://user:pass@host`): never in a message. */
function withoutUserinfo(url: string): string {
	return url.replace(/^(https?:\/\/)[^/]*@/i, '$1');
}
