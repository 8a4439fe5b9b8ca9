import type { IDataObject } from 'n8n-workflow';

import { randomString } from 'n8n-workflow';

import { clearPosition, type StoredState } from '../shared/stream/positions';
import { startNewEventsAt } from './startPosition';
import { isObject } from '../shared/transport/envelope';

/**
 * The node's static data. The credential's own tenant keeps its position at the top level, where every version of
 * this trigger has kept it, so a workflow upgraded from a single-tenant version resumes where it was; each child
 * tenant has the same fields under `tenants[<child CID>]` (lower-case, 32 hex digits). `childTenants` says how the
 * list of children was last read.
 */
export interface TriggerState extends StoredState {
	/** The credential's Member CID the top-level position belongs to ('' for the API client's own tenant). */
	credentialTenant?: string;
	/**
	 * Whose events the top-level position was read from: the CID they carry (`metadata.customerIDString`, lower-case)
	 * and a fingerprint of the API client that read them, noted at the first event of an activation.
	 */
	streamTenant?: { cid: string; client: string };
	/**
	 * When reading with another API client than `streamTenant`'s began (epoch ms, this server's clock), kept until
	 * an event told whose stream it reads: saved with the activation, so a tenant found to be another one starts its
	 * new events from then, also after a restart in between.
	 */
	tenantCheckSince?: number;
	/** Falcon's clock less this server's when `tenantCheckSince` was taken, noted at that activation's first discovery. */
	tenantCheckFalconAheadMs?: number;
	tenants?: IDataObject;
	childTenants?: IDataObject;
	/** The explicit start position already applied to the children followed then (see startFingerprint). */
	childrenStartApplied?: string;
}

/** A child no longer followed keeps its stored state this long, so a child re-added within it resumes where it was. */
export const KEEP_LEFT_CHILD_MS = 30 * 24 * 60 * 60_000;

/**
 * Notes which tenant the credential acts on, and drops the stored position when it is another one than the position
 * was read in (a Member CID edited): one tenant's offsets mean nothing in another's stream, where they would skip
 * events below them. The tenant then starts as a new tenant does (If No Stored Position, as for a child first
 * followed after an explicit start; an explicit start set with the edit applies to it), under a new epoch, since the deduplication keys of the first tenant's
 * executions would make n8n refuse the second tenant's events at the same offsets. Returns whether it dropped one.
 */
export function adoptCredentialTenant(root: TriggerState, memberCid: string, startFingerprint: string | undefined): boolean {
	const stored = root.credentialTenant;
	root.credentialTenant = memberCid;
	// Unknown for positions stored before the tenant was noted: they are taken to be this tenant's.
	if (typeof stored !== 'string' || stored === memberCid) return false;
	startAsNewTenant(root, startFingerprint, appliedStart(root, startFingerprint));
	return true;
}

/** Whether the explicit start set now was applied before this activation (to the tenant the position is from). */
export function appliedStart(root: TriggerState, startFingerprint: string | undefined): boolean {
	return startFingerprint !== undefined && root.startApplied === startFingerprint;
}

/**
 * Drops the stored position for a tenant other than the one it was read in, under a new epoch. An explicit start
 * the first tenant had (`appliedBefore`) is passed over; one set with the change is for the new tenant.
 */
export function startAsNewTenant(root: TriggerState, startFingerprint: string | undefined, appliedBefore: boolean): void {
	const since = root.tenantCheckSince;
	clearPosition(root);
	// The first tenant's partitions: a follower would look for those its discovery does not offer, and items would
	// show their committed offsets.
	if (isObject(root.health)) delete root.health.partitions;
	// "New events" of a tenant found at the first event count from when reading it began, not from now.
	if (typeof since === 'number' && Number.isFinite(since)) {
		startNewEventsAt(root, since);
		if (typeof root.tenantCheckFalconAheadMs === 'number') root.newEventsFalconAheadMs = root.tenantCheckFalconAheadMs;
	}
	delete root.tenantCheckSince;
	delete root.tenantCheckFalconAheadMs;
	delete root.startApplied;
	delete root.newerThanAppliedMs;
	delete root.streamTenant;
	if (appliedBefore) root.startPassedOver = startFingerprint;
	else delete root.startPassedOver;
	root.epoch = randomString(8);
}

