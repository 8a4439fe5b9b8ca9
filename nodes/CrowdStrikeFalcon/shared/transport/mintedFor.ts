import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { configuredBaseUrl } from './clouds';
import { credentialMemberCid } from './memberCid';

/**
 * What a credential's token was minted for (kept beside it as `mintedFor`): its cloud, API client and Member CID.
 * n8n keeps the stored token when the credential is edited (hidden fields survive a save), and mints a new one only
 * when it is empty or refused: a token minted for child A would go on acting on A for up to 30 minutes after Member
 * CID was changed to B.
 */
export function mintedFor(credentials: ICredentialDataDecryptedObject): string {
	let memberCid: string;
	try {
		memberCid = credentialMemberCid(credentials);
	} catch {
		memberCid = String(credentials.memberCid ?? '');
	}
	return [String(credentials.cloud ?? ''), configuredBaseUrl(credentials), String(credentials.clientId ?? '').trim(), memberCid].join('|');
}

/** Whether the stored token was minted for another cloud, client or Member CID than the credential names now. */
export function tokenIsForOtherSettings(credentials: ICredentialDataDecryptedObject): boolean {
	// Tokens stored before the fingerprint existed are used until they expire.
	const stored = credentials.mintedFor;
	return typeof stored === 'string' && stored !== '' && stored !== mintedFor(credentials);
}
