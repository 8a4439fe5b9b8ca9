/**
 * The network containment state machine of one host:
 *   normal --contain--> containment_pending --(delay, host online)--> contained
 *   contained --lift_containment--> lift_containment_pending --(delay, host online)--> normal
 * A pending transition completes once `containmentDelayMs` has passed since the request AND the host is online;
 * an offline host stays pending and completes when it comes back. Evaluated lazily (settle) — no timers.
 */

export type ContainmentStatus = 'normal' | 'containment_pending' | 'contained' | 'lift_containment_pending';
export type ContainmentAction = 'contain' | 'lift_containment';

export interface Containment {
	status: ContainmentStatus;
	/** When the pending transition may complete (if the host is online then). */
	dueAt: number;
}

const RULES: Record<ContainmentAction, { from: ContainmentStatus; pending: ContainmentStatus; to: ContainmentStatus; conflict: string }> = {
	contain: {
		from: 'normal',
		pending: 'containment_pending',
		to: 'contained',
		conflict: 'host is already contained or containment is pending',
	},
	lift_containment: {
		from: 'contained',
		pending: 'lift_containment_pending',
		to: 'normal',
		conflict: 'host is not contained (or a containment change is still pending)',
	},
};

/** Starts the action; returns the conflict message (a 409 for that id) when the host is not in the starting state. */
export function requestContainment(c: Containment, action: ContainmentAction, now: number, delayMs: number): string | undefined {
	const rule = RULES[action];
	if (c.status !== rule.from) return `${rule.conflict} (status: ${c.status})`;
	c.status = rule.pending;
	c.dueAt = now + delayMs;
	return undefined;
}

/**
 * Completes a pending transition that is due while the host is online. `onlineSince` is when the host's current
 * online period began (undefined while offline). Returns the time the transition completed, if it did.
 */
export function settleContainment(c: Containment, now: number, onlineSince: number | undefined): number | undefined {
	if (onlineSince === undefined || c.dueAt > now) return undefined;
	const rule = Object.values(RULES).find((r) => r.pending === c.status);
	if (!rule) return undefined;
	c.status = rule.to;
	return Math.max(c.dueAt, onlineSince);
}
