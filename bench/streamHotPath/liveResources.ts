/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- benchmark code, never part of the package */
import { getEventListeners } from 'node:events';

export interface LiveResources {
	/** Timers (setTimeout/setInterval) not yet fired or cleared, in the whole process. */
	timers: number;
	/** 'abort' listeners on signals not aborted yet. */
	abortListeners: number;
	rssMb: number;
	heapUsedMb: number;
}

const signals = new Set<AbortSignal>();
let mostOnOneSignal = 0;

/**
 * Notes every AbortSignal that gets an 'abort' listener, so its listeners can be counted when a sample is taken
 * (aborted ones are forgotten then).
 */
export function trackAbortListeners(): void {
	const add = AbortSignal.prototype.addEventListener;
	AbortSignal.prototype.addEventListener = function (this: AbortSignal, ...args: Parameters<typeof add>) {
		if (args[0] === 'abort' && !this.aborted) signals.add(this);
		return add.apply(this, args);
	} as typeof add;
}

/** The most 'abort' listeners one signal had in any sample (Node warns past 10). */
export function maxAbortListenersOnOneSignal(): number {
	return mostOnOneSignal;
}

export function liveResources(): LiveResources {
	let abortListeners = 0;
	for (const signal of signals) {
		if (signal.aborted) {
			signals.delete(signal);
			continue;
		}
		const listeners = getEventListeners(signal, 'abort').length;
		abortListeners += listeners;
		mostOnOneSignal = Math.max(mostOnOneSignal, listeners);
	}
	return {
		timers: process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length,
		abortListeners,
		rssMb: Math.round(process.memoryUsage.rss() / 1e5) / 10,
		heapUsedMb: Math.round(process.memoryUsage().heapUsed / 1e5) / 10,
	};
}

/**
 * A sample taken after a full garbage collection (when node runs with --expose-gc): memory that is still
 * referenced, rather than wherever V8's heap sizing happened to stand (which moved the RSS of a 1M-event run by up
 * to 15 MB from one run to the next).
 */
export function liveResourcesAfterGc(): LiveResources {
	(globalThis as { gc?: () => void }).gc?.();
	return liveResources();
}
