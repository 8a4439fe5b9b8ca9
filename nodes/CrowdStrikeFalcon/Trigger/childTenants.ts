import { flightControlPaths } from '../FlightControl/paths';
import { getEntitiesByIds } from '../shared/transport/entities';
import type { FalconContext } from '../shared/transport/falconRequest';
import { collectPages } from '../shared/transport/pagination';
import type { TenantSelection } from './tenantSelection';

/** A child tenant as the trigger follows it. */
export interface ChildTenant {
	/** Lower case, 32 hex digits: the form member_cid tokens and Flight Control use. */
	cid: string;
	/** Flight Control's name for the child; null until (or unless) Flight Control names it. */
	name: string | null;
}

/** queryChildren accepts up to 5,000 ids a page. */
const QUERY_PAGE_SIZE = 5000;

/**
 * The children to follow now, with their names, from Flight Control (the parent client's own tenant, scope
 * "Flight Control: Read"): every active child, or the listed ones. Listed children are followed even when Flight
 * Control cannot name them (scope missing, or not a child: their own token request then says so).
 */
export async function childrenToFollow(
	context: FalconContext,
	selection: Exclude<TenantSelection, { kind: 'credential' }>,
	abortSignal: AbortSignal,
	followedNow: Iterable<string> = [],
): Promise<ChildTenant[]> {
	if (selection.kind === 'allChildren') {
		const ids = await collectPages.call(
			context,
			{ method: 'GET', path: flightControlPaths.childrenQuery, memberCid: '', abortSignal },
			{ pageSize: QUERY_PAGE_SIZE },
		);
		const listed = new Set(ids.map(bareCid));
		// Pages read by offset while children change (a change moves a child to the top of the default sort) can skip
		// one: a child followed now that the pages left out is looked up by its CID before it is taken for removed.
		const unlisted = [...followedNow].filter((cid) => !listed.has(cid));
		const links = await childLinks(context, [...ids.map(String), ...unlisted]);
		return links.filter((link) => link.active).map(({ cid, name }) => ({ cid, name }));
	}
	const names = new Map<string, string | null>();
	try {
		for (const link of await childLinks(context, selection.cids)) names.set(link.cid, link.name);
	} catch {
		// Names are a convenience: the listed children are followed without them, and named at the next refresh.
	}
	return selection.cids.map((cid) => ({ cid, name: names.get(cid) ?? null }));
}

interface ChildLink extends ChildTenant {
	active: boolean;
}

async function childLinks(context: FalconContext, cids: string[]): Promise<ChildLink[]> {
	if (cids.length === 0) return [];
	const entities = await getEntitiesByIds.call(context, flightControlPaths.children, cids, { skipMissing: true });
	return entities
		.filter((entity) => typeof entity.child_cid === 'string')
		.map((entity) => ({
			cid: bareCid(entity.child_cid),
			name: typeof entity.name === 'string' && entity.name !== '' ? entity.name : null,
			// PSFalcon's samples follow `active` children; a link without a status is taken as active.
			active: entity.status === undefined || String(entity.status).toLowerCase() === 'active',
		}));
}

/** A child CID as followers are keyed by it: lower case, without the console's `-XX` checksum. */
function bareCid(cid: unknown): string {
	return String(cid).split('-')[0].toLowerCase();
}
