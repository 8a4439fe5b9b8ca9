import {
	ApiError,
	bodyObject,
	optionalBoolean,
	optionalString,
	optionalStringArray,
	requireQuery,
	requireString,
	type ApiRequest,
	type AuthContext,
} from '../request';
import { envelope, meta, metaOnly, STREAMED, type Reply } from '../envelope';
import { queryCollection, type FieldSchema } from '../fql';
import { pickByIds } from '../lookup';
import { Random } from '../random';
import type { Faults } from '../faults';
import type { Route } from '../router';
import type { FleetHost } from './fleet';
import { Hosts } from './hosts';
import { SessionStore, type Session } from './sessions';
import { CommandStore } from './commands';
import { FileStore } from './files';
import { BatchStore } from './batches';
import { aggregate } from './aggregates';
import { readTimeouts } from './timeouts';
import type { Tier } from './commandCatalog';

export interface RtrSettings {
	seed: number;
	sessionIdleSeconds: number;
	commandCompleteAfterMs: number;
	fileUploadAfterMs: number;
	outputChunkSize: number;
}

const POWERED_BY = 'empower-api';
const SESSION_SCHEMA: FieldSchema = {
	id: 'string',
	aid: 'string',
	device_id: 'string',
	hostname: 'string',
	user_id: 'string',
	user_uuid: 'string',
	origin: 'string',
	platform_id: 'string',
	platform_name: 'string',
	offline_queued: 'boolean',
	commands_queued: 'boolean',
	created_at: 'date',
	date_created: 'date',
	updated_at: 'date',
	deleted_at: 'date',
};

/** Batch command replies carry per-host results under `combined.resources` instead of `resources`. */
function combinedReply(req: ApiRequest, resources: Record<string, unknown>, top: Record<string, unknown> = {}): Reply {
	return { status: 201, body: { meta: meta(req, { poweredBy: POWERED_BY }), ...top, combined: { resources }, errors: [] } };
}

function auth(req: ApiRequest): AuthContext {
	if (!req.auth) throw new ApiError(401, 'access denied, invalid bearer token');
	return req.auth;
}

/** Real Time Response: the 23 read-only and active-responder operations. */
export class RealTimeResponse {
	private random!: Random;
	private sessions!: SessionStore;
	private commands!: CommandStore;
	private files!: FileStore;
	private batches!: BatchStore;
	private readonly hosts: Hosts;

	constructor(
		fleet: FleetHost[],
		private readonly faults: Faults,
		private readonly settings: RtrSettings,
	) {
		this.hosts = new Hosts(fleet, faults);
		this.reset();
	}

	reset(): void {
		this.random = new Random(this.settings.seed, 'rtr');
		const random = () => this.random;
		this.sessions = new SessionStore(this.hosts, random, this.settings.sessionIdleSeconds * 1000);
		this.commands = new CommandStore(this.hosts, this.faults, random, {
			seed: this.settings.seed,
			completeAfterMs: this.settings.commandCompleteAfterMs,
			chunkSize: this.settings.outputChunkSize,
		});
		this.files = new FileStore(this.commands, random, this.settings.fileUploadAfterMs);
		this.batches = new BatchStore(this.hosts, this.sessions, this.commands, this.files, random);
	}

	counts(): { sessions: number; commands: number; batches: number } {
		return { sessions: this.sessions.count(), commands: this.commands.count(), batches: this.batches.count() };
	}

	private ok(req: ApiRequest, status: number, resources: unknown, top?: Record<string, unknown>): Reply {
		return envelope(req, status, resources, { poweredBy: POWERED_BY, top });
	}

	private initSession(req: ApiRequest): Reply {
		readTimeouts(req.query);
		const body = bodyObject(req);
		const session = this.sessions.open(
			requireString(body, 'device_id'),
			auth(req),
			optionalBoolean(body, 'queue_offline') ?? false,
			optionalString(body, 'origin') ?? '',
		);
		return this.ok(req, 201, [this.sessions.initView(session)]);
	}

	private execute(req: ApiRequest, tier: Tier): Reply {
		const body = bodyObject(req);
		const session = this.sessions.use(requireString(body, 'session_id'), auth(req));
		const command = this.commands.create(session, tier, requireString(body, 'base_command'), requireString(body, 'command_string'));
		this.files.add(command);
		return this.ok(req, 201, [{ session_id: session.id, cloud_request_id: command.id, queued_command_offline: command.queued }]);
	}

