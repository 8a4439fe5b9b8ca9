import type { IHttpRequestOptions } from 'n8n-workflow';

import type { StreamSession } from './discovery';

/** Where on the partition a connection starts. */
export type FeedStart =
	/** Inclusive: the first event delivered has this offset. */
	| { offset: number }
	/** Only events that arrive after connecting (`whence=2`). */
	| { latest: true }
	/** The oldest event Falcon still retains. */
	| { oldest: true };

/** Any n8n context with the plain request helper (the feed is not an API call: it has its own token). */
export interface FeedContext {
	helpers: { httpRequest(options: IHttpRequestOptions): Promise<unknown> };
}

export interface OpenFeed {
	body: AsyncIterable<Uint8Array>;
	/** Releases the socket; safe to call more than once. */
	close(): void;
}

export function feedUrl(session: StreamSession, start: FeedStart, eventTypes: string[]): string {
	const url = new URL(session.feedUrl);
	if ('offset' in start) url.searchParams.set('offset', String(start.offset));
	if ('latest' in start) url.searchParams.set('whence', '2');
	if (eventTypes.length > 0) url.searchParams.set('eventType', eventTypes.join(','));
	return url.toString();
}

/**
 * Opens one partition's feed as a byte stream. `timeout: 0` matters: n8n's default request timeout acts as an
 * idle timeout on a streamed body and would cut a quiet feed after 5 minutes; silence is the caller's watchdog's job.
 */
export async function openFeed(
	this: FeedContext,
	session: StreamSession,
	start: FeedStart,
	eventTypes: string[],
	abortSignal: AbortSignal,
): Promise<OpenFeed> {
	const response = (await this.helpers
		.httpRequest({
			method: 'GET',
			url: feedUrl(session, start, eventTypes),
			headers: {
				Authorization: `Token ${session.sessionToken}`,
				Accept: 'application/json',
				Connection: 'Keep-Alive',
			},
			encoding: 'stream',
			timeout: 0,
			// The session token would follow a redirect to wherever it points.
			disableFollowRedirect: true,
			abortSignal,
		})
		.catch(releasingBody)) as AsyncIterable<Uint8Array> & { destroy?: () => void };
	return {
		body: response,
		close: () => response.destroy?.(),
	};
}

/**
 * A refused feed (401, 503) still carries its unread body stream, which holds the socket open until Falcon times it
 * out: released at once, and the failure passed on.
 */
function releasingBody(error: unknown): never {
	(error as { response?: { data?: { destroy?: () => void } } })?.response?.data?.destroy?.();
	throw error;
}
