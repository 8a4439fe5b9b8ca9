/**
 * Settles as `work` does, or rejects as soon as `signal` aborts. The work itself goes on (a token request other
 * callers share, n8n's own token refresh, which takes no signal) and its outcome is dropped.
 */
export async function untilCancelled<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
	if (!signal) return await work;
	work.catch(() => undefined);
	let stop: (() => void) | undefined;
	const cancelled = new Promise<never>((_, reject) => {
		stop = () => reject(new Error('The execution was cancelled'));
		if (signal.aborted) stop();
		else signal.addEventListener('abort', stop, { once: true });
	});
	try {
		return await Promise.race([work, cancelled]);
	} finally {
		signal.removeEventListener('abort', stop!);
	}
}
