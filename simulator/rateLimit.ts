const WINDOW_MS = 60_000;

/** Sliding one-minute request budget, like Falcon's per-CID limit. */
export class RateLimiter {
	private hits: number[] = [];

	constructor(readonly limit: number) {}

	private prune(now: number): void {
		let drop = 0;
		while (drop < this.hits.length && this.hits[drop] <= now - WINDOW_MS) drop++;
		if (drop > 0) this.hits.splice(0, drop);
	}

	/** Records a request if budget remains; returns whether it was allowed. */
	tryConsume(now = Date.now()): boolean {
		this.prune(now);
		if (this.hits.length >= this.limit) return false;
		this.hits.push(now);
		return true;
	}

	remaining(now = Date.now()): number {
		this.prune(now);
		return Math.max(0, this.limit - this.hits.length);
	}

	/** Unix epoch seconds at which one more request will be allowed (what X-RateLimit-RetryAfter carries). */
	retryAfterEpochSeconds(now = Date.now()): number {
		this.prune(now);
		const freeAt = this.hits.length >= this.limit ? this.hits[0] + WINDOW_MS : now + 1000;
		return Math.ceil(freeAt / 1000);
	}

	reset(): void {
		this.hits = [];
	}
}