	private status(req: ApiRequest, tier: Tier): Reply {
		const id = requireQuery(req.query, 'cloud_request_id');
		return this.ok(req, 200, [this.commands.status(id, tier, req.query.get('sequence_id'), auth(req))]);
	}

	private sessionFromQuery(req: ApiRequest): Session {
		return this.sessions.use(requireQuery(req.query, 'session_id'), auth(req));
	}

	private queuedView(session: Session): Record<string, unknown> {
		const iso = (ms: number) => new Date(ms).toISOString();
		return {
			id: session.id,
			aid: session.host.aid,
			status: this.hosts.isOnline(session.host) ? 'Online' : 'Pending',
			user_id: session.clientId,
			user_uuid: session.userUuid,
			created_at: iso(session.createdAt),
			updated_at: iso(session.updatedAt),
			deleted_at: session.deletedAt === undefined ? null : iso(session.deletedAt),
			Commands: this.commands.forSession(session).map((c) => {
				const done = this.commands.isComplete(c);
				const status = c.canceledAt !== undefined ? 'Canceled' : done ? 'Completed' : c.queued ? 'Pending' : 'Running';
				return {
					cloud_request_id: c.id,
					base_command: c.baseCommand,
					command_string: c.commandString,
					status,
					status_text: status === 'Pending' ? 'Queued until the host comes online' : status,
					created_at: iso(c.createdAt),
					updated_at: iso(c.canceledAt ?? c.createdAt),
					deleted_at: c.canceledAt === undefined ? null : iso(c.canceledAt),
				};
			}),
		};
	}

	private async batchCommand(req: ApiRequest, tier: Tier): Promise<Reply> {
		const { hostMs } = readTimeouts(req.query);
		const body = bodyObject(req);
		const resources = await this.batches.command(
			tier,
			{
				batchId: requireString(body, 'batch_id'),
				baseCommand: requireString(body, 'base_command'),
				commandString: requireString(body, 'command_string'),
				optionalHosts: optionalStringArray(body, 'optional_hosts'),
			},
			hostMs,
			auth(req),
		);
		return combinedReply(req, resources);
	}

