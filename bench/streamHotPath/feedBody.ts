/* eslint-disable @n8n/community-nodes/no-restricted-imports -- benchmark code, never part of the package */
import { get } from 'node:http';
import type { Readable } from 'node:stream';

import type { IHttpRequestOptions } from 'n8n-workflow';

/** Opens the loopback feed and resolves with its body, a byte stream. */
export type OpenFeedBody = () => Promise<Readable>;

const HEADERS = { Authorization: 'Token bench-session-0' };

/** The body as node:http hands it over: what a reader outside n8n gets. */
export function withNodeHttp(feedUrl: string): OpenFeedBody {
	return async () =>
		await new Promise<Readable>((resolve, reject) => {
			get(feedUrl, { headers: HEADERS }, resolve).on('error', reject);
		});
}

/**
 * The body as n8n's request helper hands it to a node, with the options the trigger's openFeed uses: n8n 2.41
 * passes `maxContentLength: Infinity` to axios, which then wraps every streamed body in an async generator that
 * counts its bytes (axios 1.12 and later). No node can read a feed through n8n's helper without that.
 */
export function withN8nHelper(
	helpers: { httpRequest(options: IHttpRequestOptions): Promise<unknown> },
	feedUrl: string,
): OpenFeedBody {
	return async () =>
		(await helpers.httpRequest({ method: 'GET', url: feedUrl, headers: HEADERS, encoding: 'stream', timeout: 0 })) as Readable;
}
