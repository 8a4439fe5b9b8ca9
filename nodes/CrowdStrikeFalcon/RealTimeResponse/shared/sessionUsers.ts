/**
 * Run and Wait executions in this n8n process using each session. Falcon hands every caller of one API client its
 * existing session on a host, so executions on one host at the same time (two detections on it, an execution each)
 * get the same session: it is deleted only when the last of them finishes, and only if each of them would have.
 * Other processes (queue mode's other workers) are not counted here; a session opened more than a few seconds
 * before a run is recognised by its creation time instead (see openedBefore).
 */
interface Users {
	count: number;
	deleteWhenDone: boolean;
}

const bySession = new Map<string, Users>();

export interface SessionUse {
	/** Another execution here was using the session when this one got it. */
	readonly shared: boolean;
	/** The session must outlive this execution (a command queued for an offline host). */
	keep(): void;
	/** Ends this use; true when the session is to be deleted now (this was its last user here). */
	end(): boolean;
}

/**
 * `keep`: this execution never deletes the session (Keep Session, Use Session ID). `openedBefore`: the session was
 * open before this run started; it counts only when no execution here explains its age.
 */
export function useSession(sessionId: string, keep: boolean, openedBefore: boolean): SessionUse {
	const key = sessionId.toLowerCase();
	let users = bySession.get(key);
	const shared = users !== undefined;
	if (users) {
		users.count++;
		if (keep) users.deleteWhenDone = false;
	} else {
		users = { count: 1, deleteWhenDone: !keep && !openedBefore };
		bySession.set(key, users);
	}
	const entry = users;
	let ended = false;
	return {
		shared,
		keep: () => {
			entry.deleteWhenDone = false;
		},
		end: () => {
			if (ended) return false;
			ended = true;
			if (--entry.count > 0) return false;
			bySession.delete(key);
			return entry.deleteWhenDone;
		},
	};
}
