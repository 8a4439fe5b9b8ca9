import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { mayHaveActed, perHostFailure, perHostGap } from '../../shared/transport/failures';
import { falconRequest } from '../../shared/transport/falconRequest';
import { paths } from '../paths';
import { readyHosts, startBatch } from './batch';
import { sentBatch, type SentBatch } from './sentBatch';
import type { Tier } from './commands';
import { hostItem, type HostGroup } from '../../shared/hosts/hostGroups';
import { failedStart, hostResultsOf, hostStatusOf, MAY_HAVE_RUN } from './hostResults';
import { keepAliveWhenDue, lookAtEach, mayPass, noChunksYet, pauses, readRemainingChunks, withOutput } from './poll';
import { waitPlanFrom } from './waitOptions';

export interface BatchCommandSettings {
	tier: Tier;
	baseCommand: string;
	commandLine: string;
	queueOffline: boolean;
	persistAll: boolean;
	/** timeout / timeout_duration / host_timeout_duration for the batch calls. */
	qs: IDataObject;
	chunkSize: number;
	waitForCompletion: boolean;
	/** The wait options (poll interval, deadline, keep-alive). */
	wait: IDataObject;
}

const noResult = (aid: string, message: string, code = 500): IDataObject => ({ aid, errors: [perHostGap(code, message)] });

/** `finish` waits for the hosts still running the command (see sentBatch); one item per host. */
export type SentBatchCommand = SentBatch<INodeExecutionData[]>;

/** Starts a batch on the group's hosts and sends the command; `finish` waits for stragglers. */
export async function sendBatchCommand(
	context: IExecuteFunctions,
	group: HostGroup,
	settings: BatchCommandSettings,
): Promise<SentBatchCommand> {
	const startedAt = Date.now();
	const itemIndex = group.lead.itemIndex;
	const hostIds = [...group.hosts.keys()];
	const batch = await startBatch(context, hostIds, { ...settings, itemIndex });
	const results = new Map<string, IDataObject>();
	for (const aid of hostIds) {
		const init = batch.hosts.get(aid);
		if (!init) results.set(aid, noResult(aid, 'Falcon returned no session for this host', 404));
		else if (Array.isArray(init.errors) && init.errors.length > 0) results.set(aid, failedStart(init));
	}
	const ready = readyHosts(batch).filter((aid) => !results.has(aid));
	if (ready.length > 0 && batch.batchId) {
		try {
			const response = await falconRequest.call(context, {
				method: 'POST',
				path: settings.tier === 'activeResponder' ? paths.batchActiveResponderCommand : paths.batchCommand,
				qs: settings.qs,
				body: {
					batch_id: batch.batchId,
					base_command: settings.baseCommand,
					command_string: settings.commandLine,
					optional_hosts: ready,
					persist_all: settings.persistAll,
				},
				// Never repeated: a retry could run the command twice on hosts that already ran it.
				idempotent: false,
				itemIndex,
			});
			for (const result of hostResultsOf(response.body)) results.set(String(result.aid).toLowerCase(), result);
		} catch (error) {
			const failed = perHostFailure(error);
			// Never sent again; but a 5xx or no answer may have come after Falcon sent the command to the hosts.
			const mayHaveRun = mayHaveActed(error);
			const entry = mayHaveRun ? { ...failed, message: `${String(failed.message)}. ${MAY_HAVE_RUN}` } : failed;
			for (const aid of ready) {
				results.set(aid, { aid, session_id: batch.hosts.get(aid)?.session_id, errors: [entry], ...(mayHaveRun ? { may_have_run: true } : {}) });
			}
		}
	}
	for (const aid of ready) if (!results.has(aid)) results.set(aid, noResult(aid, 'Falcon returned no result for this host'));
	return sentBatch(context, { batchId: batch.batchId, startedAt, itemIndex, wait: settings.wait }, async (plan) => {
		await completeOutputs(context, settings, results, itemIndex);
		if (settings.waitForCompletion && batch.batchId) await waitForStragglers(context, settings.tier, results, plan);
		return hostItems(group, settings, batch.batchId, results);
	});
}