/**
 * The CID the credential tenant's events must carry for the stored position to be theirs: asked when the API
 * client is another than the one that read it (the credential pointed at another client, maybe of another tenant:
 * without a Member CID nothing else tells). Undefined when nothing needs checking.
 */
export function tenantToConfirm(root: TriggerState, clientId: string): string | undefined {
	const stored = root.streamTenant;
	if (!isObject(stored) || typeof stored.cid !== 'string' || stored.client === clientFingerprint(clientId)) return undefined;
	return stored.cid;
}

/** Notes whose events the position is being read from (see TriggerState.streamTenant). */
export function noteStreamTenant(root: TriggerState, cid: string, clientId: string): void {
	root.streamTenant = { cid, client: clientFingerprint(clientId) };
	delete root.tenantCheckSince;
	delete root.tenantCheckFalconAheadMs;
}

/** FNV-1a of the client ID: tells clients apart without keeping their IDs in the static data. */
function clientFingerprint(clientId: string): string {
	let hash = 0x811c9dc5;
	for (let index = 0; index < clientId.length; index++) {
		hash ^= clientId.charCodeAt(index);
		hash = Math.imul(hash, 0x01000193) >>> 0;
	}
	return hash.toString(16).padStart(8, '0');
}

/** One tenant's stored position, and how to tell n8n that it changed. */
export interface TenantStore {
	readonly state: StoredState;
	/** Call after writing to `state`: n8n saves the static data only when it noticed a change. */
	changed(): void;
}

export function ownTenantStore(root: TriggerState): TenantStore {
	return {
		state: root,
		// n8n notices assignments to the node's own object, not writes inside objects created after it loaded the
		// static data (the stored position is written in place): one key is assigned again as it is.
		changed: () => {
			const offsets = root.offsets;
			root.offsets = offsets;
		},
	};
}

/** The child's slice of the static data, created empty the first time the child is followed. */
export function childTenantStore(root: TriggerState, cid: string): TenantStore {
	const tenants = isObject(root.tenants) ? root.tenants : {};
	if (!isObject(tenants[cid])) root.tenants = { ...tenants, [cid]: {} };
	const state = (root.tenants as IDataObject)[cid] as StoredState;
	return {
		state,
		// n8n notices assignments to the node's object only, not writes inside objects created after the static data
		// was loaded. Any assignment marks the whole static data as changed, so the map is assigned back as it is:
		// copying it would cost every commit of every child a copy of the whole map.
		changed: () => {
			const map = root.tenants;
			root.tenants = map;
		},
	};
}

/**
 * After a read of the children: a child whose state is no longer in use (removed from Flight Control, or from the
 * trigger's selection) is stamped `leftAt`, and dropped once it has been left for `KEEP_LEFT_CHILD_MS`; one in use
 * again loses its stamp. Without this, every child an MSSP ever followed would stay in the static data that n8n
 * writes to its database at every emit.
 */
export function forgetLeftChildren(root: TriggerState, inUse: ReadonlySet<string>, now: number): void {
	if (!isObject(root.tenants)) return;
	const tenants = root.tenants;
	let changed = false;
	for (const [cid, state] of Object.entries(tenants)) {
		if (!isObject(state)) continue;
		const leftAt = state.leftAt;
		if (inUse.has(cid)) {
			if (leftAt === undefined) continue;
			delete state.leftAt;
		} else if (typeof leftAt !== 'number') {
			state.leftAt = now;
		} else if (now - leftAt >= KEEP_LEFT_CHILD_MS) {
			delete tenants[cid];
		} else continue;
		changed = true;
	}
	// Assigned back as it is: n8n notices assignments to the node's object, not writes inside objects created later.
	if (changed) root.tenants = tenants;
}

/** A store outside the static data: test runs in the editor never read or change the stored position. */
export function scratchTenantStore(): TenantStore {
	return { state: {}, changed: () => undefined };
}
