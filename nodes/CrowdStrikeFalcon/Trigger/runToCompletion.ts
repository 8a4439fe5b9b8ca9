import type { INodeExecutionData, IRun, ITriggerFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { BatchAttempts } from '../shared/stream/openBatches';

/** Pauses between emits n8n could not start: doubling from the first, at most the last. */
const EMIT_RETRY_FIRST_MS = 1_000;
const EMIT_RETRY_MAX_MS = 60_000;
/** An execution that ended before any node ran (its worker died) is run again this many times. */
const RERUNS = 2;

export type ExecutionOutcome = 'succeeded' | 'failed' | 'duplicate';

/**
 * Emits the items and waits until n8n reports the execution finished, whatever its outcome (a failed run is
 * visible and retryable in n8n's execution list). n8n resolves without a run when it refused the key as a repeat.
 *
 * In queue mode a worker that dies mid-execution makes n8n fail the job without running it again and replace its
 * data with the error, so neither n8n nor a retry from the execution list would ever run those events. An execution
 * that ended with no node run is therefore emitted again under a key of its own (`<key>:r1`): at least once, even
 * when a worker dies. A workflow that fails on its own has run its trigger node and is never repeated.
 *
 * An emit n8n could not start (its database or Redis down) is emitted again until it starts or the trigger closes,
 * each time under a key of its own (`<key>:e1`, `:e2`, ...): n8n may have recorded the failed attempt under the key
 * it was given, and would refuse that key again as a repeat of an execution that never ran.
 *
 * Attempts are numbered once per batch (0 is the plain key), and `batch` is told each one that may use up its key
 * without running the events, before it is emitted (n8n saves the static data as the trigger emits): a restart
 * then emits the batch under a later attempt's key instead of one n8n would refuse.
 */
export function runToCompletion(
	context: ITriggerFunctions,
	items: INodeExecutionData[],
	deduplicationKey: string | undefined,
	signal: AbortSignal,
	batch: BatchAttempts,
): Promise<ExecutionOutcome> {
	// After trouble before a restart, the keys of the attempts made then may be held by executions that never ran.
	const first = batch.attempt === undefined ? 0 : batch.attempt + 1;
	if (first > 0) batch.markAttempt(first);
	// Not an async function: with one execution per event its frame would be a cost per event. The first emit's
	// outcome settles nearly every execution; only an emit n8n refused or a run that never ran goes on below.
	return emitOnce(context, items, attemptKey(deduplicationKey, first, 'e')).then(
		(run) => outcomeOf(run, deduplicationKey) ?? runAgain(context, items, deduplicationKey, signal, batch, first, run!),
		(error: Error) => runAgain(context, items, deduplicationKey, signal, batch, first, error),
	);
}

/** The key of an attempt: the batch's own for the first, `:r<n>` for a re-run, `:e<n>` for an emit again. */
function attemptKey(key: string | undefined, attempt: number, kind: 'r' | 'e'): string | undefined {
	return key === undefined || attempt === 0 ? key : `${key}:${kind}${attempt}`;
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
	troubled: number,
	first: IRun | Error,
): Promise<ExecutionOutcome> {
	// This attempt's key is now held for events that never ran.
	batch.markAttempt(troubled);
	let attempt = troubled;
	let run: IRun | undefined | 'failed';
	if (first instanceof Error) ({ run, attempt } = await emitAgain(context, items, deduplicationKey, signal, batch, attempt, first));
	else run = first;
	for (let rerun = 1; ; rerun++) {
		if (run === 'failed') return 'failed';
		const outcome = outcomeOf(run, deduplicationKey);
		if (outcome !== undefined) return outcome;
		if (rerun > RERUNS || signal.aborted) return 'failed';
		const error = run!.data?.resultData?.error?.message;
		context.logger.warn(
			`CrowdStrike Falcon Trigger: execution ${error ? `failed before any node ran (${error})` : 'ended before any node ran'}; running its events again`,
		);
		batch.markAttempt(++attempt);
		try {
			run = await emitOnce(context, items, attemptKey(deduplicationKey, attempt, 'r'));
		} catch (next) {
			({ run, attempt } = await emitAgain(context, items, deduplicationKey, signal, batch, attempt, next as Error));
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
 * n8n could not start attempt `attempt` (e.g. Redis down in queue mode): emitted again after a pause, as a new
 * attempt each time, until n8n starts it or the trigger closes. Meanwhile the execution keeps its slot, so the
 * trigger stops reading at Max Executions in Flight and Falcon keeps the events.
 */
async function emitAgain(
	context: ITriggerFunctions,
	items: INodeExecutionData[],
	deduplicationKey: string | undefined,
	signal: AbortSignal,
	batch: BatchAttempts,
	attempt: number,
	firstError: Error,
): Promise<{ run: IRun | undefined | 'failed'; attempt: number }> {
	let error = firstError;
	for (let pause = 0; ; pause++) {
		if (signal.aborted) {
			context.logger.error(`CrowdStrike Falcon Trigger: n8n could not run an execution before the trigger closed: ${error.message}`);
			return { run: 'failed', attempt };
		}
		const pauseMs = Math.min(EMIT_RETRY_FIRST_MS * 2 ** pause, EMIT_RETRY_MAX_MS);
		context.logger.warn(
			`CrowdStrike Falcon Trigger: n8n could not run an execution (${error.message}); trying again in ${pauseMs / 1000} s`,
		);
		await sleep(pauseMs, signal).catch(() => undefined);
		if (signal.aborted) continue;
		batch.markAttempt(++attempt);
		try {
			return { run: await emitOnce(context, items, attemptKey(deduplicationKey, attempt, 'e')), attempt };
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
