import type { INodeExecutionData, IRun, ITriggerFunctions } from 'n8n-workflow';

import { sleep } from '../shared/sleep';
import type { BatchAttempts } from '../shared/stream/openBatches';

/** After the first emit again (at once), pauses between emits n8n could not start: doubling, at most the last. */
const EMIT_RETRY_FIRST_MS = 1_000;
const EMIT_RETRY_MAX_MS = 60_000;
/** An execution that ended before any node ran (its worker died) is run again this many times. */
const RERUNS = 2;

/** `abandoned`: the trigger closed before n8n could start the execution; its events stay uncommitted. */
export type ExecutionOutcome = 'succeeded' | 'failed' | 'duplicate' | 'abandoned';

/**
 * Emits the items and waits until n8n reports the execution finished, whatever its outcome (a failed run is
 * visible and retryable in n8n's execution list). n8n resolves without a run when it refused the key as a repeat.
 *
 * Every later attempt at the same events has a key of its own (`<key>:r1`, `:r2`, ...): n8n keeps the key of an
 * attempt that never ran the events and would refuse it again as a repeat.
 * - In queue mode a worker that dies mid-execution makes n8n fail the job without running it again and replace its
 *   data with the error, so neither n8n nor a retry from the execution list would ever run those events. An
 *   execution that ended with no node run is therefore run again (at most twice more): at least once, even when a
 *   worker dies. A workflow that fails on its own has run its trigger node and is never repeated.
 * - An emit n8n could not start (its database or Redis down) is emitted again, at once and then after pauses, until
 *   it starts or the trigger closes.
 *
 * For a restart, `batch` stores how far the attempts went (n8n saves the static data as the trigger emits, never
 * when it closes), and a restart goes on at the attempt after the stored one:
 * - an attempt known to have used up its key without running (it ended before any node ran) is stored when that is
 *   known, and saved with the next attempt's emit, which follows at once: a restart then emits that next attempt's
 *   key again, and n8n recognises it if it started;
 * - an attempt emitted after one n8n could not start is stored before its emit: n8n is in trouble and may fail it
 *   too, and a restart during the pause that follows must not take it for a repeat. It goes on at a key of its own;
 *   if that attempt did start, the events run twice.
 */
export function runToCompletion(
	context: ITriggerFunctions,
	items: INodeExecutionData[],
	deduplicationKey: string | undefined,
	signal: AbortSignal,
	batch: BatchAttempts,
): Promise<ExecutionOutcome> {
	const first = batch.attempt === undefined ? 0 : batch.attempt + 1;
	// Not an async function: with one execution per event its frame would be a cost per event. The first emit's
	// outcome settles nearly every execution; only an emit n8n refused or a run that never ran goes on below.
	return emitOnce(context, items, attemptKey(deduplicationKey, first)).then(
		(run) => outcomeOf(run, deduplicationKey) ?? runAgain(context, items, deduplicationKey, signal, batch, first, run!),
		(error: Error) => runAgain(context, items, deduplicationKey, signal, batch, first, error),
	);
}

/** The key of an attempt: the batch's own for the first, `<key>:r<attempt>` for later ones. */
function attemptKey(key: string | undefined, attempt: number): string | undefined {
	return key === undefined || attempt === 0 ? key : `${key}:r${attempt}`;
}

/** Without keys nothing can be refused as a repeat, so there is nothing to store. */
function store(batch: BatchAttempts, key: string | undefined, attempt: number): void {
	if (key !== undefined) batch.markAttempt(attempt);
}

/** What the run says; undefined when it ended before any node ran, so its events were never processed. */
function outcomeOf(run: IRun | undefined, key: string | undefined): ExecutionOutcome | undefined {
	if (run === undefined) return key === undefined ? 'succeeded' : 'duplicate';
	if (!failed(run)) return 'succeeded';
	return endedBeforeAnyNode(run) ? undefined : 'failed';
}