	routes(): Route[] {
		const base = '/real-time-response';
		const route = (method: string, path: string, handler: Route['handler']): Route => ({ method, path: `${base}${path}`, auth: 'bearer', handler });
		return [
			route('POST', '/aggregates/sessions/GET/v1', (req) => {
				const records = this.sessions.all(auth(req)).map((s) => this.filterRecord(s));
				return this.ok(req, 200, aggregate(records, req.body, SESSION_SCHEMA));
			}),
			route('POST', '/combined/batch-init-session/v1', (req) => {
				readTimeouts(req.query);
				const body = bodyObject(req);
				const { batchId, resources } = this.batches.init(
					optionalStringArray(body, 'host_ids') ?? [],
					optionalBoolean(body, 'queue_offline') ?? false,
					optionalString(body, 'existing_batch_id') || undefined,
					auth(req),
				);
				return this.ok(req, 201, resources, { batch_id: batchId });
			}),
			route('POST', '/combined/batch-refresh-session/v1', (req) => {
				readTimeouts(req.query);
				const body = bodyObject(req);
				const resources = this.batches.refresh(requireString(body, 'batch_id'), optionalStringArray(body, 'hosts_to_remove') ?? [], auth(req));
				return this.ok(req, 201, resources);
			}),
			route('POST', '/combined/batch-command/v1', (req) => this.batchCommand(req, 'read-only')),
			route('POST', '/combined/batch-active-responder-command/v1', (req) => this.batchCommand(req, 'active-responder')),
			route('POST', '/combined/batch-get-command/v1', async (req) => {
				const { hostMs } = readTimeouts(req.query);
				const body = bodyObject(req);
				const { requestId, resources } = await this.batches.get(
					{ batchId: requireString(body, 'batch_id'), filePath: requireString(body, 'file_path'), optionalHosts: optionalStringArray(body, 'optional_hosts') },
					hostMs,
					auth(req),
				);
				return combinedReply(req, resources, { batch_get_cmd_req_id: requestId });
			}),
			route('GET', '/combined/batch-get-command/v1', (req) => {
				readTimeouts(req.query);
				return this.ok(req, 200, this.batches.getStatus(requireQuery(req.query, 'batch_get_cmd_req_id'), auth(req)));
			}),
			route('POST', '/entities/sessions/v1', (req) => this.initSession(req)),
			route('POST', '/entities/refresh-session/v1', (req) => this.initSession(req)),
			route('DELETE', '/entities/sessions/v1', (req) => {
				const id = requireQuery(req.query, 'session_id');
				this.sessions.delete(id, auth(req));
				this.commands.cancelAllQueued(this.sessions.find(id, auth(req))!);
				return { status: 204 };
			}),
			route('POST', '/entities/sessions/GET/v1', (req) => {
				const ids = optionalStringArray(bodyObject(req), 'ids') ?? [];
				const all = this.sessions.all(auth(req));
				return this.ok(req, 200, pickByIds(all, ids, 'session').map((s) => this.sessions.view(s)));
			}),
			route('GET', '/queries/sessions/v1', (req) => {
				const records = this.sessions.all(auth(req)).map((s) => this.filterRecord(s));
				const { page, pagination } = queryCollection(records, req.query, {
					schema: SESSION_SCHEMA,
					defaultLimit: 100,
					maxLimit: 5000,
					aliases: { '@me': auth(req).clientId },
				});
				return envelope(req, 200, page.map((r) => r.id), { pagination, poweredBy: POWERED_BY });
			}),
			route('POST', '/entities/command/v1', (req) => this.execute(req, 'read-only')),
			route('GET', '/entities/command/v1', (req) => this.status(req, 'read-only')),
			route('POST', '/entities/active-responder-command/v1', (req) => this.execute(req, 'active-responder')),
			route('GET', '/entities/active-responder-command/v1', (req) => this.status(req, 'active-responder')),
			route('GET', '/entities/file/v1', (req) => this.ok(req, 200, this.files.listed(this.sessionFromQuery(req)).map((f) => this.files.viewV1(f)))),
			route('GET', '/entities/file/v2', (req) => this.ok(req, 200, this.files.listed(this.sessionFromQuery(req)).map((f) => this.files.viewV2(f)))),
			route('DELETE', '/entities/file/v1', (req) => this.deleteFile(req)),
			route('DELETE', '/entities/file/v2', (req) => this.deleteFile(req)),
			route('GET', '/entities/extracted-file-contents/v1', (req) => {
				const session = this.sessionFromQuery(req);
				const { name, bytes } = this.files.archive(session, requireQuery(req.query, 'sha256'), req.query.get('filename'));
				if (this.faults.take('cutDownloads')) {
					req.res.writeHead(200, { 'Content-Type': 'application/x-7z-compressed', 'Content-Length': String(bytes.length) });
					req.res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => req.res.destroy());
					return STREAMED;
				}
				return {
					status: 200,
					binary: bytes,
					contentType: 'application/x-7z-compressed',
					headers: { 'Content-Disposition': `attachment; filename="${name.replace(/"/g, '')}.7z"` },
				};
			}),
			route('POST', '/entities/queued-sessions/GET/v1', (req) => {
				const ids = optionalStringArray(bodyObject(req), 'ids') ?? [];
				const queued = this.sessions.all(auth(req)).filter((s) => s.offlineQueued);
				return this.ok(req, 200, pickByIds(queued, ids, 'queued session').map((s) => this.queuedView(s)));
			}),
			route('DELETE', '/entities/queued-sessions/command/v1', (req) => {
				const session = this.sessions.find(requireQuery(req.query, 'session_id'), auth(req));
				if (!session || !session.offlineQueued) throw new ApiError(404, `queued session not found: ${req.query.get('session_id')}`);
				this.commands.cancelQueued(session, requireQuery(req.query, 'cloud_request_id'));
				return metaOnly(req, 200, [], { poweredBy: POWERED_BY });
			}),
		];
	}

	private deleteFile(req: ApiRequest): Reply {
		this.files.delete(this.sessionFromQuery(req), requireQuery(req.query, 'ids'));
		return { status: 204 };
	}

	/** The session as FQL sees it: the ListSessions shape plus the `date_created` alias used in sort examples. */
	private filterRecord(session: Session): Record<string, unknown> & { id: string } {
		const view = this.sessions.view(session);
		// Falcon filters sessions by `aid`, the host its records call `device_id`.
		return { ...view, id: session.id, aid: view.device_id, date_created: view.created_at };
	}
}
