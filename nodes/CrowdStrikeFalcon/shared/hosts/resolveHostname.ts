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
	ids: Promise<string[]>;
	namesakes?: Promise<string>;
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
		lookup = { ids: hostIdsNamed(this, hostname, itemIndex) };
		byName.set(key, lookup);
	}
	const ids = await lookup.ids;
	if (ids.length === 1) return ids[0].toLowerCase();
	if (ids.length === 0) {
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
	lookup.namesakes ??= namesakesLastSeen(this, hostname, itemIndex, ids);
	throw operationError(this.getNode(), `Several hosts are named "${hostname}": ${await lookup.namesakes}`, {
		itemIndex,
		description:
			'A reimaged or renamed machine leaves a stale record with the same name, last seen before the change: pick the current host "By ID" or "From List" instead.',
	});
};

const NAMESAKES_LISTED = 10;

/** The hosts sharing a hostname, most recently seen first, so the user can tell the current one from stale records. */
async function namesakesLastSeen(
	context: IExecuteFunctions,
	hostname: string,
	itemIndex: number,
	firstFound: string[],
): Promise<string> {
	try {
		const { body } = await falconRequest.call(context, {
			method: 'GET',
			path: hostPaths.query,
			qs: { filter: fqlWhole('hostname', hostname), limit: NAMESAKES_LISTED, sort: 'last_seen.desc' },
			itemIndex,
		});
		const ids = idsOf(body);
		if (ids.length < 2) return firstFound.join(', ');
		const details = await falconRequest.call(context, { method: 'POST', path: hostPaths.details, body: { ids }, itemIndex });
		const lastSeen = new Map(resourcesOf(details.body).map((host) => [String(host.device_id), host.last_seen]));
		const listed = ids.map((id) => `${id} (last seen ${String(lastSeen.get(id) ?? 'unknown')})`).join(', ');
		const more = Number(body.meta?.pagination?.total ?? ids.length) - ids.length;
		return more > 0 ? `${listed} and ${more} more` : listed;
	} catch {
		// The look-up already failed the item; the bare IDs still say which hosts to choose from.
		return firstFound.join(', ');
	}
}

async function hostIdsNamed(context: IExecuteFunctions, hostname: string, itemIndex: number): Promise<string[]> {
	const { body } = await falconRequest
		.call(context, {
			method: 'GET',
			path: hostPaths.query,
			// Two are enough to tell "exactly one" from "several".
			qs: { filter: fqlWhole('hostname', hostname), limit: 2 },
			itemIndex,
		})
		.catch((error: Error) => {
			throw namingMissingScope(error, ['Hosts: Read']);
		});
	return (Array.isArray(body.resources) ? body.resources : []).map(String);
}
