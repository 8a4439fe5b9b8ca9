import type { INodeExecutionData, IRun, ITriggerFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

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
 * that ended with no node run is therefore emitted again under a derived key (`<key>:r1`, `:r2`): at least once,
 * even when a worker dies. A workflow that fails on its own has run its trigger node and is never repeated.
 *
 * An emit n8n could not start (its database or Redis down) is emitted again until it starts or the trigger closes,
 * each time under a key of its own (`<key>:e1`, `:e2`, ...): n8n may have recorded the failed attempt under the
 * key it was given, and would refuse that key again as a repeat of an execution that never ran.
 */
export function runToCompletion(
	context: ITriggerFunctions,
	items: INodeExecutionData[],
	deduplicationKey: string | undefined,
	signal: AbortSignal,
): Promise<ExecutionOutcome> {
	// Not an async function: with one execution per event its frame would be a cost per event. The first emit's
	// outcome settles nearly every execution; only an emit n8n refused or a run that never ran goes on below.
	return emitOnce(context, items, deduplicationKey).then(
		(run) => outcomeOf(run, deduplicationKey) ?? runAgain(context, items, deduplicationKey, signal, run!),
		(error: Error) => runAgain(context, items, deduplicationKey, signal, error),
	);
}

/** What the run says; undefined when it ended before any node ran, so its events were never processed. */
function outcomeOf(run: IRun | undefined, key: string | undefined): ExecutionOutcome | undefined {
	if (run === undefined) return key === undefined ? 'succeeded' : 'duplicate';
	if (!failed(run)) return 'succeeded';
	return endedBeforeAnyNode(run) ? undefined : 'failed';
}

/** After a first emit n8n could not start (`Error`) or whose run ended before any node ran (`IRun`). */
async function runAgain(
	context: ITriggerFunctions,
	items: INodeExecutionData[],
	deduplicationKey: string | undefined,
	signal: AbortSignal,
	first: IRun | Error,
): Promise<ExecutionOutcome> {
	let key = deduplicationKey;
	let run: IRun | undefined | 'failed';
	if (first instanceof Error) ({ run, key } = await emitAgain(context, items, key, signal, first));
	else run = first;
	for (let rerun = 1; ; rerun++) {
		if (run === 'failed') return 'failed';
		const outcome = outcomeOf(run, key);
		if (outcome !== undefined) return outcome;
		if (rerun > RERUNS || signal.aborted) return 'failed';
		const error = run!.data?.resultData?.error?.message;
		context.logger.warn(
			`CrowdStrike Falcon Trigger: execution ${error ? `failed before any node ran (${error})` : 'ended before any node ran'}; running its events again`,
		);
		key = deduplicationKey === undefined ? undefined : `${deduplicationKey}:r${rerun}`;
		try {
			run = await emitOnce(context, items, key);
		} catch (next) {
			({ run, key } = await emitAgain(context, items, key, signal, next as Error));
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
 * n8n could not start the execution (e.g. Redis down in queue mode): emitted again after a pause, under a key of
 * its own each time, until n8n starts it or the trigger closes. Meanwhile the execution keeps its slot, so the
 * trigger stops reading at Max Executions in Flight and Falcon keeps the events.
 */
async function emitAgain(
	context: ITriggerFunctions,
	items: INodeExecutionData[],
	key: string | undefined,
	signal: AbortSignal,
	firstError: Error,
): Promise<{ run: IRun | undefined | 'failed'; key: string | undefined }> {
	let error = firstError;
	for (let attempt = 1; ; attempt++) {
		if (signal.aborted) {
			context.logger.error(`CrowdStrike Falcon Trigger: n8n could not run an execution before the trigger closed: ${error.message}`);
			return { run: 'failed', key };
		}
		const pauseMs = Math.min(EMIT_RETRY_FIRST_MS * 2 ** (attempt - 1), EMIT_RETRY_MAX_MS);
		context.logger.warn(
			`CrowdStrike Falcon Trigger: n8n could not run an execution (${error.message}); trying again in ${pauseMs / 1000} s`,
		);
		await sleep(pauseMs, signal).catch(() => undefined);
		if (signal.aborted) continue;
		const attemptKey = key === undefined ? undefined : `${key}:e${attempt}`;
		try {
			return { run: await emitOnce(context, items, attemptKey), key: attemptKey };
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
