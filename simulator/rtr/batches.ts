import { ApiError, type AuthContext } from '../request';
import type { Random } from '../random';
import { notFound } from '../lookup';
import { delay } from '../timers';
import type { Tier } from './commandCatalog';
import type { Command, CommandStore } from './commands';
import type { FileStore } from './files';
import { Hosts, SENSOR_COMMS_ERROR } from './hosts';
import type { Session, SessionStore } from './sessions';

interface Batch {
	id: string;
	clientId: string;
	cid: string;
	queueOffline: boolean;
	/** Host AID → its session in this batch (undefined when the host could not be reached at init). */
	hosts: Map<string, Session | undefined>;
	/** Every AID ever asked for in this batch (also unknown ones): Falcon's 10,000 limit counts per batch session. */
	requested: Set<string>;
}

const MAX_HOSTS_PER_BATCH = 10_000;

interface BatchGet {
	id: string;
	batch: Batch;
	commands: Map<string, Command>;
}

type HostResult = Record<string, unknown>;
type ErrorEntry = { code: number; message: string };

const seconds = (ms: number) => Number((ms / 1000).toFixed(6));

/** Batch sessions and commands: every result is an object keyed by host AID. */
export class BatchStore {
	private batches = new Map<string, Batch>();
	private gets = new Map<string, BatchGet>();

	constructor(
		private readonly hosts: Hosts,
		private readonly sessions: SessionStore,
		private readonly commands: CommandStore,
		private readonly files: FileStore,
		private readonly random: () => Random,
	) {}

	private hostResult(aid: string, session: Session | undefined, extra: Partial<HostResult> & { errors?: ErrorEntry[] } = {}): HostResult {
		return {
			aid,
			session_id: session?.id ?? '',
			task_id: '',
			base_command: '',
			complete: false,
			stdout: '',
			stderr: '',
			errors: [],
			offline_queued: session?.offlineQueued ?? false,
			query_time: 0,
			sequence_id: 0,
			...extra,
		};
	}

	private batch(id: string, auth: AuthContext): Batch {
		const batch = this.batches.get(id);
		if (!batch || batch.clientId !== auth.clientId || batch.cid !== auth.cid) throw notFound('batch', [id]);
		return batch;
	}

	/** BatchInitSessions: a session per host (queued for offline hosts when queue_offline), optionally added to an existing batch. */
	init(hostIds: string[], queueOffline: boolean, existingBatchId: string | undefined, auth: AuthContext): { batchId: string; resources: Record<string, HostResult> } {
		if (hostIds.length === 0) throw new ApiError(400, "'host_ids' must list at least one host");
		const batch: Batch = existingBatchId
			? this.batch(existingBatchId, auth)
			: { id: this.random().uuid(), clientId: auth.clientId, cid: auth.cid, queueOffline, hosts: new Map(), requested: new Set() };
		const members = new Set([...batch.requested, ...hostIds.map((aid) => aid.toLowerCase())]);
		if (members.size > MAX_HOSTS_PER_BATCH) {
			throw new ApiError(400, `a batch session holds at most ${MAX_HOSTS_PER_BATCH} hosts (this one would hold ${members.size})`);
		}
		batch.requested = members;
		this.batches.set(batch.id, batch);
		const resources: Record<string, HostResult> = {};
		for (const rawAid of hostIds) {
			const aid = rawAid.toLowerCase();
			const started = Date.now();
			const host = this.hosts.get(aid);
			if (!host) {
				resources[aid] = this.hostResult(aid, undefined, { errors: [{ code: 404, message: `host not found: ${aid}` }] });
				continue;
			}
			if (!this.hosts.isOnline(host) && !queueOffline) {
				batch.hosts.set(aid, undefined);
				resources[aid] = this.hostResult(aid, undefined, { errors: [SENSOR_COMMS_ERROR] });
				continue;
			}
			const session = this.sessions.open(aid, auth, queueOffline);
			batch.hosts.set(aid, session);
			resources[aid] = this.hostResult(aid, session, { complete: true, query_time: seconds(Date.now() - started) });
		}
		return { batchId: batch.id, resources };
	}

	/** BatchRefreshSessions: keeps the batch's sessions alive; hosts_to_remove stop being refreshed and leave the batch. */
	refresh(batchId: string, hostsToRemove: string[], auth: AuthContext): Record<string, HostResult> {
		const batch = this.batch(batchId, auth);
		for (const aid of hostsToRemove) batch.hosts.delete(aid.toLowerCase());
		const resources: Record<string, HostResult> = {};
		for (const [aid, session] of batch.hosts) {
			if (session && this.sessions.isActive(session)) {
				session.lastActivity = Date.now();
				resources[aid] = { aid, session_id: session.id, errors: [] };
			} else {
				resources[aid] = { aid, session_id: session?.id ?? '', errors: [session ? { code: 404, message: 'session expired' } : SENSOR_COMMS_ERROR] };
			}
		}
		return resources;
	}

