/** A feed body read one chunk at a time. */
export interface FeedChunks {
	/** A chunk already received, handed over without waiting; undefined when none is queued. */
	take(): Uint8Array | undefined;
	/** Resolves true once a chunk is queued, false at the end of the body; rejects when the body failed. */
	wait(): Promise<boolean>;
	/** Stops reading and releases the body. */
	close(): void;
}

interface NodeReadable extends AsyncIterable<Uint8Array> {
	on(event: string, listener: (argument: never) => void): unknown;
	off(event: string, listener: (argument: never) => void): unknown;
	pause(): unknown;
	resume(): unknown;
	destroy(): unknown;
}

/**
 * A Node stream (what n8n's request helper returns) is read through its 'data' events, chunk by chunk as they
 * arrived: its async iterator would join everything buffered into a new Buffer at every step, copying each byte
 * once more. Anything else is read through its async iterator.
 */
export function feedChunks(body: AsyncIterable<Uint8Array>): FeedChunks {
	return isNodeReadable(body) ? new ReadableChunks(body) : new IteratedChunks(body);
}

function isNodeReadable(body: AsyncIterable<Uint8Array>): body is NodeReadable {
	const candidate = body as Partial<NodeReadable>;
	return ['on', 'off', 'pause', 'resume', 'destroy'].every(
		(method) => typeof candidate[method as keyof NodeReadable] === 'function',
	);
}

class ReadableChunks implements FeedChunks {
	private queued: Uint8Array | undefined;
	private ended = false;
	private failure: Error | undefined;
	private wake: (() => void) | undefined;

	private readonly onData = (chunk: Uint8Array) => {
		this.queued = chunk;
		// One chunk waits here at most; the rest stays in the socket, and TCP slows Falcon down.
		this.body.pause();
		this.wake?.();
	};

	private readonly onEnd = () => {
		this.ended = true;
		this.wake?.();
	};

	private readonly onError = (error: Error) => {
		this.failure ??= error;
		this.wake?.();
	};

	private readonly onClose = () => {
		if (!this.ended) this.failure ??= new Error('Premature close');
		this.wake?.();
	};

	constructor(private readonly body: NodeReadable) {
		body.on('end', this.onEnd);
		body.on('error', this.onError);
		body.on('close', this.onClose);
		body.on('data', this.onData);
	}

	take(): Uint8Array | undefined {
		const chunk = this.queued;
		if (chunk === undefined) return undefined;
		this.queued = undefined;
		this.body.resume();
		return chunk;
	}

	async wait(): Promise<boolean> {
		while (this.queued === undefined) {
			if (this.failure) throw this.failure;
			if (this.ended) return false;
			await new Promise<void>((resolve) => (this.wake = resolve));
			this.wake = undefined;
		}
		return true;
	}

	close(): void {
		this.body.off('data', this.onData);
		this.body.off('end', this.onEnd);
		this.body.off('close', this.onClose);
		// Errors may still come while the socket is torn down; they have nobody to tell.
		this.body.off('error', this.onError);
		this.body.on('error', () => undefined);
		this.body.destroy();
	}
}

class IteratedChunks implements FeedChunks {
	private readonly iterator: AsyncIterator<Uint8Array>;
	private queued: Uint8Array | undefined;

	constructor(body: AsyncIterable<Uint8Array>) {
		this.iterator = body[Symbol.asyncIterator]();
	}

	take(): Uint8Array | undefined {
		const chunk = this.queued;
		this.queued = undefined;
		return chunk;
	}

	async wait(): Promise<boolean> {
		if (this.queued !== undefined) return true;
		const next = await this.iterator.next();
		if (next.done) return false;
		this.queued = next.value;
		return true;
	}

	close(): void {
		void this.iterator.return?.()?.catch(() => undefined);
	}
}
