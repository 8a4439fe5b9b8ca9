/**
 * Sessions left open on purpose here (Session → Start, Keep Session, Use Session ID, a command queued for an offline
 * host): a Run and Wait that Falcon hands one of them never deletes it, however recently it was opened. Kept for a
 * day after it was last marked, or until a Session → Delete here ends it.
 */
const keptSessions = new Map<string, number>();
const KEEP_RECORD_MS = 24 * 60 * 60_000;

export function markKept(sessionId: string): void {
	const now = Date.now();
	// Oldest first (a mark moves its session to the end): the sweep stops at the first record still kept.
	for (const [id, at] of keptSessions) {
		if (now - at < KEEP_RECORD_MS) break;
		keptSessions.delete(id);
	}
	const id = sessionId.toLowerCase();
	keptSessions.delete(id);
	keptSessions.set(id, now);
}

export function forgetKept(sessionId: string): void {
	keptSessions.delete(sessionId.toLowerCase());
}

function isKept(sessionId: string): boolean {
	const at = keptSessions.get(sessionId.toLowerCase());
	return at !== undefined && Date.now() - at < KEEP_RECORD_MS;
}

/**
 * Run and Wait executions in this n8n process working on each host, per API client and tenant. Falcon hands every
 * caller of one API client its existing session on a host, so executions on one host at the same time (two
 * detections on it, an execution each) get the same session: it is deleted only when the last of them finishes, and
 * only if each of them would have. They are counted from before the session is asked for: one that finishes while
 * another's request for the session is under way must not delete what that request is about to hand back. Other
 * processes (queue mode's other workers) are not counted here; a session opened more than a few seconds before a
 * run is recognised by its creation time instead (see openedBefore).
 */
interface HostUsers {
	count: number;
	/** When the first of them started (Date.now()): a session older than that is no session of theirs. */
	since: number;
	/** Undefined until the first of them knew its session. */
	deleteWhenDone?: boolean;
	sessionId?: string;
}

const byHost = new Map<string, HostUsers>();

export interface HostUse {
	/** Another execution here was working on the host when this one started. */
	readonly shared: boolean;
	/**
	 * The session is known. `keep`: this execution never deletes it (Keep Session, Use Session ID). `openedBefore`:
	 * whether it was open before a given time; asked for when the first of the executions here started, since any of
	 * them may have opened it (the first to start need not be the first whose session came).
	 */
	settle(sessionId: string, keep: boolean, openedBefore: (time: number) => boolean): void;
	/** The session must outlive this execution (a command queued for an offline host). */
	keep(): void;
	/**
	 * Ends this use (also one that never got its session); returns the session to delete now when this was its last
	 * user here and each of them would have deleted it.
	 */
	end(): string | undefined;
}

/**
 * Counts an execution working on the host, from before it asks Falcon for a session there. `client` names the API
 * client and tenant (each has its own session on a host); the host ID alone is enough where there is one.
 */
export function useHost(hostId: string, client = ''): HostUse {
	const key = `${client}|${hostId.toLowerCase()}`;
	const users = byHost.get(key) ?? { count: 0, since: Date.now() };
	const shared = users.count > 0;
	users.count++;
	byHost.set(key, users);
	let ended = false;
	return {
		shared,
		settle: (sessionId, keep, openedBefore) => {
			users.sessionId = sessionId;
			if (keep) markKept(sessionId);
			if (users.deleteWhenDone === undefined) users.deleteWhenDone = !keep && !openedBefore(users.since);
			else if (keep) users.deleteWhenDone = false;
		},
		keep: () => {
			users.deleteWhenDone = false;
			if (users.sessionId !== undefined) markKept(users.sessionId);
		},
		end: () => {
			if (ended) return undefined;
			ended = true;
			if (--users.count > 0) return undefined;
			byHost.delete(key);
			const sessionId = users.sessionId;
			return users.deleteWhenDone === true && sessionId !== undefined && !isKept(sessionId) ? sessionId : undefined;
		},
	};
}
