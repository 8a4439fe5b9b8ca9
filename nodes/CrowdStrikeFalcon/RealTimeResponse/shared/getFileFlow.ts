import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { perHostFailure, perHostGap } from '../../shared/transport/failures';
import { falconRequest } from '../../shared/transport/falconRequest';
import { paths } from '../paths';
import { readyHosts, startBatch } from './batch';
import { sentBatch, type SentBatch } from './sentBatch';
import { archiveFileName, ARCHIVE_PASSWORD, downloadArchive } from './download';
import { hostItem, type HostGroup } from '../../shared/hosts/hostGroups';
import { failedStart, hostResultsOf, hostStatusOf, type HostStatus } from './hostResults';
import {
	keepAliveWhenDue,
	lookAtEach,
	mayPass,
	noChunksYet,
	pauses,
	withOutput,
	type ChunkProgress,
	type KeepAlive,
	type WaitPlan,
} from './poll';

export interface GetFileSettings {
	filePath: string;
	qs: IDataObject;
	chunkSize: number;
	wait: IDataObject;
	binaryPropertyName: string;
}

interface HostFile {
	status: HostStatus | 'uploading';
	command: IDataObject;
	file?: IDataObject;
	binary?: IBinaryData;
	/** A call that failed for this host: `{ code, message, trace_id }`, as every per-host failure. */
	error?: IDataObject;
}

/** `finish` waits until each upload has a sha256 (see sentBatch), then streams each 7z into binary data; one item per host. */
export type SentGet = SentBatch<INodeExecutionData[]>;

/** Starts a batch on the group's hosts and sends the `get`; `finish` waits for the uploads and downloads them. */
export async function sendGetToHosts(
	context: IExecuteFunctions,
	group: HostGroup,
	settings: GetFileSettings,
): Promise<SentGet> {
	const startedAt = Date.now();
	const itemIndex = group.lead.itemIndex;
	const hostIds = [...group.hosts.keys()];
	const batch = await startBatch(context, hostIds, { chunkSize: settings.chunkSize, qs: settings.qs, itemIndex });
	const hosts = new Map<string, HostFile>();
	for (const aid of hostIds) {
		const init = batch.hosts.get(aid) ?? { aid, errors: [perHostGap(404, 'Falcon returned no session for this host')] };
		if (Array.isArray(init.errors) && init.errors.length > 0) {
			const failed = failedStart(init);
			hosts.set(aid, { status: hostStatusOf(failed) as HostStatus, command: failed });
		}
	}
	const ready = readyHosts(batch).filter((aid) => !hosts.has(aid));
	let requestId: string | undefined;
	if (ready.length > 0 && batch.batchId) {
		try {
			const response = await falconRequest.call(context, {
				method: 'POST',
				path: paths.batchGet,
				qs: settings.qs,
				body: { batch_id: batch.batchId, file_path: settings.filePath, optional_hosts: ready },
				idempotent: false,
				itemIndex,
			});
			requestId = response.body.batch_get_cmd_req_id as string | undefined;
			for (const result of hostResultsOf(response.body)) {
				const status = hostStatusOf(result);
				const waiting = status === 'success' || status === 'pending';
				hosts.set(String(result.aid).toLowerCase(), { status: waiting ? 'uploading' : (status as HostStatus), command: result });
			}
		} catch (error) {
			const failed = perHostFailure(error);
			for (const aid of ready) hosts.set(aid, { status: 'api_error', command: {}, error: failed });
		}
	}
	const noResult = perHostGap(500, 'Falcon returned no result for this host');
	for (const aid of ready) if (!hosts.has(aid)) hosts.set(aid, { status: 'api_error', command: {}, error: noResult });
	return sentBatch(context, { batchId: batch.batchId, startedAt, itemIndex, wait: settings.wait }, async (plan) => {
		// Downloads go one after another and can outlast the batch's idle expiry: the sessions are kept alive between
		// them too, on the one clock of the wait for uploads.
		const keepAliveDue = keepAliveWhenDue(plan);
		if (requestId) await waitForUploads(context, requestId, hosts, plan, keepAliveDue);
		const grace: PastDeadline = {};
		for (const [aid, host] of hosts) {
			if (host.status === 'uploading') host.status = 'timeout';
			if (host.status === 'success' && host.file) await download(context, aid, host, settings.filePath, plan, keepAliveDue, grace);
		}
		return fileItems(group, settings, hosts, batch.batchId, requestId);
	});
}

function fileItems(
	group: HostGroup,
	settings: GetFileSettings,
	hosts: Map<string, HostFile>,
	batchId: string | undefined,
	requestId: string | undefined,
): INodeExecutionData[] {
	return [...group.hosts.keys()].map((aid) => {
		const host = hosts.get(aid)!;
		const json: IDataObject = {
			host_id: aid,
			status: host.status,
			file_path: settings.filePath,
			file_name: host.binary ? host.binary.fileName : null,
			sha256: host.file?.sha256 ?? null,
			size: host.file?.size ?? null,
			// Falcon's numeric file id: with session_id, what File → Delete (V1) takes to remove the upload.
			file_id: host.file?.id ?? null,
			archive_password: host.binary ? ARCHIVE_PASSWORD : null,
			stderr: host.command.stderr ?? '',
			errors: host.error ? [host.error] : (host.command.errors ?? []),
			session_id: host.file?.session_id ?? (host.command.session_id || null),
			cloud_request_id: host.file?.cloud_request_id ?? (host.command.task_id || null),
			batch_id: batchId ?? null,
			batch_get_cmd_req_id: requestId ?? null,
		};
		const binary = host.binary ? { [settings.binaryPropertyName]: host.binary } : undefined;
		return hostItem(json, group.hosts.get(aid)!, binary);
	});
}

