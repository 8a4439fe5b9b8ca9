import * as workflow from 'n8n-workflow';

type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

const n8nSleep = workflow.sleep as Sleep;
/** n8n-workflow 2.34 and later: `sleep(ms, signal)` ends at once, rejecting, when the signal aborts. */
const takesSignal = n8nSleep.length >= 2;
/** n8n-workflow 1.x: ends at once on abort, but never removes its listener from the signal. */
const sleepWithAbort = (workflow as { sleepWithAbort?: Sleep }).sleepWithAbort;

/**
 * Waits `ms`, or rejects as soon as `signal` aborts (with its reason), on every n8n this package supports. Earlier
 * n8n-workflows ignore a signal given to their `sleep`: a deactivated trigger's waits (a session refresh due in 27
 * minutes, the silence watchdog, a back-off) ran out in full and then did their work, and the watchdog ended healthy
 * feeds.
 */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	// Node fires a timer set past 2^31-1 ms (about 24.8 days: a Child List Refresh of 40,000 minutes) after 1 ms.
	for (; ms > LONGEST_TIMER_MS; ms -= LONGEST_TIMER_MS) await sleepUpTo24Days(LONGEST_TIMER_MS, signal);
	await sleepUpTo24Days(ms, signal);
}

const LONGEST_TIMER_MS = 2 ** 31 - 1;

async function sleepUpTo24Days(ms: number, signal?: AbortSignal): Promise<void> {
	if (!signal || takesSignal) return await n8nSleep(ms, signal);
	if (signal.aborted) throw reasonOf(signal);
	// A signal of this wait's own, so a listener left on it goes with it, not onto the caller's long-lived one.
	const own = new AbortController();
	const forward = () => own.abort(signal.reason);
	signal.addEventListener('abort', forward, { once: true });
	try {
		const ended = new Promise<never>((_, reject) => own.signal.addEventListener('abort', () => reject(reasonOf(signal)), { once: true }));
		const waited = sleepWithAbort ? sleepWithAbort(ms, own.signal) : n8nSleep(ms);
		waited.catch(() => undefined);
		await Promise.race([waited, ended]);
	} finally {
		signal.removeEventListener('abort', forward);
	}
}

function reasonOf(signal: AbortSignal): Error {
	const reason: unknown = signal.reason;
	return reason instanceof Error ? reason : new Error(String(reason ?? 'This operation was aborted'));
}
