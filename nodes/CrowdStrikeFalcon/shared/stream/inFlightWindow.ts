/**
 * Caps the executions started whose events are not yet committed. When the cap is reached, `acquire` waits; the feed reader waits
 * with it and stops pulling bytes, so TCP pushes back on Falcon instead of events piling up in memory.
 */
export class InFlightWindow {
	private used = 0;
	private readonly waiters: Array<() => void> = [];

	constructor(readonly capacity: number) {}

	get inFlight(): number {
		return this.used;
	}

	get full(): boolean {
		return this.used >= this.capacity;
	}

	async acquire(signal?: AbortSignal): Promise<void> {
		while (this.used >= this.capacity) {
			if (signal?.aborted) throw abortError(signal);
			await new Promise<void>((resolve, reject) => {
				const onAbort = () => {
					const index = this.waiters.indexOf(wake);
					if (index !== -1) this.waiters.splice(index, 1);
					reject(abortError(signal!));
				};
				const wake = () => {
					signal?.removeEventListener('abort', onAbort);
					resolve();
				};
				this.waiters.push(wake);
				signal?.addEventListener('abort', onAbort, { once: true });
			});
		}
		this.used++;
	}

	/** Takes a slot without waiting, even past the capacity (for executions owed from before a restart). */
	take(): void {
		this.used++;
	}

	release(): void {
		this.used = Math.max(0, this.used - 1);
		this.waiters.shift()?.();
	}
}

function abortError(signal: AbortSignal): Error {
	return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}
