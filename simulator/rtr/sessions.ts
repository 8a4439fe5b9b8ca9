import { ApiError, type AuthContext } from '../request';
import type { Random } from '../random';
import { notFound } from '../lookup';
import type { FleetHost } from './fleet';
import { Hosts, PLATFORM_ID, SENSOR_COMMS_ERROR } from './hosts';
import { defaultPwd } from './cannedOutput';

export interface SessionLog {
	id: number;
	session_id: string;
	cloud_request_id: string;
	base_command: string;
	command_string: string;
	current_directory: string;
	created_at: string;
	updated_at: string;
}

export interface Session {
	id: string;
	host: FleetHost;
	cid: string;
	clientId: string;
	userUuid: string;
	origin: string;
	createdAt: number;
	updatedAt: number;
	lastActivity: number;
	/** Set by RTR_DeleteSession; idle expiry is derived from lastActivity instead. */
	deletedAt?: number;
	pwd: string;
	offlineQueued: boolean;
	logs: SessionLog[];
	cloudRequestIds: string[];
}

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

export class SessionStore {
	private sessions = new Map<string, Session>();

	constructor(
		private readonly hosts: Hosts,
		private readonly random: () => Random,
		private readonly idleMs: number,
	) {}

	/** When the session stopped being usable (deleted or idle-expired), or undefined while active. */
	endedAt(session: Session, now = Date.now()): number | undefined {
		if (session.deletedAt !== undefined) return session.deletedAt;
		const expiry = session.lastActivity + this.idleMs;
		return expiry <= now ? expiry : undefined;
	}

	isActive(session: Session): boolean {
		return this.endedAt(session) === undefined;
	}

	/** RTR_InitSession / RTR_PulseSession: reuse this client's active session on the host, or open one. */
	open(aid: string, auth: AuthContext, queueOffline: boolean, origin = ''): Session {
		const host = this.hosts.get(aid);
		if (!host) throw notFound('host', [aid]);
		const online = this.hosts.isOnline(host);
		if (!online && !queueOffline) throw new ApiError(404, SENSOR_COMMS_ERROR.message, SENSOR_COMMS_ERROR.code);
		const existing = [...this.sessions.values()].find(
			(s) => s.host === host && s.clientId === auth.clientId && s.cid === auth.cid && this.isActive(s),
		);
		const now = Date.now();
		if (existing) {
			existing.lastActivity = now;
			existing.updatedAt = now;
			existing.offlineQueued = existing.offlineQueued || !online;
			return existing;
		}
		const random = this.random();
		const session: Session = {
			id: random.uuid(),
			host,
			cid: auth.cid,
			clientId: auth.clientId,
			userUuid: random.uuid(),
			origin,
			createdAt: now,
			updatedAt: now,
			lastActivity: now,
			pwd: defaultPwd(host),
			offlineQueued: !online,
			logs: [],
			cloudRequestIds: [],
		};
		this.sessions.set(session.id, session);
		return session;
	}

	/** An active session of this client, or 404. Touches it: any use keeps a session alive. */
	use(id: string, auth: AuthContext): Session {
		const session = this.sessions.get(id);
		if (!session || session.clientId !== auth.clientId || session.cid !== auth.cid || !this.isActive(session)) {
			throw notFound('session', [id]);
		}
		session.lastActivity = Date.now();
		return session;
	}

	find(id: string, auth: AuthContext): Session | undefined {
		const session = this.sessions.get(id);
		return session && session.clientId === auth.clientId && session.cid === auth.cid ? session : undefined;
	}

	delete(id: string, auth: AuthContext): void {
		const session = this.use(id, auth);
		session.deletedAt = Date.now();
		session.updatedAt = session.deletedAt;
	}

	all(auth: AuthContext): Session[] {
		return [...this.sessions.values()].filter((s) => s.clientId === auth.clientId && s.cid === auth.cid);
	}

	count(): number {
		return this.sessions.size;
	}

	/** The domain.Session shape of RTR_ListSessions. */
	view(session: Session): Record<string, unknown> {
		const endedAt = this.endedAt(session);
		return {
			id: session.id,
			cid: session.cid,
			device_id: session.host.aid,
			hostname: session.host.hostname,
			user_id: session.clientId,
			user_uuid: session.userUuid,
			origin: session.origin,
			platform_id: PLATFORM_ID[session.host.platform],
			platform_name: session.host.platform,
			pwd: session.pwd,
			offline_queued: session.offlineQueued,
			commands_queued: session.offlineQueued && session.logs.length > 0,
			duration: Math.round(((endedAt ?? Date.now()) - session.createdAt) / 1000),
			created_at: iso(session.createdAt),
			updated_at: iso(session.updatedAt),
			deleted_at: iso(endedAt),
			cloud_request_ids: [...session.cloudRequestIds],
			logs: session.logs.map((l) => ({ ...l })),
		};
	}

	/** The domain.InitResponse shape of RTR_InitSession / RTR_PulseSession. */
	initView(session: Session): Record<string, unknown> {
		return {
			session_id: session.id,
			device_id: session.host.aid,
			created_at: iso(session.createdAt),
			existing_aid_sessions: this.all({ clientId: session.clientId, cid: session.cid }).filter(
				(s) => s.host === session.host && this.isActive(s),
			).length,
			offline_queued: session.offlineQueued,
			platform: session.host.platform.toLowerCase(),
			pwd: session.pwd,
			previous_commands: session.logs.map((l) => l.command_string),
			scripts: [],
		};
	}
}
