import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { sleep } from '../../shared/sleep';
import { chunk } from '../../shared/transport/ids';
import { perHostFailure } from '../../shared/transport/failures';
import { falconRequest } from '../../shared/transport/falconRequest';
import { paths } from '../paths';
import { hostResultsOf } from './hostResults';

export interface BatchStart {
	batchId?: string;
	/** Per host: the init result, or the error that stopped its chunk. */
	hosts: Map<string, IDataObject>;
}

/** Falcon opens at most 10,000 hosts in one batch session; larger runs become several batches. */
export const MAX_HOSTS_PER_BATCH = 10_000;

/**
 * While later chunks still open (each may wait up to 5 minutes for its hosts, and more when the transport retries
 * it), the batch is refreshed this often beside those calls: the sessions of the first chunks would otherwise
 * idle-expire after Falcon's 10 minutes before the command is sent.
 */
export const batchTiming = { refreshWhileOpeningMs: 3 * 60_000 };

/**
 * BatchInitSessions in chunks: the first chunk opens the batch, the next ones join it through
 * `existing_batch_id`, so one batch id covers every host. A chunk that fails (after the transport's retries)
 * marks its hosts as failed instead of losing the whole run.
 */
export async function startBatch(
	context: IExecuteFunctions,
	hostIds: string[],
	options: { queueOffline?: boolean; chunkSize: number; qs?: IDataObject; itemIndex: number },
): Promise<BatchStart> {
	const started: BatchStart = { hosts: new Map() };
	let stopRefreshing = async () => {};
	try {
		for (const hosts of chunk(hostIds, options.chunkSize)) {
			const body: IDataObject = { host_ids: hosts, queue_offline: options.queueOffline === true };
			if (started.batchId) body.existing_batch_id = started.batchId;
			// Counted from before the call: a chunk's sessions may be opened as soon as it arrives.
			const sentAt = Date.now();
			try {
				const response = await falconRequest.call(context, {
					method: 'POST',
					path: paths.batchInit,
					qs: options.qs,
					body,
					// Re-initialising the same hosts returns the same sessions, so a retry after a 5xx is safe.
					idempotent: true,
					itemIndex: options.itemIndex,
				});
				if (!started.batchId && response.body.batch_id) {
					started.batchId = String(response.body.batch_id);
					stopRefreshing = keepRefreshing(context, started.batchId, sentAt, options.itemIndex);
				}
				for (const result of hostResultsOf(response.body)) started.hosts.set(String(result.aid).toLowerCase(), result);
			} catch (error) {
				const failed = perHostFailure(error);
				for (const aid of hosts) started.hosts.set(aid, { aid, errors: [failed] });
			}
		}
	} finally {
		await stopRefreshing();
	}
	return started;
}

/**
 * Refreshes the batch every `refreshWhileOpeningMs` from `openedAt` until the returned function is called, which
 * ends the sleep and waits for a refresh under way, or until the execution is cancelled.
 */
export function keepRefreshing(
	context: IExecuteFunctions,
	batchId: string,
	openedAt: number,
	itemIndex: number,
): () => Promise<void> {
	const stop = new AbortController();
	const cancelled = context.getExecutionCancelSignal?.();
	const onCancel = () => stop.abort();
	cancelled?.addEventListener('abort', onCancel, { once: true });
	if (cancelled?.aborted) stop.abort();
	let refreshing: Promise<void> = Promise.resolve();
	void (async () => {
		let due = openedAt + batchTiming.refreshWhileOpeningMs;
		for (;;) {
			try {
				await sleep(Math.max(0, due - Date.now()), stop.signal);
			} catch {
				return;
			}
			if (stop.signal.aborted) return;
			due = Date.now() + batchTiming.refreshWhileOpeningMs;
			// A failed refresh leaves the command's own call to report any session that expired.
			refreshing = refreshBatch(context, batchId, itemIndex).catch(() => undefined);
			await refreshing;
		}
	})();
	return async () => {
		stop.abort();
		cancelled?.removeEventListener('abort', onCancel);
		await refreshing;
	};
}

/** BatchRefreshSessions: keeps every session of the batch alive while a flow waits. */
export async function refreshBatch(context: IExecuteFunctions, batchId: string, itemIndex: number): Promise<void> {
	await falconRequest.call(context, {
		method: 'POST',
		path: paths.batchRefresh,
		body: { batch_id: batchId },
		idempotent: true,
		itemIndex,
	});
}

/** Hosts whose session is usable: no errors at init (offline hosts count when their commands are queued). */
export function readyHosts(start: BatchStart): string[] {
	return [...start.hosts.entries()]
		.filter(([, result]) => !Array.isArray(result.errors) || result.errors.length === 0)
		.map(([aid]) => aid);
}
