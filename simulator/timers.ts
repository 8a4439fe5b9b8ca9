/* eslint-disable @n8n/community-nodes/no-restricted-globals */
// The one place the simulator touches Node's timer globals; n8n's lint bans them everywhere else.

export function delay(ms: number): Promise<void> {
	return new Promise((resolve) => {
		setTimeout(resolve, Math.max(0, ms));
	});
}

/** Calls fn every ms milliseconds until the returned function is called. Does not keep the process alive. */
export function every(ms: number, fn: () => void): () => void {
	const handle = setInterval(fn, Math.max(1, ms));
	handle.unref();
	return () => clearInterval(handle);
}

/** Calls fn once after ms milliseconds unless cancelled. Does not keep the process alive. */
export function after(ms: number, fn: () => void): () => void {
	const handle = setTimeout(fn, Math.max(0, ms));
	handle.unref();
	return () => clearTimeout(handle);
}
