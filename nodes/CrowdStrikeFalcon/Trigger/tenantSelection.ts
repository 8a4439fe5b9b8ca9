import type { IDataObject } from 'n8n-workflow';

import { numberGiven, toList } from '../shared/engine/rules';
import { normaliseCid } from '../shared/transport/memberCid';

/** Which tenants' streams the trigger follows. */
export type TenantSelection =
	/** The credential's tenant: its Member CID, or the API client's own. */
	| { kind: 'credential' }
	/** Listed children of an MSSP parent client; Flight Control is read for their names only. */
	| { kind: 'childList'; cids: string[]; refreshMs: number }
	/** Every active child Flight Control lists, read again every `refreshMs`. */
	| { kind: 'allChildren'; refreshMs: number };

export const DEFAULT_CHILD_LIST_REFRESH_MINUTES = 15;

type Invalid = (field: string, problem: string) => Error;

export function readTenantSelection(
	tenants: unknown,
	childCids: unknown,
	options: IDataObject,
	invalid: Invalid,
): TenantSelection {
	if (tenants !== 'childList' && tenants !== 'allChildren') return { kind: 'credential' };
	const minutes = numberGiven(options.childListRefreshMinutes ?? DEFAULT_CHILD_LIST_REFRESH_MINUTES);
	if (!Number.isFinite(minutes) || minutes <= 0) {
		throw invalid('Child List Refresh (Minutes)', `must be more than 0 (got ${JSON.stringify(options.childListRefreshMinutes)})`);
	}
	const refreshMs = Math.round(minutes * 60_000);
	if (tenants === 'allChildren') return { kind: 'allChildren', refreshMs };
	return { kind: 'childList', cids: parseChildCids(childCids, invalid), refreshMs };
}

/** Comma-separated CIDs (or a list from an expression), as the console shows them or as Flight Control lists them. */
export function parseChildCids(value: unknown, invalid: Invalid): string[] {
	const entries = toList(value);
	if (entries.length === 0) throw invalid('Child CIDs', 'must name at least one child CID');
	const cids = entries.map((entry) => {
		const cid = normaliseCid(entry);
		if (!cid) {
			throw invalid('Child CIDs', `"${entry}" is not a CID (32 hexadecimal characters, optionally with its -XX checksum)`);
		}
		return cid;
	});
	return [...new Set(cids)];
}
