import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeProperties,
	IRequestOptionsSimplified,
} from 'n8n-workflow';
import { ICredentialsHelper } from 'n8n-workflow';

import { CrowdStrikeFalconOAuth2Api } from '../../credentials/CrowdStrikeFalconOAuth2Api.credentials';

export const FALCON_CREDENTIAL = 'crowdStrikeFalconOAuth2Api';

export interface FalconCredentialData {
	cloud: string;
	baseUrl?: string;
	clientId: string;
	clientSecret: string;
	memberCid?: string;
	accessToken?: string;
	apiBaseUrl?: string;
	/** What the stored token was minted for (the credential's hidden `mintedFor`). */
	mintedFor?: string;
}

/**
 * Stands in for n8n's CredentialsHelper: stores decrypted data in memory, and runs the credential's real
 * `preAuthentication` (when the expirable token is empty or a request got a 401) and `authenticate`.
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	readonly credentialType: ICredentialType = new CrowdStrikeFalconOAuth2Api();

	/** How often a token was minted, and why. */
	readonly preAuthentications: Array<{ expired: boolean }> = [];
	/** How often a node read (decrypted) the credential. */
	decryptions = 0;

	private data: FalconCredentialData;

	constructor(data: FalconCredentialData) {
		super();
		this.data = { accessToken: '', apiBaseUrl: '', memberCid: '', ...data };
	}

	get stored(): FalconCredentialData {
		return { ...this.data };
	}

	/** The credential as a user's save changes it (n8n keeps the hidden fields across a save). */
	edit(changes: Partial<FalconCredentialData>): void {
		this.data = { ...this.data, ...changes };
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		_typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.credentialType;
		if (typeof authenticate !== 'function') throw new Error('expected a function authenticator');
		return await authenticate(credentials, requestOptions as IHttpRequestOptions);
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		_typeName: string,
		_node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		if (credentials.accessToken !== '' && !credentialsExpired) return undefined;
		this.preAuthentications.push({ expired: credentialsExpired });
		const output = await this.credentialType.preAuthentication!.call(helpers, credentials);
		this.data = { ...this.data, ...output } as FalconCredentialData;
		return Object.assign(credentials, output);
	}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used by these tests');
	}

	async getDecrypted(): Promise<ICredentialDataDecryptedObject> {
		this.decryptions++;
		return { ...this.data } as ICredentialDataDecryptedObject;
	}

	async updateCredentials(
		_nodeCredentials: INodeCredentialsDetails,
		_type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.data = { ...this.data, ...data } as FalconCredentialData;
	}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(): INodeProperties[] {
		return this.credentialType.properties;
	}

	/** Makes the stored token stale, as if Falcon had expired it. */
	expireToken(replacement = 'expired-token'): void {
		this.data.accessToken = replacement;
	}
}
