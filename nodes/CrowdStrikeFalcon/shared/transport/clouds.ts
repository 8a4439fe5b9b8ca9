import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { FalconTokenError } from './tokenError';

export const FALCON_CLOUDS = {
	'us-1': 'https://api.crowdstrike.com',
	'us-2': 'https://api.us-2.crowdstrike.com',
	'us-3': 'https://api.us-3.crowdstrike.com',
	'eu-1': 'https://api.eu-1.crowdstrike.com',
	'us-gov-1': 'https://api.laggar.gcw.crowdstrike.com',
	'us-gov-2': 'https://api.us-gov-2.crowdstrike.mil',
} as const;

export type FalconCloud = keyof typeof FALCON_CLOUDS;

/** `X-CS-Region` spellings vary (`us-2`, `US2`, `usgov1`); compare them without case or hyphens. */
export function cloudForRegion(region: string | undefined): FalconCloud | undefined {
	if (!region) return undefined;
	const wanted = region.toLowerCase().replace(/[^a-z0-9]/g, '');
	return (Object.keys(FALCON_CLOUDS) as FalconCloud[]).find(
		(cloud) => cloud.replace(/-/g, '') === wanted,
	);
}

export function isKnownCloud(value: unknown): value is FalconCloud {
	return typeof value === 'string' && value in FALCON_CLOUDS;
}

/**
 * The host a token is first requested from: the chosen cloud, the custom URL, or US-1 for autodiscovery. Any other
 * value (an imported credential, an external secret spelling a cloud its own way) is refused before the secret is
 * sent anywhere: read as autodiscovery, a GovCloud client's secret would go to the commercial cloud.
 */
export function configuredBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const cloud = credentials.cloud;
	if (cloud === 'custom') return String(credentials.baseUrl ?? '').trim().replace(/\/+$/, '');
	if (isKnownCloud(cloud)) return FALCON_CLOUDS[cloud];
	if (cloud === 'autodiscover' || cloud === undefined) return FALCON_CLOUDS['us-1'];
	throw new FalconTokenError(
		`The credential's Cloud ${JSON.stringify(cloud)} is not one of ${[...Object.keys(FALCON_CLOUDS), 'autodiscover', 'custom'].join(', ')}: nothing was sent`,
	);
}
