import type { INodeExecutionData, IRun, ITriggerFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

/** An execution n8n could not start is emitted again this many times before its events are given up. */
const EMIT_RETRIES = 2;
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
 */
export async function runToCompletion(
	context: ITriggerFunctions,
	items: INodeExecutionData[],
	deduplicationKey: string | undefined,
	signal: AbortSignal,
): Promise<ExecutionOutcome> {
	for (let rerun = 0; ; rerun++) {
		const key = deduplicationKey === undefined || rerun === 0 ? deduplicationKey : `${deduplicationKey}:r${rerun}`;
		let run: IRun | undefined | 'failed';
		try {
			run = await emitOnce(context, items, key);
		} catch (error) {
			run = await emitAgain(context, items, key, signal, error as Error);
		}
		if (run === 'failed') return 'failed';
		if (run === undefined) return key === undefined ? 'succeeded' : 'duplicate';
		if (!failed(run)) return 'succeeded';
		if (!endedBeforeAnyNode(run) || rerun >= RERUNS || signal.aborted) return 'failed';
		context.logger.warn(
			`CrowdStrike Falcon Trigger: execution ${run.data?.resultData?.error?.message ? `failed before any node ran (${run.data.resultData.error.message})` : 'ended before any node ran'}; running its events again`,
		);
	}
}

/** The done promise of one emit: n8n resolves it with the finished run, or undefined when it refused the key. */
function emitOnce(context: ITriggerFunctions, items: INodeExecutionData[], key: string | undefined): Promise<IRun | undefined> {
	const done = context.helpers.createDeferredPromise<IRun>();
	context.emit([items], undefined, done, key);
	return done.promise as Promise<IRun | undefined>;
}

/** n8n could not start the execution (e.g. Redis down in queue mode): emitted again after a pause, a few times. */
async function emitAgain(
	context: ITriggerFunctions,
	items: INodeExecutionData[],
	key: string | undefined,
	signal: AbortSignal,
	firstError: Error,
): Promise<IRun | undefined | 'failed'> {
	let error = firstError;
	for (let attempt = 0; ; attempt++) {
		if (attempt >= EMIT_RETRIES || signal.aborted) {
			context.logger.error(`CrowdStrike Falcon Trigger: n8n could not run an execution: ${error.message}`);
			return 'failed';
		}
		await sleep(1_000 * 2 ** attempt, signal).catch(() => undefined);
		try {
			return await emitOnce(context, items, key);
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
