import type { OpenFeedBody } from './feedBody';

/**
 * The yardstick: what reading the feed costs with nothing but a split on newlines and JSON.parse, on the body
 * `open` hands over. Resolves once `events` events were parsed.
 */
export async function readBaseline(open: OpenFeedBody, events: number): Promise<void> {
	const body = await open();
	await new Promise<void>((resolve, reject) => {
		body.setEncoding('utf8');
		let rest = '';
		let parsed = 0;
		let lastOffset = -1;
		body.on('data', (chunk: string) => {
			const text = rest + chunk;
			let start = 0;
			for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
				const line = text.slice(start, end);
				start = end + 1;
				if (line === '') continue;
				lastOffset = (JSON.parse(line) as { metadata: { offset: number } }).metadata.offset;
				if (++parsed === events) {
					body.destroy();
					if (lastOffset !== events - 1) reject(new Error(`read up to offset ${lastOffset}, expected ${events - 1}`));
					resolve();
					return;
				}
			}
			rest = text.slice(start);
		});
		body.on('error', reject);
	});
}
