import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { configuredBaseUrl, FALCON_CLOUDS } from '../nodes/CrowdStrikeFalcon/shared/transport/clouds';
import { credentialMemberCid } from '../nodes/CrowdStrikeFalcon/shared/transport/memberCid';
import { mintToken } from '../nodes/CrowdStrikeFalcon/shared/transport/token';
import { mintedFor, tokenIsForOtherSettings } from '../nodes/CrowdStrikeFalcon/shared/transport/mintedFor';

/** Requests `authenticate` sent without the stored token, because it was minted for other settings. */
const sentWithoutToken = new WeakSet<IHttpRequestOptions>();

export class CrowdStrikeFalconOAuth2Api implements ICredentialType {
	name = 'crowdStrikeFalconOAuth2Api';

	displayName = 'CrowdStrike Falcon OAuth2 API';

	icon: Icon = {
		light: 'file:../icons/crowdstrike-falcon.svg',
		dark: 'file:../icons/crowdstrike-falcon.dark.svg',
	};

	documentationUrl =
		'https://github.com/n8n-nodes-crowdstrike-falcon/n8n-nodes-crowdstrike-falcon#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Cloud',
			name: 'cloud',
			type: 'options',
			options: [
				{ name: 'US-1', value: 'us-1', description: FALCON_CLOUDS['us-1'] },
				{ name: 'US-2', value: 'us-2', description: FALCON_CLOUDS['us-2'] },
				{ name: 'US-3', value: 'us-3', description: FALCON_CLOUDS['us-3'] },
				{ name: 'EU-1', value: 'eu-1', description: FALCON_CLOUDS['eu-1'] },
				{ name: 'US-GOV-1', value: 'us-gov-1', description: FALCON_CLOUDS['us-gov-1'] },
				{ name: 'US-GOV-2', value: 'us-gov-2', description: FALCON_CLOUDS['us-gov-2'] },
				{
					name: 'Autodiscover (Commercial Clouds)',
					value: 'autodiscover',
					description:
						'Request the token from US-1 and follow the X-CS-Region header to the home cloud of the API client. Not available for GovCloud.',
				},
				{ name: 'Custom URL', value: 'custom', description: 'For example the local Falcon simulator' },
			],
			default: 'autodiscover',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'http://127.0.0.1:8399',
			required: true,
			displayOptions: { show: { cloud: ['custom'] } },
			description: 'Base URL of the Falcon API, without a trailing path',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Member CID',
			name: 'memberCid',
			type: 'string',
			default: '',
			description:
				'MSSP only: the child CID every node acts on by default. The token is then locked to that child tenant. A node\'s own Member CID (Tenant option) overrides it.',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'API Base URL',
			name: 'apiBaseUrl',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Minted For',
			name: 'mintedFor',
			type: 'hidden',
			default: '',
		},
	];

	// n8n calls this when the stored token is empty or a request answered 401, and persists what it returns.
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const { accessToken, apiBaseUrl } = await mintToken(this, credentials, { memberCid: credentialMemberCid(credentials) });
		return { accessToken, apiBaseUrl, mintedFor: mintedFor(credentials) };
	}

	// A function rather than a header template: it also points relative requests at the resolved cloud.
	authenticate: IAuthenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => {
		const isAbsolute = /^https?:\/\//i.test(requestOptions.url);
		if (tokenIsForOtherSettings(credentials)) {
			// Settings that cannot mint a token fail here, before the refusal below is sent for nothing.
			credentialMemberCid(credentials);
			// The credential was edited since its token was minted (another cloud, client or Member CID): sent without
			// it, the request is refused (401), and n8n mints a token for the settings as they are and repeats it.
			const headers = { ...requestOptions.headers };
			delete headers.Authorization;
			const refused = { ...requestOptions, ...(isAbsolute ? {} : { baseURL: configuredBaseUrl(credentials) }), headers };
			sentWithoutToken.add(refused);
			return refused;
		}
		// n8n repeats a refused request with the options this returned for it: a base URL set for the refusal is
		// replaced by the new token's (Autodiscover may have found another cloud).
		// An empty one (the test request on Autodiscover) is the token's too.
		const keptBaseURL = sentWithoutToken.has(requestOptions) ? undefined : requestOptions.baseURL || undefined;
		const baseURL =
			keptBaseURL ?? (isAbsolute ? undefined : String(credentials.apiBaseUrl || configuredBaseUrl(credentials)));
		return {
			...requestOptions,
			...(baseURL ? { baseURL } : {}),
			headers: { ...requestOptions.headers, Authorization: `Bearer ${credentials.accessToken}` },
		};
	};

	// The token endpoint needs no API scope, so the test passes for any valid client, whatever it may call. With a
	// Member CID the token is asked for that child, as nodes ask for it: a CID the client does not manage fails here.
	// On Autodiscover the base URL is left empty: n8n mints the token first (preAuthentication, which follows the
	// client to its home cloud), and `authenticate` sends the test to the host that token was minted on. US-1 would
	// answer a client of another cloud with a redirect.
	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ $credentials.cloud === "custom" ? String($credentials.baseUrl).trim().replace(/\\/+$/, "") : $credentials.cloud === "autodiscover" ? "" : ({"us-1": "https://api.crowdstrike.com", "us-2": "https://api.us-2.crowdstrike.com", "us-3": "https://api.us-3.crowdstrike.com", "eu-1": "https://api.eu-1.crowdstrike.com", "us-gov-1": "https://api.laggar.gcw.crowdstrike.com", "us-gov-2": "https://api.us-gov-2.crowdstrike.mil"})[$credentials.cloud] || "https://unknown-cloud.invalid" }}',
			url: '/oauth2/token',
			method: 'POST',
			disableFollowRedirect: true,
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: '={{ Object.assign({ client_id: $credentials.clientId, client_secret: $credentials.clientSecret }, String($credentials.memberCid || "").trim() ? { member_cid: String($credentials.memberCid).trim().toLowerCase().replace(/-[0-9a-f]{2}$/, "") } : {}) }}',
		},
		// n8n shows only the HTTP status text otherwise ("Forbidden"), which names nothing to fix. A Member CID that is
		// not a CID never gets this far: minting the token for the test (preAuthentication) refuses it by name.
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'Falcon refused a token (403). Check the Client ID and Client Secret (a secret rotated in Falcon?); with a Member CID, is it a child this API client manages ("CrowdStrike Falcon Flight Control > Child > Get Many" lists them)? Then the API client\'s IP allowlist.',
				},
			},
			{
				// Only a token minted before the Cloud was changed sends the test to US-1 on Autodiscover (preAuthentication
				// then does not run), and US-1 answers a client of another cloud with a redirect.
				type: 'responseCode',
				properties: {
					value: 308,
					message:
						'Falcon answered with a redirect: this API client belongs to another cloud than the one asked. Choose its cloud (US-2, US-3 or EU-1) as Cloud; on Autodiscover, nodes follow it there when they first use the credential.',
				},
			},
		],
	};
}