/**
 * Polls BatchGetCmdStatus until every uploading host has its sha256, or the deadline passes. As for commands, a
 * status read Falcon may recover from (5xx, 429) is tried again until the deadline; the failure is reported only
 * if no later read succeeds.
 */
async function waitForUploads(
	context: IExecuteFunctions,
	requestId: string,
	hosts: Map<string, HostFile>,
	plan: WaitPlan,
	keepAlive: KeepAlive,
) {
	const pause = pauses(plan, keepAlive);
	const uploading = () => [...hosts.values()].filter((host) => host.status === 'uploading');
	const runningGets = new Map<HostFile, ChunkProgress>();
	for (const host of uploading()) if (hostStatusOf(host.command) === 'pending') runningGets.set(host, noChunksYet());
	let lastFailure: unknown;
	while (uploading().length > 0) {
		try {
			const { body } = await falconRequest.call(context, {
				method: 'GET',
				path: paths.batchGet,
				qs: { batch_get_cmd_req_id: requestId },
				itemIndex: plan.itemIndex,
			});
			lastFailure = undefined;
			for (const file of hostResultsOf(body)) {
				const host = hosts.get(String(file.aid).toLowerCase());
				// The per-host timeout the get may have carried is history once the file is there.
				if (host?.status === 'uploading' && file.sha256 && file.created_at) {
					Object.assign(host, { status: 'success', file, command: { ...host.command, errors: [] } });
				}
			}
		} catch (error) {
			lastFailure = error;
			if (!mayPass(context, error)) break;
		}
		await followRunningGets(context, runningGets, plan, keepAlive);
		if (uploading().length === 0 || !(await pause())) break;
	}
	// The files already uploaded are still downloaded; only the hosts still uploading cannot be followed.
	if (lastFailure !== undefined) {
		const failed = perHostFailure(lastFailure);
		for (const host of uploading()) Object.assign(host, { status: 'api_error', error: failed });
	}
}

/**
 * A host Falcon stopped waiting for at the `get` (its per-host timeout) is followed by its task as well: a `get`
 * that then fails on the host (no such file, access denied) never shows in the upload status, and would be reported
 * a timeout at the deadline, without the host's stderr. A task that cannot be read is left to the upload status.
 */
async function followRunningGets(
	context: IExecuteFunctions,
	runningGets: Map<HostFile, ChunkProgress>,
	plan: WaitPlan,
	keepAlive: KeepAlive,
) {
	// A host whose file the upload status already gave needs its task no more.
	for (const host of runningGets.keys()) if (host.status !== 'uploading') runningGets.delete(host);
	const tasks = [...runningGets].map(([host, progress]) => ({ key: host, cloudRequestId: String(host.command.task_id), progress }));
	await lookAtEach(context, 'activeResponder', tasks, plan, keepAlive, (host, look) => {
		if ('failure' in look) {
			if (!mayPass(context, look.failure)) runningGets.delete(host);
			return;
		}
		if (!look.output) return;
		runningGets.delete(host);
		host.command = withOutput(host.command, look.output);
		if (look.output.stderr.trim() !== '') host.status = 'stderr';
	});
}

/**
 * How long a download Falcon answers 404 is tried again. Falcon may answer 404 for a moment after the sha256
 * appears; a file gone for good must not hold up the downloads of the hosts after it until the deadline.
 */
export const missingArchiveGrace = { ms: 30_000 };

/** The one grace a batch's downloads may take past the Deadline, from the first download on. */
interface PastDeadline {
	endsAt?: number;
}

/** Streams one archive, trying a 404 again within the grace (and the deadline). */
async function download(
	context: IExecuteFunctions,
	aid: string,
	host: HostFile,
	filePath: string,
	plan: WaitPlan,
	keepAlive: KeepAlive,
	batchGrace: PastDeadline,
) {
	const graceEnds = Date.now() + missingArchiveGrace.ms;
	// The file is there (its sha256 appeared): Falcon's 404 for a moment after is waited out even when the downloads
	// start at the Deadline (another host of the batch held the upload wait until then); once per batch, not once per
	// host, so archives gone for good (a session expired) cannot hold the node 30 s each.
	batchGrace.endsAt ??= graceEnds;
	const pause = pauses({ ...plan, deadline: Math.max(plan.deadline, batchGrace.endsAt) }, keepAlive);
	for (;;) {
		await keepAlive();
		try {
			host.binary = await downloadArchive(context, {
				sessionId: String(host.file!.session_id),
				sha256: String(host.file!.sha256),
				fileName: archiveFileName(aid, filePath),
				itemIndex: plan.itemIndex,
			});
			return;
		} catch (error) {
			const stillUploading = (error as { httpCode?: string }).httpCode === '404' && Date.now() < graceEnds;
			if (!stillUploading || !(await pause())) {
				host.status = 'api_error';
				host.error = perHostFailure(error);
				return;
			}
		}
	}
}
