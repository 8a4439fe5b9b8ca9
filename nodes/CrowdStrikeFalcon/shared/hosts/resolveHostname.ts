import type { IExecuteFunctions } from 'n8n-workflow';

import { fqlWhole } from '../descriptions/query';
import { namingMissingScope } from '../engine/scopes';
import type { ValueResolver } from '../engine/types';
import { idsOf, resourcesOf } from '../transport/envelope';
import { operationError } from '../transport/failures';
import { falconRequest } from '../transport/falconRequest';
import { memberCidFor } from '../transport/memberCid';
import { hostPaths } from './paths';

export interface HostnameReference {
	hostname: string;
}

export function isHostnameReference(value: unknown): value is HostnameReference {
	return value !== null && typeof value === 'object' && typeof (value as HostnameReference).hostname === 'string';
}

interface Lookup {
	found: Promise<Namesakes>;
	several?: Promise<string>;
}

/** The IDs of the hosts with a hostname, most recently seen first (the first NAMESAKES_LISTED), and how many. */
interface Namesakes {
	ids: string[];
	total: number;
}

// Items of one run often name the same host; each hostname costs one query per node run and tenant.
const lookups = new WeakMap<IExecuteFunctions, Map<string, Lookup>>();

/** A hostname becomes the one host ID Falcon has for it; zero or several matches fail, naming the hostname. */
export const resolveHostReference: ValueResolver = async function (value, itemIndex) {
	if (!isHostnameReference(value)) return value;
	const { hostname } = value;
	let byName = lookups.get(this);
	if (!byName) lookups.set(this, (byName = new Map()));
	// The same hostname in two child tenants is two hosts.
	const tenant = memberCidFor(this, itemIndex);
	const key = `${tenant}/${hostname}`;
	let lookup = byName.get(key);
	if (!lookup) {
		lookup = { found: hostsNamed(this, hostname, itemIndex) };
		byName.set(key, lookup);
	}
	const found = await lookup.found;
	if (found.ids.length === 1) return found.ids[0].toLowerCase();
	if (found.ids.length === 0) {
		throw operationError(
			this.getNode(),
			`No host is named "${hostname}" in this Falcon tenant${tenant ? ` (member CID ${tenant})` : ''}`,
			{
				itemIndex,
				description:
					'The hostname is matched whole, as FQL matches hostname:[\'…\'] (WKS-1 does not find WKS-10): pick the host "From List" or "By ID" instead.',
			},
		);
	}
	lookup.several ??= lastSeenOf(this, found, itemIndex);
	throw operationError(this.getNode(), `Several hosts are named "${hostname}": ${await lookup.several}`, {
		itemIndex,
		description:
			'A reimaged or renamed machine leaves a stale record with the same name, last seen before the change: pick the current host "By ID" or "From List" instead.',
	});
};

/** Enough to tell "exactly one" from "several", and to list several so the current one can be told from stale ones. */
const NAMESAKES_LISTED = 10;

async function hostsNamed(context: IExecuteFunctions, hostname: string, itemIndex: number): Promise<Namesakes> {
	const { body } = await falconRequest
		.call(context, {
			method: 'GET',
			path: hostPaths.query,
			qs: { filter: fqlWhole('hostname', hostname), limit: NAMESAKES_LISTED, sort: 'last_seen.desc' },
			itemIndex,
		})
		.catch((error: Error) => {
			throw namingMissingScope(error, ['Hosts: Read']);
		});
	const ids = idsOf(body);
	return { ids, total: Number(body.meta?.pagination?.total ?? ids.length) };
}

/** The hosts sharing a hostname, most recently seen first with `last_seen`: the current one told from stale records. */
async function lastSeenOf(context: IExecuteFunctions, { ids, total }: Namesakes, itemIndex: number): Promise<string> {
	let listed = ids.join(', ');
	try {
		const details = await falconRequest.call(context, { method: 'POST', path: hostPaths.details, body: { ids }, itemIndex });
		const lastSeen = new Map(resourcesOf(details.body).map((host) => [String(host.device_id), host.last_seen]));
		listed = ids.map((id) => `${id} (last seen ${String(lastSeen.get(id) ?? 'unknown')})`).join(', ');
	} catch {
		// The look-up already failed the item; the bare IDs still say which hosts to choose from.
	}
	return total > ids.length ? `${listed} and ${total - ids.length} more` : listed;
}
