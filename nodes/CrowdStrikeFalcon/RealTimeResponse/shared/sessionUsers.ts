/**
 * Run and Wait executions in this n8n process working on each host. Falcon hands every caller of one API client its
 * existing session on a host, so executions on one host at the same time (two detections on it, an execution each)
 * get the same session: it is deleted only when the last of them finishes, and only if each of them would have.
 * They are counted from before the session is asked for: one that finishes while another's request for the session
 * is under way must not delete what that request is about to hand back. Other processes (queue mode's other
 * workers) are not counted here; a session opened more than a few seconds before a run is recognised by its
 * creation time instead (see openedBefore).
 */
interface HostUsers {
	count: number;
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
	 * it was open before this run started; it counts only when no execution here explains its age.
	 */
	settle(sessionId: string, keep: boolean, openedBefore: boolean): void;
	/** The session must outlive this execution (a command queued for an offline host). */
	keep(): void;
	/**
	 * Ends this use (also one that never got its session); returns the session to delete now when this was its last
	 * user here and each of them would have deleted it.
	 */
	end(): string | undefined;
}

/** Counts an execution working on the host, from before it asks Falcon for a session there. */
export function useHost(hostId: string): HostUse {
	const key = hostId.toLowerCase();
	const users = byHost.get(key) ?? { count: 0 };
	const shared = users.count > 0;
	users.count++;
	byHost.set(key, users);
	let ended = false;
	return {
		shared,
		settle: (sessionId, keep, openedBefore) => {
			users.sessionId = sessionId;
			if (users.deleteWhenDone === undefined) users.deleteWhenDone = !keep && !(openedBefore && !shared);
			else if (keep) users.deleteWhenDone = false;
		},
		keep: () => {
			users.deleteWhenDone = false;
		},
		end: () => {
			if (ended) return undefined;
			ended = true;
			if (--users.count > 0) return undefined;
			byHost.delete(key);
			return users.deleteWhenDone === true ? users.sessionId : undefined;
		},
	};
}
