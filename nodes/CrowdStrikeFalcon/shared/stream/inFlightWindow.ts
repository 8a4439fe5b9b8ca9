interface Waiter {
	wake(): void;
	fail(error: Error): void;
}

/**
 * Caps the executions started whose events are not yet committed. When the cap is reached, `acquire` waits; the feed reader waits
 * with it and stops pulling bytes, so TCP pushes back on Falcon instead of events piling up in memory.
 */
export class InFlightWindow {
	private used = 0;
	private readonly waiters: Waiter[] = [];

	constructor(readonly capacity: number) {}

	get inFlight(): number {
		return this.used;
	}

	get full(): boolean {
		return this.used >= this.capacity;
	}

	/**
	 * Waits for a free slot and takes it. With a signal, the wait ends with its abort (a listener for the wait);
	 * without one, only `cancelWaiting` ends it.
	 */
	acquire(signal?: AbortSignal): Promise<void> {
		if (this.tryTake()) return Promise.resolve();
		if (signal?.aborted) return Promise.reject(abortError(signal));
		// `release` hands the slot over, already counted, so a `tryTake` in between cannot take it first.
		return new Promise<void>((resolve, reject) => {
			const onAbort = () => {
				this.forget(waiter);
				reject(abortError(signal!));
			};
			const waiter: Waiter = {
				wake: () => {
					signal?.removeEventListener('abort', onAbort);
					resolve();
				},
				fail: (error) => {
					signal?.removeEventListener('abort', onAbort);
					reject(error);
				},
			};
			this.waiters.push(waiter);
			signal?.addEventListener('abort', onAbort, { once: true });
		});
	}

	/** Takes a slot if one is free and nobody is queued for it; false otherwise. Never waits. */
	tryTake(): boolean {
		if (this.used >= this.capacity || this.waiters.length > 0) return false;
		this.used++;
		return true;
	}

	/** Takes a slot without waiting, even past the capacity (for executions owed from before a restart). */
	take(): void {
		this.used++;
	}

	release(): void {
		this.used = Math.max(0, this.used - 1);
		if (this.used >= this.capacity || this.waiters.length === 0) return;
		this.used++;
		this.waiters.shift()!.wake();
	}

	/** Ends every wait with `error` (the owner is closing). */
	cancelWaiting(error: Error): void {
		for (const waiter of this.waiters.splice(0)) waiter.fail(error);
	}

	private forget(waiter: Waiter): void {
		const index = this.waiters.indexOf(waiter);
		if (index !== -1) this.waiters.splice(index, 1);
	}
}

function abortError(signal: AbortSignal): Error {
	return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}
