import type { IDataObject, INodeExecutionData, IPairedItemData } from 'n8n-workflow';

import type { ValidItem } from '../engine/types';
import { isHostnameReference } from './resolveHostname';

/** Input items that ask for the same batch (same command or file, same options), with the hosts they name. */
export interface HostGroup {
	/** The first item of the group: its options drive the batch. */
	lead: ValidItem;
	/** Host AID → the input items that named it (a host named twice runs once, paired to both). */
	hosts: Map<string, number[]>;
}

/**
 * `hostsOf` reads the host IDs an item names (default: the `host_ids` it sends; one ID or a list). Groups are run in
 * the order they were formed. With `mustFollow`, an item does not join a group formed before one holding an item it
 * must follow (an add and a remove of the same tag on one host): it starts a later group instead, so its effect
 * stays after that item's.
 */
export function groupHosts(
	items: ValidItem[],
	batchKey: (item: ValidItem) => string,
	hostsOf: (item: ValidItem) => unknown = (item) => item.prepared.sent.host_ids,
	mustFollow?: (item: ValidItem, earlier: ValidItem) => boolean,
): HostGroup[] {
	const groups: Array<{ key: string; members: ValidItem[]; group: HostGroup }> = [];
	for (const item of items) {
		const key = batchKey(item);
		let latest = groups.length - 1;
		while (latest >= 0 && groups[latest].key !== key) latest--;
		const blocked =
			mustFollow !== undefined && groups.slice(latest + 1).some((entry) => entry.members.some((earlier) => mustFollow(item, earlier)));
		if (latest === -1 || blocked) groups.push({ key, members: [], group: { lead: item, hosts: new Map<string, number[]>() } });
		const entry = latest === -1 || blocked ? groups[groups.length - 1] : groups[latest];
		entry.members.push(item);
		const named = hostsOf(item);
		for (const aid of (Array.isArray(named) ? named : [named]) as string[]) {
			const naming = entry.group.hosts.get(aid) ?? [];
			if (!naming.includes(item.itemIndex)) naming.push(item.itemIndex);
			entry.group.hosts.set(aid, naming);
		}
	}
	return groups.map((entry) => entry.group);
}

/** Cuts groups larger than `maxHosts` (e.g. Falcon's 10,000 hosts per RTR batch session) into several. */
export function limitGroupSize(groups: HostGroup[], maxHosts: number): HostGroup[] {
	return groups.flatMap((group) => {
		const hosts = [...group.hosts];
		if (hosts.length <= maxHosts) return [group];
		const parts: HostGroup[] = [];
		for (let start = 0; start < hosts.length; start += maxHosts) {
			parts.push({ lead: group.lead, hosts: new Map(hosts.slice(start, start + maxHosts)) });
		}
		return parts;
	});
}

/**
 * How an output item names its host: the host ID, or, for a hostname no look-up could turn into one (an item that
 * failed before acting), the hostname it gave, with no ID.
 */
export function hostNamed(host: unknown): IDataObject {
	return isHostnameReference(host) ? { host_id: null, hostname: host.hostname } : { host_id: host as string };
}

/** One output item per host, paired to every input item that named it. */
export function hostItem(json: IDataObject, itemIndexes: number[], binary?: INodeExecutionData['binary']): INodeExecutionData {
	const pairedItem: IPairedItemData[] = itemIndexes.map((item) => ({ item }));
	return { json, ...(binary ? { binary } : {}), pairedItem: pairedItem.length === 1 ? pairedItem[0] : pairedItem };
}
