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

/** What an item acts on (`what`, e.g. a tag on a host) and how (`how`, e.g. add): items acting on one thing differently keep their order. */
export interface Touch {
	what: string;
	how: string;
}

/**
 * `hostsOf` reads the host IDs an item names (default: the `host_ids` it sends; one ID or a list). Groups are run in
 * the order they were formed. With `touches`, an item does not join a group formed before one that acts on a thing
 * it acts on differently (an add and a remove of one tag on one host): it starts a later group instead, so its
 * effect stays after that one's.
 */
export function groupHosts(
	items: ValidItem[],
	batchKey: (item: ValidItem) => string,
	hostsOf: (item: ValidItem) => unknown = (item) => item.prepared.sent.host_ids,
	touches?: (item: ValidItem) => Touch[],
): HostGroup[] {
	const groups: Array<{ key: string; group: HostGroup; touched: Map<string, Set<string>> }> = [];
	const conflictsAfter = (index: number, mine: Touch[]) =>
		groups.slice(index + 1).some(({ touched }) =>
			mine.some(({ what, how }) => [...(touched.get(what) ?? [])].some((other) => other !== how)),
		);
	for (const item of items) {
		const key = batchKey(item);
		const mine = touches?.(item) ?? [];
		let latest = groups.length - 1;
		while (latest >= 0 && groups[latest].key !== key) latest--;
		if (latest === -1 || conflictsAfter(latest, mine)) {
			groups.push({ key, group: { lead: item, hosts: new Map<string, number[]>() }, touched: new Map() });
			latest = groups.length - 1;
		}
		const entry = groups[latest];
		for (const { what, how } of mine) entry.touched.set(what, (entry.touched.get(what) ?? new Set()).add(how));
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
