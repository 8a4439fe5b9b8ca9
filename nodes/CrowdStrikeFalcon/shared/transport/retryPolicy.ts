/**
 * How the transport rides out rate limits and server hiccups. Exported as one object so tests and benchmarks can
 * shorten the waits without changing the logic.
 */
export const retryPolicy = {
	/** 429s answered by waiting until `X-RateLimit-RetryAfter`; after this many the call fails. */
	maxRateLimitRetries: 3,
	/** A 429 asking to wait longer than this fails at once instead of stalling the workflow. */
	maxRateLimitWaitMs: 60_000,
	/** Falcon rounds RetryAfter to whole seconds; never hammer it sooner than this. */
	minRateLimitWaitMs: 1_000,
	/** Retries of idempotent calls after a 5xx or a dropped connection. */
	maxServerErrorRetries: 2,
	/** First back-off after a 5xx; doubled on each retry, plus up to 25% jitter. */
	serverErrorBackoffMs: 500,
};

/** Epoch seconds stay below this until the year 5138; epoch milliseconds are above it since 1973. */
const EPOCH_MS_FROM = 1e11;

/** An answer's headers, names in lower case. */
type Headers = Record<string, unknown>;

/**
 * When the next call is allowed, in epoch milliseconds. Falcon's `X-RateLimit-RetryAfter` is epoch seconds as
 * gofalcon, PSFalcon and XSOAR read it, or epoch milliseconds as Falcon's swagger states it (told apart by size, so
 * either way it is right). Without it, a standard `Retry-After` (seconds to wait, or an HTTP date), as a proxy or
 * gateway in front of Falcon sends it. Undefined without a usable value.
 */
export function rateLimitRetryAt(headers: Headers, now = Date.now()): number | undefined {
	const retryAfter = Number(headers['x-ratelimit-retryafter']);
	if (Number.isFinite(retryAfter) && retryAfter > 0) return retryAfter >= EPOCH_MS_FROM ? retryAfter : retryAfter * 1000;
	const standard = String(headers['retry-after'] ?? '').trim();
	if (/^\d+(\.\d+)?$/.test(standard)) return now + Number(standard) * 1000;
	const date = standard === '' ? NaN : Date.parse(standard);
	return Number.isFinite(date) ? date : undefined;
}

/** Milliseconds until the next call the answer allows; at least the policy's shortest wait. */
export function rateLimitWaitMs(headers: Headers, now = Date.now()): number {
	const retryAt = rateLimitRetryAt(headers, now);
	return Math.max(retryPolicy.minRateLimitWaitMs, retryAt === undefined ? 0 : retryAt - now);
}

export function serverErrorBackoffMs(attempt: number, random = Math.random): number {
	const base = retryPolicy.serverErrorBackoffMs * 2 ** attempt;
	return Math.round(base + base * 0.25 * random());
}

/**
 * A dropped connection worth trying again. Not a timeout (ETIMEDOUT, ECONNABORTED): a host that gave no answer
 * within the request's timeout (n8n's is 5 minutes; a firewall dropping packets) is not asked again, which would
 * only make the wait three times as long.
 */
export function isRetryableNetworkError(code: string | undefined): boolean {
	return ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'EAI_AGAIN'].includes(code ?? '');
}

/** A failure after which the request may have reached Falcon and been carried out: a 5xx, a connection cut midway. */
export function mayHaveBeenCarriedOut(failure: { statusCode?: number; networkCode?: string }): boolean {
	if (failure.statusCode !== undefined) return failure.statusCode >= 500;
	// Refused or never resolved: nothing was sent.
	return !['ECONNREFUSED', 'EAI_AGAIN', 'ENOTFOUND'].includes(failure.networkCode ?? '');
}
