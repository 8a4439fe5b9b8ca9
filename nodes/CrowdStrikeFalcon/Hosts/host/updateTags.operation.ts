import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import { CONTAINMENT_CHANGES } from '../../shared/engine/aiAgent';
import { errorsPerId, idsNamedByErrors } from '../../shared/transport/errorsPerId';

import { toList } from '../../shared/engine/rules';
import type { FalconOperation, ValidItem } from '../../shared/engine/types';
import { groupHosts, hostItem, type Touch } from '../../shared/hosts/hostGroups';
import { hostLocatorField, hostLocatorMapping } from '../../shared/hosts/locator';
import { hostPaths } from '../../shared/hosts/paths';
import { groupingTagsRule, hostTags } from '../../shared/hosts/tags';
import { resourcesOf } from '../../shared/transport/envelope';
import { answerOfFailure, mayHaveActed, perHostFailure, resourcesOfFailure } from '../../shared/transport/failures';
import { falconRequest } from '../../shared/transport/falconRequest';
import { chunk } from '../../shared/transport/ids';
import { readHosts } from './readHosts';

/** Hosts per UpdateDeviceTags call: no documented limit; Falcon's own tools send a few hundred. */
const HOSTS_PER_CALL = 100;

export const updateTags: FalconOperation = {
	value: 'updateTags',
	name: 'Update Tags',
	action: 'Add or remove tags of a host',
	description: 'Add or remove Falcon grouping tags (FalconGroupingTags/...) on hosts; one item per host',
	operationId: 'UpdateDeviceTags',
	method: 'PATCH',
	alsoUses: ['PostDeviceDetailsV2'],
	idempotent: false,
	scopes: ['Hosts: Read', 'Hosts: Write'],
	path: hostPaths.tags,
	properties: [
		hostLocatorField(),
		{
			displayName: 'Action',
			name: 'tagAction',
			type: 'options',
			options: [
				{ name: 'Add', value: 'add' },
				{ name: 'Remove', value: 'remove' },
			],
			default: 'add',
			description: "Whether to add the tags to the host's Falcon grouping tags or remove them from it",
		},
		{
			displayName: 'Tags',
			name: 'tags',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. quarantined, incident-4711',
			description:
				'Grouping tags, separated by commas; the FalconGroupingTags/ prefix is added when missing',
		},
	],
	parameters: {
		hostId: hostLocatorMapping('body', 'device_ids'),
		tagAction: { to: 'body', as: 'action', rules: [(value) => (value === 'add' || value === 'remove' ? undefined : `must be add or remove (got ${JSON.stringify(value)})`)] },
		tags: { to: 'body', as: 'tags', rules: [groupingTagsRule], transform: hostTags },
	},
	needsAgentPermission: CONTAINMENT_CHANGES,
	// Items with the same action and tags share calls: one PATCH per 100 hosts. An add and a remove of one tag on one
	// host keep the items' order.
	async runForAllItems(validItems) {
		const groups = groupHosts(
			validItems,
			({ prepared }) => `${String(prepared.sent.action)} ${(prepared.sent.tags as string[]).join(',')}`,
			({ prepared }) => prepared.sent.device_ids,
			tagsOnHosts,
		);
		const output: INodeExecutionData[] = [];
		let calls = 0;
		const refusals: Error[] = [];
		for (const { lead, hosts } of groups) {
			const change: TagChange = { action: String(lead.prepared.sent.action), tags: lead.prepared.sent.tags as string[] };
			const results = new Map<string, IDataObject>();
			for (const deviceIds of chunk([...hosts.keys()], HOSTS_PER_CALL)) {
				calls++;
				const refusal = await tagHosts(this, lead.itemIndex, change, deviceIds, results, true);
				if (refusal) refusals.push(refusal);
			}
			for (const [aid, itemIndexes] of hosts) {
				const result = results.get(aid) as IDataObject;
				const json: IDataObject = { host_id: aid, action: change.action, tags: change.tags, ...result };
				delete json.device_id;
				output.push(hostItem(json, itemIndexes));
			}
		}
		// Falcon refused every call: nothing changed, and the run fails as one.
		if (calls > 0 && refusals.length === calls) throw refusals[0];
		return output;
	},
};

interface TagChange {
	action: string;
	tags: string[];
}

