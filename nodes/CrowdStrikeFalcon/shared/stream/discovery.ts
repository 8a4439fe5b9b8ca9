import type { IDataObject } from 'n8n-workflow';

import { resourcesOf } from '../transport/envelope';
import { falconRequest, type FalconContext } from '../transport/falconRequest';
import { falconClockAheadMs } from '../transport/headers';

export const DISCOVERY_PATH = '/sensors/entities/datafeed/v2';
export const REFRESH_PATH = '/sensors/entities/datafeed-actions/v1/{partition}';

/** One partition's feed as discovery hands it out. */
export interface StreamSession {
	partition: number;
	/** Absolute URL of the feed (firehose host), including `?appId=`. */
	feedUrl: string;
	/** Credential for the feed only (`Authorization: Token ...`), not the OAuth token. */
	sessionToken: string;
	sessionTokenExpiresAt?: string;
	refreshUrl: string;
	refreshIntervalSeconds: number;
	/** When discovery was asked (epoch ms): Falcon's refresh interval runs from the session's creation. */
	issuedAt: number;
}

export type StreamFormat = 'json' | 'flatjson';

/**
 * `listAvailableStreamsOAuth2`: the feeds this App ID may open now, one per partition, and how far Falcon's clock was
 * ahead of this server's (ms, negative when behind; 0 without a `Date` header): events' creation times are on its clock.
 */
export async function discoverStreams(
	this: FalconContext,
	appId: string,
	options: { format?: StreamFormat; abortSignal?: AbortSignal; memberCid?: string } = {},
): Promise<{ sessions: StreamSession[]; resources: IDataObject[]; falconAheadMs: number }> {
	const issuedAt = Date.now();
	const { body, headers } = await falconRequest.call(this, {
		method: 'GET',
		path: DISCOVERY_PATH,
		qs: { appId, ...(options.format && options.format !== 'json' ? { format: options.format } : {}) },
		abortSignal: options.abortSignal,
		memberCid: options.memberCid,
	});
	const resources = resourcesOf(body);
	const falconAheadMs = falconClockAheadMs(headers) ?? 0;
	const sessions = resources
		.map((resource) => toSession(resource, issuedAt))
		.filter((session): session is StreamSession => session !== undefined);
	return { sessions, resources, falconAheadMs };
}

/** `refreshActiveStreamSession`: keeps the partition's open feed alive for another interval. */
export async function refreshStreamSession(
	this: FalconContext,
	appId: string,
	partition: number,
	abortSignal?: AbortSignal,
	/** The child tenant whose stream this is (see FalconRequest.memberCid); the node's own when undefined. */
	memberCid?: string,
): Promise<void> {
	// Built from the partition rather than taken from refreshActiveSessionURL, so the OAuth token only ever goes
	// to the credential's own API host, never to a host named in a response.
	await falconRequest.call(this, {
		method: 'POST',
		path: REFRESH_PATH.replace('{partition}', String(partition)),
		qs: { action_name: 'refresh_active_stream_session', appId },
		// An empty JSON object, as FalconPy and gofalcon send: Falcon expects a JSON body on this POST.
		body: {},
		idempotent: true,
		abortSignal,
		memberCid,
	});
}

function toSession(resource: IDataObject, issuedAt: number): StreamSession | undefined {
	const feedUrl = typeof resource.dataFeedURL === 'string' ? resource.dataFeedURL : undefined;
	const token = (resource.sessionToken as IDataObject | undefined)?.token;
	if (!feedUrl || typeof token !== 'string') return undefined;
	const refreshUrl = String(resource.refreshActiveSessionURL ?? '');
	const partition = partitionOf(refreshUrl, /datafeed-actions\/v1\/(\d+)/) ?? partitionOf(feedUrl, /datafeed\/v1\/(\d+)/);
	if (partition === undefined) return undefined;
	const interval = Number(resource.refreshActiveSessionInterval);
	return {
		partition,
		feedUrl,
		sessionToken: token,
		sessionTokenExpiresAt: (resource.sessionToken as IDataObject).expiration as string | undefined,
		refreshUrl,
		refreshIntervalSeconds: Number.isFinite(interval) && interval > 0 ? interval : 1800,
		issuedAt,
	};
}

/** The partition is only in the URLs; the refresh URL names it most reliably (gofalcon's hard-coded 0 is a bug). */
function partitionOf(url: string, pattern: RegExp): number | undefined {
	const match = pattern.exec(url);
	return match ? Number(match[1]) : undefined;
}
