import type { IExecuteFunctions } from 'n8n-workflow';

import { fqlWhole } from '../descriptions/query';
import { namingMissingScope } from '../engine/scopes';
import type { ValueResolver } from '../engine/types';
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

// Items of one run often name the same host; each hostname costs one query per node run and tenant.
const lookups = new WeakMap<IExecuteFunctions, Map<string, Promise<string[]>>>();

/** A hostname becomes the one host ID Falcon has for it; zero or several matches fail, naming the hostname. */
export const resolveHostReference: ValueResolver = async function (value, itemIndex) {
	if (!isHostnameReference(value)) return value;
	const { hostname } = value;
	let byName = lookups.get(this);
	if (!byName) lookups.set(this, (byName = new Map()));
	// The same hostname in two child tenants is two hosts.
	const tenant = memberCidFor(this, itemIndex);
	const key = `${tenant}/${hostname}`;
	let found = byName.get(key);
	if (!found) {
		found = hostIdsNamed(this, hostname, itemIndex);
		byName.set(key, found);
	}
	const ids = await found;
	if (ids.length === 1) return ids[0].toLowerCase();
	const problem =
		ids.length === 0
			? `No host is named "${hostname}" in this Falcon tenant${tenant ? ` (member CID ${tenant})` : ''}`
			: `Several hosts are named "${hostname}" (${ids.join(', ')})`;
	throw operationError(this.getNode(), problem, {
		itemIndex,
		description:
			'The hostname is matched whole, as FQL matches hostname:[\'…\'] (WKS-1 does not find WKS-10). A reimaged machine can leave a stale second record with the same name: pick the host "From List" or "By ID" instead.',
	});
};

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
