/** What one line of the feed turned out to be. */
export type FeedLine =
	| { kind: 'line'; text: string }
	/** A blank line: Falcon's keep-alive. */
	| { kind: 'keepAlive' }
	/** A line longer than the guard; its bytes were dropped as they arrived, never buffered. */
	| { kind: 'oversized'; bytes: number };

/** Falcon events are a few kB; a line far beyond that is a broken feed, not an event worth holding in memory. */
export const DEFAULT_MAX_LINE_BYTES = 8 * 1024 * 1024;

const NEWLINE = 0x0a;

/**
 * Splits the feed's bytes into lines. Lines may end anywhere inside a chunk, and a multi-byte character may be
 * split across chunks, so bytes are kept until their line is complete and only then decoded. A line that grows
 * past `maxLineBytes` is counted and skipped, so memory stays bounded whatever the server sends.
 */
export class NdjsonSplitter {
	private pending: Uint8Array[] = [];
	private pendingBytes = 0;
	private skipping = false;
	private readonly decoder = new TextDecoder('utf-8');

	constructor(private readonly maxLineBytes = DEFAULT_MAX_LINE_BYTES) {}

	/** Bytes of the line not yet terminated (what a dropped connection would lose). */
	get bufferedBytes(): number {
		return this.pendingBytes;
	}

	push(chunk: Uint8Array): FeedLine[] {
		const lines: FeedLine[] = [];
		let start = 0;
		for (;;) {
			const end = chunk.indexOf(NEWLINE, start);
			if (end === -1) break;
			lines.push(this.finishLine(chunk.subarray(start, end)));
			start = end + 1;
		}
		if (start < chunk.length) this.keep(chunk.subarray(start));
		return lines;
	}

	/** The unterminated tail is a line cut off by a dropped connection: never parse it, just forget it. */
	reset(): void {
		this.pending = [];
		this.pendingBytes = 0;
		this.skipping = false;
	}

	private keep(bytes: Uint8Array): void {
		this.pendingBytes += bytes.length;
		if (this.skipping) return;
		if (this.pendingBytes > this.maxLineBytes) {
			this.skipping = true;
			this.pending = [];
			return;
		}
		// Copy: the caller's chunk may be a view on a buffer that the stream reuses.
		this.pending.push(bytes.slice());
	}

	private finishLine(tail: Uint8Array): FeedLine {
		const bytes = this.pendingBytes + tail.length;
		const skipped = this.skipping || bytes > this.maxLineBytes;
		const parts = skipped ? [] : [...this.pending, tail];
		this.reset();
		if (skipped) return { kind: 'oversized', bytes };
		const text = this.decode(parts, bytes);
		return text.trim() === '' ? { kind: 'keepAlive' } : { kind: 'line', text };
	}

	private decode(parts: Uint8Array[], total: number): string {
		if (parts.length === 1) return this.decoder.decode(parts[0]);
		const joined = new Uint8Array(total);
		let at = 0;
		for (const part of parts) {
			joined.set(part, at);
			at += part.length;
		}
		return this.decoder.decode(joined);
	}
}
