import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { ValidItem } from '../../shared/engine/types';
import { groupHosts, hostItem, hostNamed } from '../../shared/hosts/hostGroups';
import { isObject, type FalconError } from '../../shared/transport/envelope';
import { answerOfFailure, perHostFailure } from '../../shared/transport/failures';

/** The normalised outcome of an RTR call on one host, the same across every operation of this node. */
export type HostStatus = 'success' | 'stderr' | 'api_error' | 'offline_queued' | 'not_found' | 'timeout';

/**
 * Falcon's per-host code for "the host did not finish within the wait; poll its task_id" (`50401: Exceeded maximum
 * timeout`, per CrowdStrike's own answer in psfalcon issue #56: the device did not complete in the timeout window).
 */
const HOST_TIMED_OUT = 50401;

/**
 * Batch endpoints answer with an object keyed by host AID, under `combined.resources` or `resources`. A host's own
 * errors get the answer's `trace_id`, as every per-host failure carries one for Falcon support.
 */
export function hostResultsOf(body: IDataObject): IDataObject[] {
	const combined = (body.combined as IDataObject | undefined)?.resources;
	const keyed = (combined ?? body.resources) as IDataObject | IDataObject[] | null | undefined;
	if (!keyed || typeof keyed !== 'object') return [];
	const results = Array.isArray(keyed) ? keyed : Object.entries(keyed).map(([aid, result]) => ({ aid, ...(result as IDataObject) }));
	const traceId = (body.meta as IDataObject | undefined)?.trace_id ?? null;
	return results.map((result) => {
		const errors = errorsIn(result);
		if (errors.length === 0) return result;
		const stamped = errors.map((error) => (isObject(error) ? { ...error, trace_id: error.trace_id ?? traceId } : error));
		return { ...result, errors: stamped };
	});
}

export function errorsIn(result: IDataObject): FalconError[] {
	return Array.isArray(result.errors) ? (result.errors as FalconError[]) : [];
}

function isNotFound(error: FalconError): boolean {
	return error.code === 404 || /not found/i.test(error.message ?? '');
}

/**
 * A host whose session did not start. The session start runs a command of Falcon's own (`pwd`), whose task is no
 * task of the user's: left in, a host that timed out starting (50401) would read as running the user's command, and
 * come out with `pwd`'s output.
 */
export function failedStart(init: IDataObject): IDataObject {
	return { ...init, task_id: null };
}

/** `pending` when the host is still working on the command (Falcon stopped waiting, the task goes on). */
export function hostStatusOf(result: IDataObject): HostStatus | 'pending' {
	const errors = errorsIn(result);
	if (errors.length > 0) {
		if (errors.every((error) => error.code === HOST_TIMED_OUT) && result.task_id) return 'pending';
		// A host that got a session or ran the command exists: a 404 then is about the session or the call.
		const reached = Boolean(result.session_id) || Boolean(result.task_id);
		return !reached && errors.some(isNotFound) ? 'not_found' : 'api_error';
	}
	// A completed command first: a host's session queued while it was offline stays offline_queued after it ran.
	// A session start (no task) of a host still offline is queued, whatever its `complete` says.
	const ranCommand = typeof result.task_id === 'string' && result.task_id !== '';
	if (result.complete === true && (ranCommand || result.offline_queued !== true)) {
		return typeof result.stderr === 'string' && result.stderr.trim() !== '' ? 'stderr' : 'success';
	}
	if (result.offline_queued === true) return 'offline_queued';
	return result.task_id ? 'pending' : 'api_error';
}

/** A host that got no session: `not_found` when Falcon knows no such host, else `api_error` (offline, refused). */
export function noSessionStatus(error: unknown): HostStatus {
	if (!(error instanceof NodeApiError)) return 'api_error';
	return hostStatusOf({ errors: answerOfFailure(error).errors as IDataObject[] }) === 'not_found' ? 'not_found' : 'api_error';
}

/** Statuses that count as a failure for "fail when every/any host failed"; a queued command is not one. */
export function isFailure(status: HostStatus): boolean {
	return status !== 'success' && status !== 'offline_queued';
}

/** The per-host view a batch operation returns: raw Falcon fields plus the normalised status. */
export function withStatus(result: IDataObject, extra: IDataObject = {}): IDataObject {
	const status = hostStatusOf(result);
	return { ...extra, ...result, status: status === 'pending' ? 'timeout' : status };
}

/** Said of a command whose call failed with a 5xx or no answer: re-running it may run it twice. */
export const MAY_HAVE_RUN = 'Falcon may have run the command (the call failed after it was sent): check the hosts before running it again';

/**
 * The output of a tenant whose batch run failed as a whole while other tenants ran (see FalconOperation.failedTenant):
 * every host it named is an `api_error`, with the error.
 */
export function failedTenantHosts(validItems: ValidItem[], error: Error): INodeExecutionData[] {
	const failure = perHostFailure(error);
	return groupHosts(validItems, () => 'tenant').flatMap((group) =>
		[...group.hosts].map(([aid, itemIndexes]) => hostItem({ ...hostNamed(aid), status: 'api_error', error: failure }, itemIndexes)),
	);
}
