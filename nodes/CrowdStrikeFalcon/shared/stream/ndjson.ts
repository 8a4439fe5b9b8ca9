/**
 * What one line of the feed turned out to be: its text (most lines; a plain string, so an event's line costs no
 * object of its own), or one of the two lines that carry no event.
 */
export type FeedLine =
	| string
	/** A blank line: Falcon's keep-alive. */
	| { kind: 'keepAlive' }
	/** A line longer than the guard; its bytes were dropped as they arrived, never buffered. */
	| { kind: 'oversized'; bytes: number };

/** Falcon events are a few kB; a line far beyond that is a broken feed, not an event worth holding in memory. */
export const DEFAULT_MAX_LINE_BYTES = 8 * 1024 * 1024;

const NEWLINE = 0x0a;
const OPENING_BRACE = 0x7b;
const BYTE_ORDER_MARK = 0xfeff;
const KEEP_ALIVE: FeedLine = Object.freeze({ kind: 'keepAlive' });

/**
 * Splits the feed's bytes into lines. Lines may end anywhere inside a chunk, and a multi-byte character may be
 * split across chunks, so the split is made on the newline byte (never part of a multi-byte character) and only
 * complete lines are decoded: the lines a chunk completes are decoded together, in one call, and cut apart as text.
 * A line that grows past `maxLineBytes` is counted and skipped, so memory stays bounded whatever the server sends.
 */
export class NdjsonSplitter {
	private pending: Buffer[] = [];
	private pendingBytes = 0;
	private skipping = false;

	constructor(private readonly maxLineBytes = DEFAULT_MAX_LINE_BYTES) {}

	/** Bytes of the line not yet terminated (what a dropped connection would lose). */
	get bufferedBytes(): number {
		return this.pendingBytes;
	}

	push(chunk: Uint8Array): FeedLine[] {
		const bytes = asBuffer(chunk);
		const lines: FeedLine[] = [];
		let start = 0;
		if (this.pendingBytes > 0 || this.skipping) {
			const end = bytes.indexOf(NEWLINE);
			if (end === -1) {
				this.keep(bytes);
				return lines;
			}
			lines.push(this.finishKept(bytes, end));
			start = end + 1;
		}
		const last = bytes.lastIndexOf(NEWLINE);
		if (last >= start) {
			// No line between them can pass the guard when the whole stretch does not.
			if (last - start <= this.maxLineBytes) splitText(bytes.toString('utf8', start, last), lines);
			else this.splitGuarded(bytes, start, last, lines);
			start = last + 1;
		}
		if (start < bytes.length) this.keep(bytes.subarray(start));
		return lines;
	}

	/** The unterminated tail is a line cut off by a dropped connection: never parse it, just forget it. */
	reset(): void {
		this.pending = [];
		this.pendingBytes = 0;
		this.skipping = false;
	}

	private keep(bytes: Buffer): void {
		this.pendingBytes += bytes.length;
		if (this.skipping) return;
		if (this.pendingBytes > this.maxLineBytes) {
			this.skipping = true;
			this.pending = [];
			return;
		}
		// Copy: the caller's chunk may be a view on a buffer that the stream reuses.
		this.pending.push(Buffer.from(bytes));
	}

	/** A line that began in an earlier chunk ends at `end` of this one. */
	private finishKept(bytes: Buffer, end: number): FeedLine {
		const total = this.pendingBytes + end;
		const skipped = this.skipping || total > this.maxLineBytes;
		const parts = skipped ? [] : [...this.pending, bytes.subarray(0, end)];
		this.reset();
		if (skipped) return { kind: 'oversized', bytes: total };
		return lineOf(Buffer.concat(parts, total).toString('utf8'));
	}

	/** Line by line, each measured against the guard before it is decoded. */
	private splitGuarded(bytes: Buffer, start: number, last: number, lines: FeedLine[]): void {
		for (let end = bytes.indexOf(NEWLINE, start); end !== -1 && end <= last; end = bytes.indexOf(NEWLINE, start)) {
			const length = end - start;
			lines.push(length > this.maxLineBytes ? { kind: 'oversized', bytes: length } : lineOf(bytes.toString('utf8', start, end)));
			start = end + 1;
		}
	}
}

function asBuffer(chunk: Uint8Array): Buffer {
	return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** Complete lines, decoded together, cut at each newline. */
function splitText(text: string, lines: FeedLine[]): void {
	for (let start = 0; ; ) {
		const end = text.indexOf('\n', start);
		if (end === -1) {
			lines.push(lineOf(text.slice(start)));
			return;
		}
		lines.push(lineOf(text.slice(start, end)));
		start = end + 1;
	}
}

function lineOf(text: string): FeedLine {
	// An event starts with `{`; anything else is looked at more closely.
	if (text.charCodeAt(0) === OPENING_BRACE) return text;
	// A byte order mark is dropped, as the TextDecoder that used to read the feed did at the start of each line.
	const body = text.charCodeAt(0) === BYTE_ORDER_MARK ? text.slice(1) : text;
	return body.trim() === '' ? KEEP_ALIVE : body;
}
