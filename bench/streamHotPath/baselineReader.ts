/* eslint-disable @n8n/community-nodes/no-restricted-imports -- benchmark code, never part of the package */
import { get } from 'node:http';

/**
 * The yardstick: what reading the feed costs with nothing but node:http, a split on newlines and JSON.parse.
 * Resolves once `events` events were parsed.
 */
export async function readBaseline(feedUrl: string, events: number): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		const request = get(feedUrl, { headers: { Authorization: 'Token bench-session-0' } }, (response) => {
			response.setEncoding('utf8');
			let rest = '';
			let parsed = 0;
			let lastOffset = -1;
			response.on('data', (chunk: string) => {
				const text = rest + chunk;
				let start = 0;
				for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
					const line = text.slice(start, end);
					start = end + 1;
					if (line === '') continue;
					lastOffset = (JSON.parse(line) as { metadata: { offset: number } }).metadata.offset;
					if (++parsed === events) {
						response.destroy();
						if (lastOffset !== events - 1) reject(new Error(`read up to offset ${lastOffset}, expected ${events - 1}`));
						resolve();
						return;
					}
				}
				rest = text.slice(start);
			});
			response.on('error', reject);
		});
		request.on('error', reject);
	});
}
