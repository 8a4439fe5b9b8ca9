import { delay } from '../../simulator/timers';
import type { Json } from './helpers';

/** Reads an NDJSON feed over fetch, keeping every line (blank keep-alives included) and how the stream ended. */
export class FeedReader {
	readonly lines: string[] = [];
	partial = '';
	ended: 'open' | 'eof' | 'error' = 'open';
	private readonly abort = new AbortController();
	status = 0;

	static async open(url: string, token: string, headers: Record<string, string> = {}): Promise<FeedReader> {
		const reader = new FeedReader();
		const res = await fetch(url, { headers: { Authorization: `Token ${token}`, Accept: 'application/json', ...headers }, signal: reader.abort.signal });
		reader.status = res.status;
		if (res.status !== 200 || !res.body) {
			reader.ended = 'eof';
			reader.partial = await res.text();
			return reader;
		}
		void reader.consume(res.body);
		return reader;
	}

	private async consume(body: ReadableStream<Uint8Array>): Promise<void> {
		const decoder = new TextDecoder();
		const stream = body.getReader();
		try {
			for (;;) {
				const { done, value } = await stream.read();
				if (done) break;
				this.partial += decoder.decode(value, { stream: true });
				let newline = this.partial.indexOf('\n');
				while (newline >= 0) {
					this.lines.push(this.partial.slice(0, newline));
					this.partial = this.partial.slice(newline + 1);
					newline = this.partial.indexOf('\n');
				}
			}
			this.ended = 'eof';
		} catch {
			this.ended = 'error';
		}
	}

	events(): Array<{ metadata: Json; event: Json }> {
		return this.lines.filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
	}

	keepAlives(): number {
		return this.lines.filter((l) => l === '').length;
	}

	async until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (!condition()) {
			if (Date.now() > deadline) throw new Error(`feed condition not met in ${timeoutMs} ms (lines: ${this.lines.length}, ended: ${this.ended})`);
			await delay(10);
		}
	}

	close(): void {
		this.abort.abort();
	}
}
