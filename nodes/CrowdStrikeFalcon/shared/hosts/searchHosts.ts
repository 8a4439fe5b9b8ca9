import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { fqlString } from '../descriptions/query';
import { namingMissingScope } from '../engine/scopes';
import { getEntitiesByIds } from '../transport/entities';
import { falconRequest } from '../transport/falconRequest';
import { hostPaths } from './paths';

const PAGE_SIZE = 50;
/** The query endpoint refuses offsets from here on; past it the user narrows the list by typing. */
const OFFSET_CEILING = 10_000;

/** `listSearch` of the host picker: hostnames starting with what the user typed, A-Z, 50 at a time. */
export async function searchHosts(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	try {
		return await hostsPage.call(this, filter, paginationToken);
	} catch (error) {
		throw namingMissingScope(error, ['Hosts: Read']);
	}
}

async function hostsPage(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const typed = (filter ?? '').trim().replace(/[*'"\\]/g, '');
	const offset = Number(paginationToken ?? 0) || 0;
	const qs: IDataObject = { limit: PAGE_SIZE, offset, sort: 'hostname.asc' };
	if (typed !== '') qs.filter = `hostname:${fqlString(`${typed}*`)}`;
	const { body } = await falconRequest.call(this, { method: 'GET', path: hostPaths.query, qs });
	const ids = (Array.isArray(body.resources) ? body.resources : []).map(String);
	const hosts = ids.length > 0 ? await getEntitiesByIds.call(this, hostPaths.details, ids, { method: 'POST', orderBy: 'device_id' }) : [];
	const total = Number(body.meta?.pagination?.total ?? 0);
	const next = offset + ids.length;
	return {
		results: hosts.map((host) => ({
			name: `${String(host.hostname ?? host.device_id)} (${String(host.platform_name ?? 'unknown platform')}, ${String(host.status ?? 'unknown status')})`,
			value: String(host.device_id),
		})),
		paginationToken: next < Math.min(total, OFFSET_CEILING) ? String(next) : undefined,
	};
}
