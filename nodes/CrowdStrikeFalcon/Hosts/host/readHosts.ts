import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { hostPaths } from '../../shared/hosts/paths';
import { getEntitiesByIds } from '../../shared/transport/entities';
import { MAX_HOSTS_PER_DETAILS } from './fields';

/** The hosts' records (PostDeviceDetailsV2) by lower-case AID; an AID Falcon does not know is left out. */
export async function readHosts(
	context: IExecuteFunctions,
	aids: string[],
	itemIndex: number,
): Promise<Map<string, IDataObject>> {
	if (aids.length === 0) return new Map();
	const hosts = await getEntitiesByIds.call(context, hostPaths.details, aids, {
		method: 'POST',
		chunkSize: MAX_HOSTS_PER_DETAILS,
		itemIndex,
		skipMissing: true,
		idField: 'device_id',
	});
	return new Map(hosts.map((host) => [String(host.device_id).toLowerCase(), host]));
}
