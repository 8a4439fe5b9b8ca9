/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code, never part of the package */
import { PassThrough, Readable } from 'node:stream';

import { feedChunks } from '../../../nodes/CrowdStrikeFalcon/shared/stream/feedChunks';

const text = (chunk: Uint8Array | undefined) => (chunk === undefined ? undefined : Buffer.from(chunk).toString());

async function readAll(body: AsyncIterable<Uint8Array>): Promise<string[]> {
	const chunks = feedChunks(body);
	const seen: string[] = [];
	try {
		for (;;) {
			const chunk = chunks.take();
			if (chunk !== undefined) seen.push(text(chunk)!);
			else if (!(await chunks.wait())) return seen;
		}
	} finally {
		chunks.close();
	}
}

describe('feedChunks', () => {
	it('hands a Node stream\'s chunks over one by one as they arrived, never joined', async () => {
		const body = new PassThrough();
		for (const part of ['{"a":1}\n{"b"', ':2}\n', '{"c":3}\n']) body.write(part);
		body.end();
		expect(await readAll(body)).toEqual(['{"a":1}\n{"b"', ':2}\n', '{"c":3}\n']);
	});

	it('holds at most one chunk: the stream is paused until it is taken', async () => {
		const body = new PassThrough();
		const chunks = feedChunks(body);
		body.write('one');
		body.write('two');
		expect(await chunks.wait()).toBe(true);
		expect(body.isPaused()).toBe(true);
		expect(text(chunks.take())).toBe('one');
		expect(chunks.take()).toBeUndefined();
		expect(await chunks.wait()).toBe(true);
		expect(text(chunks.take())).toBe('two');
		chunks.close();
		expect(body.destroyed).toBe(true);
	});

	it('rejects when the stream fails or closes before its end', async () => {
		const failing = new PassThrough();
		const reading = readAll(failing);
		failing.write('{"a":1}\n');
		failing.destroy(new Error('socket hang up'));
		await expect(reading).rejects.toThrow('socket hang up');

		const cut = new PassThrough();
		const cutReading = readAll(cut);
		cut.write('{"a"');
		cut.destroy();
		await expect(cutReading).rejects.toThrow('Premature close');
	});

	it('reads any other async iterable through its iterator', async () => {
		async function* parts() {
			yield Buffer.from('x');
			yield Buffer.from('y');
		}
		expect(await readAll(parts())).toEqual(['x', 'y']);
		expect(await readAll(Readable.from([Buffer.from('z')]))).toEqual(['z']);
	});
});