/**
 * One UpdateDeviceTags call; each host's outcome goes into `results`. Returns the error when Falcon refused the call as
 * a whole and no host was tagged. A 5xx or a dropped connection may come after Falcon tagged the hosts (a gateway's
 * timeout), and the call is not idempotent in what it reports: the hosts are read, those showing the change are
 * tagged, and the call is sent once more (`again`) for the others only.
 */
async function tagHosts(
	context: IExecuteFunctions,
	itemIndex: number,
	change: TagChange,
	deviceIds: string[],
	results: Map<string, IDataObject>,
	again: boolean,
): Promise<Error | undefined> {
	let answer: IDataObject;
	try {
		({ body: answer } = await falconRequest.call(context, {
			method: 'PATCH',
			path: hostPaths.tags,
			body: { action: change.action, device_ids: deviceIds, tags: change.tags },
			itemIndex,
		}));
	} catch (error) {
		// A 400 may still list each host's outcome (Falcon's AffectedEntities): read them as a 200's.
		if (error instanceof NodeApiError && resourcesOfFailure(error).length > 0) {
			answer = answerOfFailure(error);
		} else {
			const untagged = again && mayHaveActed(error) ? await hostsWithoutChange(context, itemIndex, change, deviceIds) : undefined;
			if (untagged) {
				for (const aid of deviceIds.filter((id) => !untagged.includes(id))) results.set(aid, { updated: true });
				if (untagged.length === 0) return undefined;
				const refusal = await tagHosts(context, itemIndex, change, untagged, results, false);
				return refusal && untagged.length === deviceIds.length ? refusal : undefined;
			}
			// Other calls may have tagged their hosts: a refused call fails its own hosts, not the run.
			const { code, message, trace_id } = perHostFailure(error);
			for (const aid of deviceIds) results.set(aid, { updated: false, error: message, code, trace_id });
			return error as Error;
		}
	}
	readAnswer(answer, deviceIds, results);
	return undefined;
}

/** The hosts whose tags do not show the change yet (every host when they cannot be read: undefined). */
async function hostsWithoutChange(
	context: IExecuteFunctions,
	itemIndex: number,
	{ action, tags }: TagChange,
	deviceIds: string[],
): Promise<string[] | undefined> {
	let hosts: Map<string, IDataObject>;
	try {
		hosts = await readHosts(context, deviceIds, itemIndex);
	} catch {
		return undefined;
	}
	const shows = (host: IDataObject | undefined) => {
		const has = new Set(toList(host?.tags).map((tag) => tag.toLowerCase()));
		return host !== undefined && tags.every((tag) => has.has(tag.toLowerCase()) === (action === 'add'));
	};
	return deviceIds.filter((aid) => !shows(hosts.get(aid)));
}

/** Each host's outcome as Falcon's answer (a 200's, or a 400's that lists them) gives it. */
function readAnswer(answer: IDataObject, deviceIds: string[], results: Map<string, IDataObject>): void {
	const errorsOf = errorsPerId(answer, deviceIds);
	const refused = new Set(idsNamedByErrors(answer, deviceIds).flatMap((entry) => entry.ids));
	for (const result of resourcesOf(answer)) {
		// A 200 lists `{device_id, updated, code, error}`; a 400 lists the hosts it affected as `{id, path}`,
		// unless an error names one.
		const aid = String(result.device_id ?? result.id).toLowerCase();
		if (result.device_id !== undefined) results.set(aid, result);
		else if (result.id !== undefined && !refused.has(aid)) results.set(aid, { updated: true });
	}
	const trace_id = (answer.meta as IDataObject | undefined)?.trace_id ?? null;
	for (const aid of deviceIds.filter((id) => !results.has(id))) {
		const [error] = errorsOf(aid);
		results.set(
			aid,
			error
				? { updated: false, error: String(error.message ?? ''), code: error.code, trace_id }
				: { updated: false, error: 'Falcon did not report this host', trace_id },
		);
	}
}

/** Each tag on each host the item names, and whether it adds or removes it. */
function tagsOnHosts({ prepared }: ValidItem): Touch[] {
	const lower = (value: unknown) => toList(value).map((entry) => entry.toLowerCase());
	const how = String(prepared.sent.action);
	return lower(prepared.sent.device_ids).flatMap((aid) => lower(prepared.sent.tags).map((tag) => ({ what: `${aid} ${tag}`, how })));
}
