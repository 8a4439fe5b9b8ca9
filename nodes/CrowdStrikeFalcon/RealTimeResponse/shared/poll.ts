import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { sleep } from '../../shared/sleep';
import { errorsOf, resourcesOf } from '../../shared/transport/envelope';
import { falconApiError, perHostFailure, statusOfFailure } from '../../shared/transport/failures';
import { falconRequest } from '../../shared/transport/falconRequest';
import type { Tier } from './commands';
import { paths } from '../paths';

/** How long to wait and how to stay alive while waiting. */
export interface WaitPlan {
	/** Longest pause between two polls; the first polls come sooner (250 ms, doubling up to this). */
	pollIntervalMs: number;
	/** Epoch ms after which we stop waiting and report a timeout. */
	deadline: number;
	/** Called at most every `keepAliveEveryMs` while waiting, so sessions outlive their idle expiry. */
	keepAlive?: () => Promise<void>;
	keepAliveEveryMs: number;
	/** When the sessions were last used (default: when the wait begins): the first keep-alive is due from then. */
	sessionsUsedAt?: number;
	itemIndex: number;
	/** The execution's cancel signal: cancelling ends a pause at once instead of after up to a poll interval. */
	cancelSignal?: AbortSignal;
}

export interface CommandOutput {
	complete: boolean;
	stdout: string;
	stderr: string;
	/** Status responses read: at least one; more when the output came in several sequence_id chunks. */
	chunks: number;
	/** Reading a later chunk failed: the output is what was read before it ({ code, message, trace_id }). */
	error?: IDataObject;
}

const FIRST_POLL_MS = 250;
/** Guards against a status endpoint that keeps announcing another chunk. */
const MAX_CHUNKS = 10_000;

export function statusPath(tier: Tier): string {
	return tier === 'activeResponder' ? paths.activeResponderCommand : paths.command;
}

export async function checkStatus(
	context: IExecuteFunctions,
	tier: Tier,
	cloudRequestId: string,
	sequenceId: number,
	itemIndex: number,
): Promise<IDataObject> {
	const path = statusPath(tier);
	const response = await falconRequest.call(context, {
		method: 'GET',
		path,
		qs: { cloud_request_id: cloudRequestId, sequence_id: sequenceId },
		itemIndex,
	});
	const [status] = resourcesOf(response.body);
	// Falcon's reason, not "still running" until the deadline.
	if (!status && errorsOf(response.body).length > 0) throw falconApiError(context.getNode(), { ...response, message: '' }, { method: 'GET', path, itemIndex });
	return status ?? {};
}

/**
 * Reads the chunks after a completed status: a response whose `sequence_id` is above the one asked for announces
 * another chunk at that sequence id (the reassembly gofalcon does).
 */
export async function readRemainingChunks(
	context: IExecuteFunctions,
	tier: Tier,
	cloudRequestId: string,
	first: IDataObject,
	itemIndex: number,
	/** The sequence id `first` answered, and the chunks read before it (see pollOutput). */
	before: ChunkProgress = noChunksYet(),
): Promise<CommandOutput> {
	const output: CommandOutput = {
		complete: true,
		stdout: before.stdout + text(first.stdout),
		stderr: before.stderr + text(first.stderr),
		chunks: before.chunks + 1,
	};
	let asked = before.asked;
	let status = first;
	while (Number(status.sequence_id) > asked && output.chunks < MAX_CHUNKS) {
		asked = Number(status.sequence_id);
		try {
			status = await checkStatus(context, tier, cloudRequestId, asked, itemIndex);
		} catch (error) {
			// The command ran: what was read of its output is kept, beside why the rest could not be.
			return { ...output, error: perHostFailure(error) };
		}
		output.stdout += text(status.stdout);
		output.stderr += text(status.stderr);
		output.chunks++;
	}
	return output;
}

/** How far reading a command's output has got: the sequence id to ask for next, and the chunks read before it. */
export interface ChunkProgress {
	asked: number;
	stdout: string;
	stderr: string;
	chunks: number;
}

export function noChunksYet(): ChunkProgress {
	return { asked: 0, stdout: '', stderr: '', chunks: 0 };
}

/**
 * One look at a command: its whole output once it is complete, undefined while it runs. Falcon's chunking is read
 * two ways, and both are followed: a completed answer that announces a later `sequence_id` (the chunks are read
 * after it), and, as CrowdStrike's gofalcon reads it, an answer still incomplete that hands over a chunk and the
 * `sequence_id` to ask for next (kept in `progress`, and the next one asked for). Throws when a status read fails.
 */
export async function pollOutput(
	context: IExecuteFunctions,
	tier: Tier,
	cloudRequestId: string,
	progress: ChunkProgress,
	itemIndex: number,
): Promise<CommandOutput | undefined> {
	for (;;) {
		const status = await checkStatus(context, tier, cloudRequestId, progress.asked, itemIndex);
		if (status.complete === true) return await readRemainingChunks(context, tier, cloudRequestId, status, itemIndex, progress);
		if (!(Number(status.sequence_id) > progress.asked) || progress.chunks >= MAX_CHUNKS) return undefined;
		progress.stdout += text(status.stdout);
		progress.stderr += text(status.stderr);
		progress.chunks++;
		progress.asked = Number(status.sequence_id);
	}
}

