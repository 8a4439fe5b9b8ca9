import type { IDataObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import { asBoolean } from '../../shared/engine/parameters';
import { withFailureFacts } from '../../shared/engine/partialOutput';

import type { FalconOperation } from '../../shared/engine/types';
import { mayHaveActed, perHostFailure } from '../../shared/transport/failures';
import { memberCidFor } from '../../shared/transport/memberCid';
import { credentialsOf } from '../../shared/transport/memberRequest';
import { mintedFor } from '../../shared/transport/mintedFor';
import { paths } from '../paths';
import { commandMappings, commandProblem, hostChangingCommand, itemTier, tierFields } from '../shared/commandFields';
import { hostIdField, hostIdMapping, optionalUuidMapping, originOption, queueOfflineOption } from '../shared/fields';
import { MAY_HAVE_RUN, noSessionStatus, type HostStatus } from '../shared/hostResults';
import { waitForCommand, type CommandOutput } from '../shared/poll';
import { closeSession, openedBefore, openSession, sendCommand, sessionOnHost } from '../shared/session';
import { useHost } from '../shared/sessionUsers';
import { timeoutMappings, timeoutOptions, timeoutProblem } from '../shared/timeouts';
import { apiWaitProblem, apiWaitQuery, waitOptions, waitPlanFrom, waitProblem } from '../shared/waitOptions';

export const runAndWait: FalconOperation = {
	value: 'runAndWait',
	name: 'Run and Wait',
	action: 'Run a command on a host and wait for its output',
	description:
		'Start (or reuse) a session, run the command, wait until it completes and return its whole stdout and stderr',
	operationId: 'RTR_ExecuteCommand',
	alsoUses: [
		'RTR_InitSession',
		'RTR_CheckCommandStatus',
		'RTR_ExecuteActiveResponderCommand',
		'RTR_CheckActiveResponderCommandStatus',
		'RTR_PulseSession',
		'RTR_DeleteSession',
	],
	method: 'POST',
	idempotent: false,
	scopes: ['Real time response: Read', 'Real time response: Write (only with Command Tier Active Responder)'],
	path: paths.command,
	properties: [
		hostIdField,
		...tierFields,
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				...waitOptions,
				{
					displayName: 'Keep Session',
					name: 'keepSession',
					type: 'boolean',
					default: false,
					description:
						'Whether to leave the session open for later commands (e.g. after cd); otherwise it is deleted when the node is done, even on failure, unless it was open before this run, another execution is using it, it holds a command queued for an offline host, or the command is a get that may have uploaded its file',
				},
				originOption,
				queueOfflineOption,
				{
					displayName: 'Use Session ID',
					name: 'sessionId',
					type: 'string',
					default: '',
					placeholder: 'e.g. 1c5c4a4e-8f6b-4f2a-9a53-0d1f1f4e2b7a',
					description: 'Run in this existing session instead of starting one; it is never deleted by this node',
				},
				...timeoutOptions(false),
			],
		},
	],
	parameters: {
		hostId: hostIdMapping(),
		...commandMappings(),
		'options.sessionId': optionalUuidMapping('body', 'session_id'),
		'options.queueOffline': { to: 'body', as: 'queue_offline' },
		'options.origin': { to: 'body', as: 'origin' },
		...timeoutMappings('options', false),
	},
	validate: (values) =>
		commandProblem(values) ??
		waitProblem(values.options as IDataObject) ??
		timeoutProblem(values, 'options') ??
		apiWaitProblem(values, 'options'),
	needsAgentPermission: hostChangingCommand(),

	async run(itemIndex, { sent }) {
		const startedAt = Date.now();
		const tier = itemTier(this, itemIndex);
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const hostId = String(sent.device_id);
		const reusedSessionId = sent.session_id === undefined ? undefined : String(sent.session_id).toLowerCase();
		// Each API client, and each tenant of one, has its own session on a host: the tenant is the node's Member
		// CID, else the credential's, however it was named.
		const credentials = await credentialsOf(this, itemIndex);
		const client = mintedFor({ ...credentials, memberCid: memberCidFor(this, itemIndex) || credentials.memberCid });
		const use = useHost(hostId, client);
		let session: IDataObject | undefined;
		try {
			session = await (reusedSessionId
				? sessionOnHost(this, reusedSessionId, hostId, itemIndex)
				: openSession(this, {
						hostId,
						queueOffline: sent.queue_offline as boolean | undefined,
						origin: sent.origin as string | undefined,
						qs: apiWaitQuery(sent, options),
						itemIndex,
					})
			).catch((error: unknown) => {
				// The item of a host that got no session says which host, and how it failed, as every RTR result does.
				throw withFailureFacts(error, { host_id: hostId, status: noSessionStatus(error) });
			});
		} finally {
			// No session came: when this was the last of several here, theirs goes as they meant it to.
			const left = session ? undefined : use.end();
			if (left) await closeSession(this, left, itemIndex);
		}
		const sessionId = String(session.session_id);
		// A session that was open before this run, or that another execution here is using, belongs to them:
		// deleting it would break their steps.
		const foundOpen = reusedSessionId === undefined && openedBefore(session, startedAt);
		const olderThan = (time: number) => reusedSessionId === undefined && openedBefore(session, time);
		// A `get` uploads the file to the cloud under this session: deleted, the file could not be listed or downloaded.
		// Kept once the `get` may have run, not when it was never sent or the host said it found no such file.
		const getsFile = String(sent.base_command).trim().toLowerCase() === 'get';
		let fileMayBeUploaded = false;
		use.settle(sessionId, asBoolean(options.keepSession) === true || reusedSessionId !== undefined, olderThan);
		let cloudRequestId: string | undefined;
		let output: CommandOutput = { complete: false, stdout: '', stderr: '', chunks: 0 };
		let status: HostStatus = 'timeout';
		let cleanup: { deleted: boolean; error?: string } | undefined;
		let pollError: IDataObject | undefined;
		try {
			const command = { sessionId, baseCommand: String(sent.base_command), commandLine: String(sent.command_string), itemIndex };
			const accepted = await sendCommand(this, tier, command).catch((error: unknown) => {
				// Never sent again; but a 5xx or no answer may have come after Falcon sent the command to the host.
				const mayHaveRun = mayHaveActed(error);
				fileMayBeUploaded = mayHaveRun;
				if (mayHaveRun && error instanceof NodeApiError) error.description = [error.description, MAY_HAVE_RUN].filter(Boolean).join(' | ');
				throw withFailureFacts(error, { host_id: hostId, status: 'api_error', session_id: sessionId, ...(mayHaveRun ? { may_have_run: true } : {}) });
			});
			cloudRequestId = String(accepted.cloud_request_id);
			fileMayBeUploaded = true;
			// The command's own flag: a session opened while the host was offline keeps saying offline_queued after
			// it came back, when its commands run at once.
			if ((accepted.queued_command_offline ?? session.offline_queued) === true) {
				// Deleting the session would drop the queued command, so it stays whatever the options say.
				use.keep();
				status = 'offline_queued';
			} else {
				const keepAlive = async () => {
					await openSession(this, { hostId, itemIndex }, true);
				};
				try {
					output = await waitForCommand(this, tier, cloudRequestId, waitPlanFrom(this, options, itemIndex, keepAlive, startedAt));
					status = output.error ? 'api_error' : !output.complete ? 'timeout' : output.stderr.trim() !== '' ? 'stderr' : 'success';
					pollError = output.error;
					fileMayBeUploaded = status !== 'stderr';
				} catch (error) {
					// The command was sent: its IDs must reach the user, or a retry would run it a second time.
					status = 'api_error';
					pollError = perHostFailure(error);
				}
			}
		} finally {
			if (getsFile && fileMayBeUploaded) use.keep();
			const toDelete = use.end();
			if (toDelete) cleanup = await closeSession(this, toDelete, itemIndex);
		}
		const json: IDataObject = {
			host_id: hostId,
			status,
			stdout: output.stdout,
			stderr: output.stderr,
			complete: output.complete,
			offline_queued: status === 'offline_queued',
			session_id: sessionId,
			cloud_request_id: cloudRequestId,
			base_command: sent.base_command,
			command_string: sent.command_string,
			chunks: output.chunks,
			session_kept: cleanup === undefined,
			session_reused: reusedSessionId !== undefined || foundOpen || use.shared,
			duration_ms: Date.now() - startedAt,
		};
		if (pollError) json.error = pollError;
		if (cleanup?.error) json.session_cleanup_error = cleanup.error;
		return [{ json, pairedItem: { item: itemIndex } }];
	},
};