	private targets(batch: Batch, optionalHosts: string[] | undefined): Array<[string, Session | undefined]> {
		if (!optionalHosts || optionalHosts.length === 0) return [...batch.hosts];
		return optionalHosts.map((raw) => {
			const aid = raw.toLowerCase();
			if (!batch.hosts.has(aid)) throw new ApiError(400, `optional_hosts: host ${aid} is not part of batch ${batch.id}`);
			return [aid, batch.hosts.get(aid)];
		});
	}

	/** Issues one command per target host; unreachable hosts get per-host errors instead. */
	private issue(batch: Batch, tier: Tier, baseCommand: string, commandString: string, optionalHosts: string[] | undefined) {
		const issued = new Map<string, Command>();
		const failed: Record<string, HostResult> = {};
		for (const [aid, session] of this.targets(batch, optionalHosts)) {
			if (!session || !this.sessions.isActive(session)) {
				failed[aid] = this.hostResult(aid, session, { errors: [session ? { code: 404, message: 'session expired' } : SENSOR_COMMS_ERROR] });
				continue;
			}
			if (!this.hosts.isOnline(session.host) && !session.offlineQueued) {
				failed[aid] = this.hostResult(aid, session, { errors: [SENSOR_COMMS_ERROR] });
				continue;
			}
			session.lastActivity = Date.now();
			const command = this.commands.create(session, tier, baseCommand, commandString);
			this.files.add(command);
			issued.set(aid, command);
		}
		return { issued, failed };
	}

	/** Holds the response until every issued command completed or the host timeout passed, like Falcon does. */
	private async waitForResults(issued: Map<string, Command>, hostMs: number): Promise<void> {
		const started = Date.now();
		// Commands queued for offline hosts are answered at once (offline_queued); the rest are waited for.
		const finishing = [...issued.values()].filter((c) => !c.queued).map((c) => c.completeAt);
		const waitUntil = Math.min(started + hostMs, finishing.length > 0 ? Math.max(...finishing) : started);
		// Timers may fire a millisecond before Date.now() catches up; sleep until the wall clock agrees.
		while (Date.now() < waitUntil) await delay(waitUntil - Date.now());
	}

	private commandResult(aid: string, command: Command, hostMs: number, started: number): HostResult {
		const complete = this.commands.isComplete(command);
		const errors: ErrorEntry[] = [];
		if (!complete && !command.queued) {
			errors.push({ code: 50401, message: `Exceeded maximum timeout: the command did not complete within host_timeout_duration (${hostMs / 1000}s)` });
		}
		return this.hostResult(aid, command.session, {
			task_id: command.id,
			base_command: command.baseCommand,
			complete,
			stdout: complete ? command.result.stdout : '',
			stderr: complete ? command.result.stderr : '',
			errors,
			query_time: seconds(Date.now() - started),
		});
	}

	async command(
		tier: Tier,
		input: { batchId: string; baseCommand: string; commandString: string; optionalHosts?: string[] },
		hostMs: number,
		auth: AuthContext,
	): Promise<Record<string, HostResult>> {
		const started = Date.now();
		const batch = this.batch(input.batchId, auth);
		const { issued, failed } = this.issue(batch, tier, input.baseCommand, input.commandString, input.optionalHosts);
		await this.waitForResults(issued, hostMs);
		const resources: Record<string, HostResult> = { ...failed };
		for (const [aid, command] of issued) resources[aid] = this.commandResult(aid, command, hostMs, started);
		return resources;
	}

	async get(
		input: { batchId: string; filePath: string; optionalHosts?: string[] },
		hostMs: number,
		auth: AuthContext,
	): Promise<{ requestId: string; resources: Record<string, HostResult> }> {
		const started = Date.now();
		const batch = this.batch(input.batchId, auth);
		const { issued, failed } = this.issue(batch, 'active-responder', 'get', `get ${input.filePath}`, input.optionalHosts);
		const request: BatchGet = { id: this.random().uuid(), batch, commands: issued };
		this.gets.set(request.id, request);
		await this.waitForResults(issued, hostMs);
		const resources: Record<string, HostResult> = { ...failed };
		for (const [aid, command] of issued) resources[aid] = this.commandResult(aid, command, hostMs, started);
		return { requestId: request.id, resources };
	}

	/** BatchGetCmdStatus: per host that found the file; sha256 and created_at stay empty until the upload finished. */
	getStatus(requestId: string, auth: AuthContext): Record<string, HostResult> {
		const request = this.gets.get(requestId);
		if (!request || request.batch.clientId !== auth.clientId || request.batch.cid !== auth.cid) {
			throw notFound('batch_get_cmd_req_id', [requestId]);
		}
		const resources: Record<string, HostResult> = {};
		for (const [aid, command] of request.commands) {
			const file = this.files.forCommand(command);
			if (!file || file.deletedAt !== undefined || this.files.progress(file) === 'running') continue;
			const ready = this.files.progress(file) === 'ready';
			const at = new Date(command.completeAt).toISOString();
			resources[aid] = {
				session_id: command.session.id,
				cloud_request_id: command.id,
				name: file.path,
				sha256: ready ? file.sha256 : '',
				size: ready ? file.content.length : 0,
				id: file.v1Id,
				created_at: ready ? at : '',
				updated_at: ready ? at : '',
				deleted_at: '',
			};
		}
		return resources;
	}

	count(): number {
		return this.batches.size;
	}
}