/** A command still running on a host, as a pass over many of them follows it. */
export interface RunningTask<K> {
	key: K;
	cloudRequestId: string;
	/** The chunks read so far (see pollOutput). */
	progress: ChunkProgress;
}

/** What one look at a running task came to: its whole output once complete, undefined while it runs, or the failure. */
export type TaskLook = { output: CommandOutput | undefined } | { failure: unknown };

/**
 * One look at each running task, a status read each. With thousands of them a pass takes minutes: the deadline and
 * the keep-alive are checked before every read, not only between passes, or the sessions would expire and the
 * deadline be overrun mid-pass.
 */
export async function lookAtEach<K>(
	context: IExecuteFunctions,
	tier: Tier,
	tasks: Array<RunningTask<K>>,
	plan: WaitPlan,
	keepAlive: KeepAlive,
	seen: (key: K, look: TaskLook) => void,
): Promise<void> {
	for (const { key, cloudRequestId, progress } of tasks) {
		if (Date.now() >= plan.deadline) return;
		await keepAlive();
		let look: TaskLook;
		try {
			look = { output: await pollOutput(context, tier, cloudRequestId, progress, plan.itemIndex) };
		} catch (failure) {
			look = { failure };
		}
		seen(key, look);
	}
}

/** A host's result once its command completed: the output read (and the error of a later chunk that could not be). */
export function withOutput(result: IDataObject, output: CommandOutput): IDataObject {
	return { ...result, complete: true, stdout: output.stdout, stderr: output.stderr, errors: output.error ? [output.error] : [] };
}

/** Polls a command until it completes or the deadline passes, then returns its whole output (see pollOutput). */
export async function waitForCommand(
	context: IExecuteFunctions,
	tier: Tier,
	cloudRequestId: string,
	plan: WaitPlan,
): Promise<CommandOutput> {
	const pause = pauses(plan);
	const progress = noChunksYet();
	for (;;) {
		let output: CommandOutput | undefined;
		let failure: unknown;
		try {
			output = await pollOutput(context, tier, cloudRequestId, progress, plan.itemIndex);
		} catch (error) {
			failure = error ?? new Error('the status read failed');
		}
		if (output) return output;
		if (failure !== undefined) {
			// The transport already retried it. The command runs on whatever the status endpoint does, so an outage
			// longer than those retries is waited out until the deadline; a refusal (4xx) ends the wait at once.
			if (!mayPass(context, failure) || !(await pause())) throw failure;
			continue;
		}
		if (!(await pause())) {
			return { complete: false, stdout: progress.stdout, stderr: progress.stderr, chunks: Math.max(1, progress.chunks) };
		}
	}
}

/**
 * A failure of Falcon's that may pass: a 5xx, a 429 still there after its waits, or no answer at all. Not a
 * cancelled execution, nor an error of this node's own.
 */
export function mayPass(context: IExecuteFunctions, error: unknown): boolean {
	if (!(error instanceof NodeApiError) || context.getExecutionCancelSignal?.()?.aborted) return false;
	const status = statusOfFailure(error);
	return status >= 500 || status === 429;
}

/** Refreshes the sessions when due; a no-op otherwise. */
export interface KeepAlive {
	(): Promise<void>;
	/** Milliseconds until the next refresh is due (Infinity with no sessions to keep). */
	dueInMs(): number;
}

/** Refreshes the sessions when `keepAliveEveryMs` has passed since the last refresh. */
export function keepAliveWhenDue(plan: WaitPlan): KeepAlive {
	let lastKeepAlive = plan.sessionsUsedAt ?? Date.now();
	const dueInMs = () => (plan.keepAlive ? lastKeepAlive + plan.keepAliveEveryMs - Date.now() : Infinity);
	const keepAlive = async () => {
		if (!plan.keepAlive || dueInMs() > 0) return;
		lastKeepAlive = Date.now();
		// A failed refresh must not end the wait: the next status check reports what really went wrong.
		await plan.keepAlive().catch(() => undefined);
	};
	return Object.assign(keepAlive, { dueInMs });
}

/**
 * A pause function for a polling loop: sleeps the next interval (never past the deadline, nor past the next
 * keep-alive: a long poll interval must not let the sessions idle out), keeps sessions alive when due, and answers
 * false once the deadline has passed; a cancelled execution makes it throw at once. A loop that also works between
 * pauses (one status read per host) passes its own `keepAlive`, so both share one refresh clock.
 */
export function pauses(plan: WaitPlan, keepAlive = keepAliveWhenDue(plan)): () => Promise<boolean> {
	let next = Math.min(FIRST_POLL_MS, plan.pollIntervalMs);
	return async () => {
		const left = plan.deadline - Date.now();
		if (left <= 0) return false;
		await sleep(Math.max(0, Math.min(next, left, keepAlive.dueInMs())), plan.cancelSignal);
		next = Math.min(next * 2, plan.pollIntervalMs);
		await keepAlive();
		return true;
	};
}

function text(value: unknown): string {
	return typeof value === 'string' ? value : '';
}