/** After an attempt n8n could not start (`Error`) or whose run ended before any node ran (`IRun`). */
async function runAgain(
	context: ITriggerFunctions,
	items: INodeExecutionData[],
	deduplicationKey: string | undefined,
	signal: AbortSignal,
	batch: BatchAttempts,
	attempt: number,
	first: IRun | Error,
): Promise<ExecutionOutcome> {
	let run: IRun | undefined | 'abandoned';
	let error = first instanceof Error ? first : undefined;
	if (!error) run = first as IRun;
	for (let rerun = 1; ; rerun++) {
		if (error) ({ run, attempt } = await emitAgain(context, items, deduplicationKey, signal, batch, attempt, error));
		if (run === 'abandoned') return 'abandoned';
		const outcome = outcomeOf(run, deduplicationKey);
		if (outcome !== undefined) return outcome;
		// Its key is used up, and its events never ran.
		store(batch, deduplicationKey, attempt);
		if (rerun > RERUNS || signal.aborted) return 'failed';
		const reason = run!.data?.resultData?.error?.message;
		context.logger.warn(
			`CrowdStrike Falcon Trigger: execution ${reason ? `failed before any node ran (${reason})` : 'ended before any node ran'}; running its events again`,
		);
		attempt++;
		error = undefined;
		try {
			run = await emitOnce(context, items, attemptKey(deduplicationKey, attempt));
		} catch (next) {
			error = next as Error;
		}
	}
}

/** The done promise of one emit: n8n resolves it with the finished run, or undefined when it refused the key. */
function emitOnce(context: ITriggerFunctions, items: INodeExecutionData[], key: string | undefined): Promise<IRun | undefined> {
	const done = context.helpers.createDeferredPromise<IRun>();
	context.emit([items], undefined, done, key);
	return done.promise as Promise<IRun | undefined>;
}

/**
 * n8n could not start attempt `attempt` (e.g. Redis down in queue mode): emitted again as a new attempt, at once
 * and then after pauses doubling up to a minute, until n8n starts it or the trigger closes. Meanwhile the execution
 * keeps its slot, so the trigger stops reading at Max Executions in Flight and Falcon keeps the events.
 */
async function emitAgain(
	context: ITriggerFunctions,
	items: INodeExecutionData[],
	deduplicationKey: string | undefined,
	signal: AbortSignal,
	batch: BatchAttempts,
	attempt: number,
	firstError: Error,
): Promise<{ run: IRun | undefined | 'abandoned'; attempt: number }> {
	let error = firstError;
	for (let retry = 0; ; retry++) {
		if (signal.aborted) {
			context.logger.error(
				`CrowdStrike Falcon Trigger: n8n could not run an execution before the trigger closed (${error.message}); its events run after a restart`,
			);
			return { run: 'abandoned', attempt };
		}
		const pauseMs = retry === 0 ? 0 : Math.min(EMIT_RETRY_FIRST_MS * 2 ** (retry - 1), EMIT_RETRY_MAX_MS);
		context.logger.warn(
			`CrowdStrike Falcon Trigger: n8n could not run an execution (${error.message}); trying again ${pauseMs === 0 ? 'now' : `in ${pauseMs / 1000} s`}`,
		);
		if (pauseMs > 0) {
			await sleep(pauseMs, signal).catch(() => undefined);
			if (signal.aborted) continue;
		}
		attempt++;
		store(batch, deduplicationKey, attempt);
		try {
			return { run: await emitOnce(context, items, attemptKey(deduplicationKey, attempt)), attempt };
		} catch (next) {
			error = next as Error;
		}
	}
}

function failed(run: IRun): boolean {
	return run.status === 'error' || run.status === 'crashed' || !!run.data?.resultData?.error;
}

/**
 * A run of the workflow always runs its trigger node first. Queue mode hands the trigger only the last node's name
 * (runData stays empty), regular mode the whole runData: neither means the events were never processed.
 */
function endedBeforeAnyNode(run: IRun): boolean {
	const result = run.data?.resultData;
	return !result?.lastNodeExecuted && Object.keys(result?.runData ?? {}).length === 0;
}
