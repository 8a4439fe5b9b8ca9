import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { getEntitiesByIds } from '../../shared/transport/entities';
import { errorsOf, resourcesOf } from '../../shared/transport/envelope';
import { falconApiError, operationError } from '../../shared/transport/failures';
import { falconRequest } from '../../shared/transport/falconRequest';
import { falconClockAheadMs } from '../../shared/transport/headers';
import { paths } from '../paths';
import type { Tier } from './commands';

export interface SessionRequest {
	hostId: string;
	queueOffline?: boolean;
	origin?: string;
	/** `timeout` / `timeout_duration` for the init call. */
	qs?: IDataObject;
	itemIndex: number;
}

/** How far Falcon's clock was ahead of this server's when it handed the session over (its answer's Date header). */
const falconClockAhead = new WeakMap<IDataObject, number>();

/** RTR_InitSession (or, with `pulse`, RTR_PulseSession): Falcon returns the caller's existing session if any. */
export async function openSession(
	context: IExecuteFunctions,
	request: SessionRequest,
	pulse = false,
): Promise<IDataObject> {
	const body: IDataObject = { device_id: request.hostId };
	if (request.queueOffline !== undefined) body.queue_offline = request.queueOffline;
	if (request.origin) body.origin = request.origin;
	const response = await falconRequest.call(context, {
		method: 'POST',
		path: pulse ? paths.refreshSession : paths.sessions,
		qs: pulse ? undefined : request.qs,
		body,
		idempotent: true,
		itemIndex: request.itemIndex,
	});
	const session = resourcesOf(response.body)[0];
	if (!session?.session_id && errorsOf(response.body).length > 0) {
		const path = pulse ? paths.refreshSession : paths.sessions;
		throw falconApiError(context.getNode(), { ...response, message: '' }, { method: 'POST', path, itemIndex: request.itemIndex });
	}
	if (!session?.session_id) {
		throw operationError(context.getNode(), `Falcon opened no session on host ${request.hostId}`, {
			itemIndex: request.itemIndex,
			description: `trace_id: ${response.body.meta?.trace_id ?? 'unknown'}`,
		});
	}
	const ahead = falconClockAheadMs(response.headers);
	if (ahead !== undefined) falconClockAhead.set(session, ahead);
	return session;
}


/**
 * A session named by the user (Use Session ID), checked to be on the host the command is for: its keep-alive
 * pulses that host, and a session on another host would run the command there.
 */
export async function sessionOnHost(
	context: IExecuteFunctions,
	sessionId: string,
	hostId: string,
	itemIndex: number,
): Promise<IDataObject> {
	const [session] = await getEntitiesByIds.call(context, paths.sessionsByIds, [sessionId], {
		method: 'POST',
		itemIndex,
		skipMissing: true,
	});
	// Falcon still lists an ended session, with the time it ended.
	const problem = !session || session.deleted_at
		? `Falcon has no session ${sessionId} (it ended, or expired after 10 idle minutes)`
		: String(session.device_id ?? '').toLowerCase() !== hostId.toLowerCase()
			? `Session ${sessionId} is on host ${String(session.device_id)}, not on the host given (${hostId})`
			: undefined;
	if (problem) {
		throw operationError(context.getNode(), problem, {
			itemIndex,
			description: 'Nothing was run. Give the session\'s own host, or leave Use Session ID empty to open a session.',
		});
	}
	return { ...session, session_id: sessionId };
}

/**
 * A session created this little before the time asked about counts as new: the clocks are compared through the
 * Date header's whole seconds and the answer's way over the network (or not at all, without the header).
 */
const CLOCK_SKEW_MS = 5_000;

/**
 * Whether the session Falcon handed back was open before `time` (this server's clock): RTR_InitSession returns the
 * caller's own existing session on the host, which another execution (or a Session → Start kept for later) still
 * uses. Its `created_at` is Falcon's clock: taken as is, a server clock a few seconds ahead of Falcon's made every
 * new session look old, and every Run and Wait left its session open.
 */
export function openedBefore(session: IDataObject, time: number): boolean {
	const created = Date.parse(String(session.created_at ?? ''));
	const ahead = falconClockAhead.get(session) ?? 0;
	return Number.isFinite(created) && created < time + ahead - CLOCK_SKEW_MS;
}

/** Ends a session; failures are reported to the caller instead of hiding the outcome of the command. */
export async function closeSession(
	context: IExecuteFunctions,
	sessionId: string,
	itemIndex: number,
): Promise<{ deleted: boolean; error?: string }> {
	try {
		await falconRequest.call(context, {
			method: 'DELETE',
			path: paths.sessions,
			qs: { session_id: sessionId },
			idempotent: true,
			itemIndex,
			// Stopping the workflow must not leave the session open on the host.
			outlivesCancel: true,
		});
		return { deleted: true };
	} catch (error) {
		return { deleted: false, error: (error as Error).message };
	}
}

/** RTR_ExecuteCommand or RTR_ExecuteActiveResponderCommand; never retried, so a command runs at most once. */
export async function sendCommand(
	context: IExecuteFunctions,
	tier: Tier,
	command: { sessionId: string; baseCommand: string; commandLine: string; itemIndex: number },
): Promise<IDataObject> {
	const response = await falconRequest.call(context, {
		method: 'POST',
		path: tier === 'activeResponder' ? paths.activeResponderCommand : paths.command,
		body: {
			session_id: command.sessionId,
			base_command: command.baseCommand,
			command_string: command.commandLine,
		},
		idempotent: false,
		itemIndex: command.itemIndex,
	});
	const sent = resourcesOf(response.body)[0];
	if (!sent?.cloud_request_id && errorsOf(response.body).length > 0) {
		const path = tier === 'activeResponder' ? paths.activeResponderCommand : paths.command;
		throw falconApiError(context.getNode(), { ...response, message: '' }, { method: 'POST', path, itemIndex: command.itemIndex });
	}
	if (!sent?.cloud_request_id) {
		throw operationError(context.getNode(), 'Falcon accepted the command but returned no cloud_request_id', {
			itemIndex: command.itemIndex,
			description: `trace_id: ${response.body.meta?.trace_id ?? 'unknown'}`,
		});
	}
	return sent;
}