function hostItems(
	group: HostGroup,
	settings: BatchCommandSettings,
	batchId: string | undefined,
	results: Map<string, IDataObject>,
): INodeExecutionData[] {
	return [...group.hosts.keys()].map((aid) => {
		const result = results.get(aid)!;
		const status = hostStatusOf(result);
		const json: IDataObject = {
			host_id: aid,
			status: status === 'pending' ? 'timeout' : status,
			stdout: result.stdout ?? '',
			stderr: result.stderr ?? '',
			errors: result.errors ?? [],
			complete: result.complete === true,
			offline_queued: status === 'offline_queued',
			session_id: result.session_id || null,
			cloud_request_id: result.task_id || null,
			batch_id: batchId ?? null,
			base_command: settings.baseCommand,
			command_string: settings.commandLine,
			...(result.may_have_run === true ? { may_have_run: true } : {}),
		};
		return hostItem(json, group.hosts.get(aid)!);
	});
}

/**
 * Inline results that announce more output chunks are completed through the status endpoint. The command has run:
 * a host whose remaining chunks cannot be read keeps what came inline, with the error, and the others carry on.
 */
async function completeOutputs(
	context: IExecuteFunctions,
	settings: BatchCommandSettings,
	results: Map<string, IDataObject>,
	itemIndex: number,
): Promise<void> {
	for (const [aid, result] of results) {
		if (result.complete !== true || !result.task_id || !(Number(result.sequence_id) > 0)) continue;
		try {
			const output = await readRemainingChunks(context, settings.tier, String(result.task_id), result, itemIndex);
			results.set(aid, { ...result, stdout: output.stdout, stderr: output.stderr, sequence_id: 0, ...(output.error ? { errors: [output.error] } : {}) });
		} catch (error) {
			results.set(aid, { ...result, errors: [perHostFailure(error)] });
		}
	}
}

/**
 * Polls each host's task until it completes or the deadline passes, refreshing the batch meanwhile (see lookAtEach).
 */
async function waitForStragglers(
	context: IExecuteFunctions,
	tier: Tier,
	results: Map<string, IDataObject>,
	plan: ReturnType<typeof waitPlanFrom>,
): Promise<void> {
	let pending = [...results.keys()].filter((aid) => hostStatusOf(results.get(aid)!) === 'pending');
	// As in Run and Wait, a status read Falcon may recover from leaves the host pending until the deadline; the
	// failure is reported only if no later read of the host succeeds.
	const lastFailure = new Map<string, unknown>();
	const progress = new Map(pending.map((aid) => [aid, noChunksYet()]));
	const keepAlive = keepAliveWhenDue(plan);
	const pause = pauses(plan, keepAlive);
	while (pending.length > 0 && (await pause())) {
		const tasks = pending.map((aid) => ({ key: aid, cloudRequestId: String(results.get(aid)!.task_id), progress: progress.get(aid)! }));
		await lookAtEach(context, tier, tasks, plan, keepAlive, (aid, look) => {
			const result = results.get(aid)!;
			if ('failure' in look) {
				if (mayPass(context, look.failure)) lastFailure.set(aid, look.failure);
				else results.set(aid, { ...result, errors: [perHostFailure(look.failure)] });
				return;
			}
			lastFailure.delete(aid);
			// Keeps the output read when a later chunk cannot be, with the error.
			if (look.output) results.set(aid, withOutput(result, look.output));
		});
		pending = pending.filter((aid) => hostStatusOf(results.get(aid)!) === 'pending');
	}
	for (const [aid, error] of lastFailure) {
		const result = results.get(aid)!;
		if (hostStatusOf(result) === 'pending') results.set(aid, { ...result, errors: [perHostFailure(error)] });
	}
}
