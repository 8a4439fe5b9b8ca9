export interface BackoffPolicy {
	/** First wait after a failure. */
	initialMs: number;
	/** Ceiling of the exponential growth. */
	maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 1_000, maxMs: 60_000 };

/**
 * Exponential back-off with "equal jitter": half the window fixed, half random. The fixed half keeps a flapping
 * partition from reconnecting in a tight loop; the random half keeps partitions (and other n8n instances) from
 * reconnecting in lockstep after a Falcon-side outage.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
	const window = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.max(0, attempt));
	return Math.round(window / 2 + (window / 2) * random());
}
