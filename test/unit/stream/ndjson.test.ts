import { NdjsonSplitter, type FeedLine } from '../../../nodes/CrowdStrikeFalcon/shared/stream/ndjson';
import { parseEventLine } from '../../../nodes/CrowdStrikeFalcon/shared/stream/events';

const bytes = (text: string) => new TextEncoder().encode(text);

function feed(splitter: NdjsonSplitter, chunks: Uint8Array[]): FeedLine[] {
	return chunks.flatMap((chunk) => splitter.push(chunk));
}

function texts(lines: FeedLine[]): string[] {
	return lines.filter((line) => typeof line === 'string');
}

const kindOf = (line: FeedLine) => (typeof line === 'string' ? 'line' : line.kind);

describe('NdjsonSplitter', () => {
	it('joins a line split across chunks at every possible byte boundary', () => {
		const payload = bytes('{"metadata":{"offset":1}}\n{"metadata":{"offset":2}}\n');
		for (let cut = 1; cut < payload.length; cut++) {
			const lines = feed(new NdjsonSplitter(), [payload.subarray(0, cut), payload.subarray(cut)]);
			expect(texts(lines)).toEqual(['{"metadata":{"offset":1}}', '{"metadata":{"offset":2}}']);
		}
	});

	it('delivers one byte at a time', () => {
		const payload = bytes('{"a":1}\n\n{"b":2}\n');
		const lines = feed(new NdjsonSplitter(), [...payload].map((byte) => Uint8Array.of(byte)));
		expect(lines).toEqual(['{"a":1}', { kind: 'keepAlive' }, '{"b":2}']);
	});

	it('reports blank and whitespace-only lines as keep-alives, including CRLF', () => {
		const lines = feed(new NdjsonSplitter(), [bytes('\n\r\n   \n{"x":1}\r\n')]);
		expect(lines.map(kindOf)).toEqual(['keepAlive', 'keepAlive', 'keepAlive', 'line']);
		expect(JSON.parse(lines[3] as string)).toEqual({ x: 1 });
	});

	it('decodes multi-byte characters split across chunks', () => {
		const text = '{"metadata":{"offset":7},"event":{"UserName":"Zoë 東京 🛡️"}}\n';
		const payload = bytes(text);
		for (let cut = 1; cut < payload.length; cut++) {
			const lines = feed(new NdjsonSplitter(), [payload.subarray(0, cut), payload.subarray(cut)]);
			expect(texts(lines)).toEqual([text.trimEnd()]);
		}
	});

	it('copies kept bytes, so a stream reusing its buffer cannot corrupt a pending line', () => {
		const splitter = new NdjsonSplitter();
		const buffer = bytes('{"a":');
		splitter.push(buffer);
		buffer.fill(0x20);
		expect(texts(splitter.push(bytes('1}\n')))).toEqual(['{"a":1}']);
	});

	it('skips a line over the size guard without buffering it, then carries on', () => {
		const splitter = new NdjsonSplitter(64);
		const huge = 'x'.repeat(1000);
		const lines = feed(splitter, [bytes('{"ok":1}\n{"big":"'), bytes(huge), bytes(huge), bytes('"}\n{"ok":2}\n')]);
		expect(splitter.bufferedBytes).toBe(0);
		expect(lines.map(kindOf)).toEqual(['line', 'oversized', 'line']);
		expect((lines[1] as { bytes: number }).bytes).toBe(2010);
		expect(texts(lines)).toEqual(['{"ok":1}', '{"ok":2}']);
	});

	it('never holds more than the guard while skipping', () => {
		const splitter = new NdjsonSplitter(1024);
		for (let i = 0; i < 1000; i++) splitter.push(bytes('y'.repeat(10_000)));
		// Only the count is kept, not the bytes.
		expect(splitter.bufferedBytes).toBe(10_000_000);
		expect(splitter.push(bytes('\n'))).toEqual([{ kind: 'oversized', bytes: 10_000_000 }]);
	});

	it('decodes multi-byte characters at every cut of a chunk holding several lines', () => {
		const text = ['{"a":"ä"}', '{"b":"東京"}', '', '{"c":"🛡️ x"}', '{"d":1}'].join('\n') + '\n';
		const payload = bytes(text);
		for (let first = 1; first < payload.length; first++) {
			for (const second of [first + 1, first + 3, first + 7]) {
				if (second >= payload.length) continue;
				const chunks = [payload.subarray(0, first), payload.subarray(first, second), payload.subarray(second)];
				expect(texts(feed(new NdjsonSplitter(), chunks))).toEqual(['{"a":"ä"}', '{"b":"東京"}', '{"c":"🛡️ x"}', '{"d":1}']);
			}
		}
	});

	it('reads Uint8Array views on a larger buffer, not only Buffers', () => {
		const backing = bytes('xx{"a":1}\n{"b":2}\nyy');
		const view = new Uint8Array(backing.buffer, 2, backing.length - 4);
		expect(texts(new NdjsonSplitter().push(view))).toEqual(['{"a":1}', '{"b":2}']);
	});

	it('keeps a CRLF line\'s text as it was (JSON.parse ignores the CR), and CRLF blank lines are keep-alives', () => {
		const lines = feed(new NdjsonSplitter(), [bytes('{"a":1}\r\n\r\n{"b":'), bytes('2}\r\n')]);
		expect(lines).toEqual(['{"a":1}\r', { kind: 'keepAlive' }, '{"b":2}\r']);
	});

	it('treats lines of Unicode whitespace as keep-alives and drops a byte order mark, as TextDecoder and trim did', () => {
		const lines = feed(new NdjsonSplitter(), [bytes('\u00a0\u2003\t\n\ufeff{"a":1}\n\ufeff\n x \n')]);
		expect(lines).toEqual([
			{ kind: 'keepAlive' },
			'{"a":1}',
			{ kind: 'keepAlive' },
			' x ',
		]);
	});

	it('measures each line against the guard when a chunk\'s complete lines together exceed it', () => {
		const splitter = new NdjsonSplitter(16);
		const lines = splitter.push(bytes('{"a":1}\n{"long":"0123456789"}\n{"b":2}\n\n'));
		expect(lines).toEqual([
			'{"a":1}',
			{ kind: 'oversized', bytes: 21 },
			'{"b":2}',
			{ kind: 'keepAlive' },
		]);
	});

	it('forgets a line cut off by a dropped connection', () => {
		const splitter = new NdjsonSplitter();
		splitter.push(bytes('{"metadata":{"offset":3},"ev'));
		splitter.reset();
		expect(texts(splitter.push(bytes('{"metadata":{"offset":3}}\n')))).toEqual(['{"metadata":{"offset":3}}']);
	});
});

describe('parseEventLine', () => {
	it('reads numeric and numeric-string offsets', () => {
		expect(parseEventLine('{"metadata":{"offset":12},"event":{}}')?.metadata.offset).toBe(12);
		expect(parseEventLine('{"metadata":{"offset":"13"},"event":{}}')?.metadata.offset).toBe(13);
	});

	it('rejects lines that are not events', () => {
		expect(parseEventLine('{"metadata":{"offset":-1}}')).toBeUndefined();
		expect(parseEventLine('{"metadata":{}}')).toBeUndefined();
		expect(parseEventLine('not json')).toBeUndefined();
		expect(parseEventLine('42')).toBeUndefined();
	});
});
