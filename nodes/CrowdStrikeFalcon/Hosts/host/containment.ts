import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { CONTAINMENT_CHANGES } from '../../shared/engine/aiAgent';
import { sleep } from '../../shared/sleep';
import { idsNamedByErrors } from '../../shared/transport/errorsPerId';
import { asBoolean } from '../../shared/engine/parameters';
import { numberBetween } from '../../shared/engine/rules';
import type { AllItemsRunner, FalconOperation, ValidItem } from '../../shared/engine/types';
import { hostLocatorField, hostLocatorMapping } from '../../shared/hosts/locator';
import { groupHosts, hostItem, hostNamed, type HostGroup } from '../../shared/hosts/hostGroups';
import { hostPaths } from '../../shared/hosts/paths';
import { resourcesOf } from '../../shared/transport/envelope';
import { answerOfFailure, perHostFailure, perHostGap, statusOfFailure } from '../../shared/transport/failures';
import { falconRequest } from '../../shared/transport/falconRequest';
import { chunk } from '../../shared/transport/ids';
import { readHosts } from './readHosts';

/** What one containment action does to a host's `status`. */
export interface ContainmentAction {
	actionName: 'contain' | 'lift_containment';
	/** The status the action ends in, and the one Falcon reports on the way. */
	done: string;
	pending: string;
	/** `result` of a host that already was in the `done` status (nothing sent for it). */
	alreadyDone: string;
	waitLabel: string;
}

/** Contain and Lift Containment are one declaration shape: PerformActionV2 with their action. */
export function containmentOperation(
	action: ContainmentAction,
	labels: Pick<FalconOperation, 'value' | 'name' | 'action' | 'description'>,
): FalconOperation {
	return {
		...labels,
		operationId: 'PerformActionV2',
		alsoUses: ['PostDeviceDetailsV2'],
		method: 'POST',
		idempotent: false,
		scopes: ['Hosts: Read', 'Hosts: Write'],
		path: hostPaths.action,
		properties: [hostLocatorField(), containmentOptions(action)],
		parameters: { hostId: hostLocatorMapping('body', 'ids') },
		validate: (values) => containmentProblem(values.options as IDataObject),
		needsAgentPermission: CONTAINMENT_CHANGES,
		runForAllItems: runContainment(action),
		// A child whose run failed as a whole (its token refused) fails its own hosts; the other children's stand.
		failedTenant(validItems, error) {
			return groupHosts(validItems, () => 'tenant', hostsNamed).flatMap((group) => failedGroup(action, group, error));
		},
	};
}

const hostsNamed = (item: ValidItem) => item.prepared.sent.ids;

export const containAction: ContainmentAction = {
	actionName: 'contain',
	done: 'contained',
	pending: 'containment_pending',
	alreadyDone: 'already_contained',
	waitLabel: 'Wait Until Contained',
};

export const liftAction: ContainmentAction = {
	actionName: 'lift_containment',
	done: 'normal',
	pending: 'lift_containment_pending',
	alreadyDone: 'not_contained',
	waitLabel: 'Wait Until Lifted',
};

/**
 * Hosts per PerformActionV2 call. Falcon documents no limit; CrowdStrike's PSFalcon has sent `contain` and
 * `lift_containment` 500 hosts a call and `hide_host` 100 a call, so 100 stays within what its own tools send.
 */
const HOSTS_PER_ACTION = 100;
const DEFAULTS = { deadlineSeconds: 120, pollIntervalSeconds: 5 };

export function containmentOptions(action: ContainmentAction): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Deadline (Seconds)',
				name: 'deadlineSeconds',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 3600 },
				// Without the wait nothing reads them: offered as if they made the node wait, they would mislead.
				displayOptions: { show: { wait: [true] } },
				default: 120,
				description: `With "${action.waitLabel}": how long to wait before reporting the hosts still "${action.pending}" (an offline host stays pending until it reconnects)`,
			},
			{
				displayName: 'Poll Interval (Seconds)',
				name: 'pollIntervalSeconds',
				type: 'number',
				typeOptions: { minValue: 0.5, maxValue: 300, numberPrecision: 1 },
				displayOptions: { show: { wait: [true] } },
				default: 5,
				description: `With "${action.waitLabel}": pause between two reads of the hosts' status`,
			},
			{
				displayName: action.waitLabel,
				name: 'wait',
				type: 'boolean',
				default: false,
				description: `Whether to read the hosts' status until it is "${action.done}" or the deadline passes`,
			},
		],
	};
}

export function containmentProblem(options: IDataObject = {}): string | undefined {
	const { deadlineSeconds = DEFAULTS.deadlineSeconds, pollIntervalSeconds = DEFAULTS.pollIntervalSeconds } = options;
	// Each has a default: given as '' (an expression that found nothing) it is no number, not left out.
	const inRange = (label: string, value: unknown, min: number, max: number) => {
		const problem = value === '' ? `must be a number from ${min} to ${max} (got "")` : numberBetween(min, max)(value);
		return problem && `"Options > ${label}" ${problem}`;
	};
	return inRange('Deadline (Seconds)', deadlineSeconds, 1, 3600) ?? inRange('Poll Interval (Seconds)', pollIntervalSeconds, 0.5, 300);
}

/**
 * Every host named by every item, in the fewest PerformActionV2 calls: hosts already in the target state (or on
 * the way there) are not sent again. Items whose options differ (an expression's Wait Until Contained or Deadline)
 * are run apart, each with its own: every group is acted on first, then all are waited for together, since a host
 * left waiting for another group's deadline would stay uncontained that long. One output item per host, paired to
 * the items that named it.
 */
export function runContainment(action: ContainmentAction): AllItemsRunner {
	return async function (this: IExecuteFunctions, validItems: ValidItem[]): Promise<INodeExecutionData[]> {
		const optionsOf = (itemIndex: number) => this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const groups = groupHosts(validItems, (item) => JSON.stringify(optionsOf(item.itemIndex)), hostsNamed);
		const reports: Array<() => Promise<INodeExecutionData[]>> = [];
		for (const group of groups) {
			// Acted on one after another: a host named in two groups is then seen under way by the second.
			reports.push(
				await actOnGroup(this, action, group, optionsOf(group.lead.itemIndex)).then(
					(report) => report,
					(error: unknown) => async () => await Promise.reject(error),
				),
			);
		}
		const outcomes = await Promise.allSettled(reports.map(async (report) => await report()));
		const refusals = outcomes.filter((outcome) => outcome.status === 'rejected').map((outcome) => outcome.reason as Error);
		if (refusals.length === groups.length) throw refusals[0];
		// Another group's hosts may already be contained: a group that failed as a whole fails its own hosts.
		return outcomes.flatMap((outcome, index) =>
			outcome.status === 'fulfilled' ? outcome.value : failedGroup(action, groups[index], outcome.reason),
		);
	};
}

function failedGroup(action: ContainmentAction, group: HostGroup, error: unknown): INodeExecutionData[] {
	const { code, message, trace_id } = perHostFailure(error);
	return [...group.hosts].map(([aid, itemIndexes]) =>
		hostItem({ ...hostNamed(aid), action: action.actionName, result: 'failed', error: message, code, trace_id }, itemIndexes),
	);
}

/** Reads the group's hosts and acts on those not there yet; the function returned waits (per the options) and reports. */
async function actOnGroup(
	context: IExecuteFunctions,
	action: ContainmentAction,
	group: HostGroup,
	options: IDataObject,
): Promise<() => Promise<INodeExecutionData[]>> {
	const itemIndex = group.lead.itemIndex;
	const aids = [...group.hosts.keys()];

	const before = await readHosts(context, aids, itemIndex);
	const toSend = aids.filter(
		(aid) => before.has(aid) && !doneOrUnderWay(action, before.get(aid)),
	);
	const { failures, unreported, refusedWhole, refusedBeforeActing } = await performAction(context, action, toSend, itemIndex);
	// A host refused because the action is already under way (another run's, a console user's) reached the goal,
	// and so did one whose call failed with an error sent after Falcon may have acted on it (a 5xx from a gateway).
	// A call Falcon refused with a 4xx did nothing: its hosts' failures stand, whatever their status shows.
	await forgiveRefusalsUnderWay(context, action, failures, refusedBeforeActing, before, itemIndex);
	// Only when Falcon refused every call as a whole and no host shows the action under way did nothing happen.
	if (refusedWhole && toSend.every((aid) => failures.has(aid))) throw refusedWhole;
	return async () => await reportGroup(context, action, group, options, { aids, before, failures, unreported, toSend });
}

interface ActedOn {
	aids: string[];
	before: Map<string, IDataObject>;
	failures: Map<string, IDataObject>;
	unreported: Map<string, IDataObject | undefined>;
	toSend: string[];
}

/** Waits for the hosts acted on (with the options' Wait) and gives one item per host. */
async function reportGroup(
	context: IExecuteFunctions,
	action: ContainmentAction,
	group: HostGroup,
	options: IDataObject,
	{ aids, before, failures, unreported, toSend }: ActedOn,
): Promise<INodeExecutionData[]> {
	const itemIndex = group.lead.itemIndex;
	const statusBefore = (aid: string) => statusOf(before.get(aid));
	const watched = aids.filter(
		(aid) => before.has(aid) && !failures.has(aid) && statusBefore(aid) !== action.done,
	);
	const { hosts: after, error: statusError } = await statusesAfter(context, action, watched, options, itemIndex, new Set(unreported.keys()));
	// Once Falcon took the action for a host, a failed status read must not hide that: the hosts say so instead.
	if (statusError && toSend.every((aid) => failures.has(aid))) throw statusError;
	const unknownAfter = new Set(statusError ? watched.filter((aid) => !after.has(aid)) : []);
	for (const [aid, reason] of unreported) {
		if (unknownAfter.has(aid) || doneOrUnderWay(action, after.get(aid))) continue;
		const gap = `Falcon did not report this host as accepted for ${action.actionName}, and its status is "${statusOf(after.get(aid))}"`;
		failures.set(aid, reason ? { ...reason, message: `${String(reason.message ?? 'Falcon refused the action')} (${gap})` } : perHostGap(500, gap));
	}

	return aids.map((aid) => {
		const host = after.get(aid) ?? before.get(aid);
		const json: IDataObject = {
			host_id: aid,
			hostname: host?.hostname ?? null,
			platform_name: host?.platform_name ?? null,
			action: action.actionName,
			status_before: before.has(aid) ? statusBefore(aid) : null,
			status_after: host && !unknownAfter.has(aid) ? statusOf(host) : null,
			result: resultOf(action, aid, before, after, failures),
			last_seen: host?.last_seen ?? null,
		};
		const failure = failures.get(aid);
		if (failure) {
			Object.assign(json, { error: failure.message ?? 'Falcon refused the action', code: failure.code });
			if (failure.trace_id) json.trace_id = failure.trace_id;
		}
		if (statusError && watched.includes(aid)) json.status_error = perHostFailure(statusError);
		return hostItem(json, group.hosts.get(aid)!);
	});
}

function statusOf(host: IDataObject | undefined): string {
	return String(host?.status ?? '').toLowerCase();
}

/** The host's status shows the action done, or under way (whoever asked for it). */
function doneOrUnderWay(action: ContainmentAction, host: IDataObject | undefined): boolean {
	const status = statusOf(host);
	return status === action.done || status === action.pending;
}

function resultOf(
	action: ContainmentAction,
	aid: string,
	before: Map<string, IDataObject>,
	after: Map<string, IDataObject>,
	failures: Map<string, IDataObject>,
): string {
	if (!before.has(aid)) return 'not_found';
	if (failures.has(aid)) return 'failed';
	if (statusOf(before.get(aid)) === action.done) return action.alreadyDone;
	return statusOf(after.get(aid)) === action.done ? action.done : action.pending;
}

/**
 * Per-host refusals (Falcon's `errors[]` entries that name a host, with the call's trace id), every host of a call
 * Falcon refused as a whole (other calls may have been carried out, and their hosts' results must not be lost), and
 * the hosts Falcon's answer did not account for. When Falcon refused every call as a whole, `refusedWhole` is the
 * first refusal: the run fails with it unless a host's status shows that Falcon acted after all.
 */
async function performAction(
	context: IExecuteFunctions,
	action: ContainmentAction,
	aids: string[],
	itemIndex: number,
): Promise<{
	failures: Map<string, IDataObject>;
	unreported: Map<string, IDataObject | undefined>;
	refusedWhole?: Error;
	/** Hosts of calls Falcon refused as a whole with a 4xx: nothing was done for them. */
	refusedBeforeActing: Set<string>;
}> {
	const failures = new Map<string, IDataObject>();
	const unreported = new Map<string, IDataObject | undefined>();
	const refusedBeforeActing = new Set<string>();
	const calls = chunk(aids, HOSTS_PER_ACTION);
	const refusals: Error[] = [];
	for (const ids of calls) {
		let answer: IDataObject;
		try {
			({ body: answer } = await falconRequest.call(context, {
				method: 'POST',
				path: hostPaths.action,
				qs: { action_name: action.actionName },
				body: { ids },
				itemIndex,
			}));
		} catch (error) {
			const perHost = perHostAnswer(error, ids);
			if (!perHost) {
				refusals.push(error instanceof NodeApiError ? error : new NodeOperationError(context.getNode(), error as Error));
				for (const id of ids) failures.set(id, perHostFailure(error));
				if (statusOfFailure(error) < 500) for (const id of ids) refusedBeforeActing.add(id);
				continue;
			}
			answer = perHost;
		}
		const traceId = (answer.meta as IDataObject | undefined)?.trace_id;
		const traced = (entry: IDataObject) => ({ ...entry, trace_id: entry.trace_id ?? traceId ?? null });
		const naming = idsNamedByErrors(answer, ids);
		for (const { error, ids: named } of naming) for (const id of named) failures.set(id, traced(error));
		// An error naming no host of the call may concern any of them: it goes with each unaccounted host's result.
		const unnamed = naming.find(({ ids: named }) => named.length === 0)?.error;
		const accounted = new Set([
			...resourcesOf(answer).map((entry) => String(entry.id ?? '').toLowerCase()),
			...naming.flatMap(({ ids: named }) => named),
		]);
		// Hosts Falcon named neither among those it acted on nor among its refusals: unless their status shows the
		// action under way, they failed (read as accepted, they would report a containment Falcon never started).
		for (const id of ids) if (!accounted.has(id.toLowerCase())) unreported.set(id, unnamed ? traced(unnamed) : undefined);
	}
	const refusedWhole = calls.length > 0 && refusals.length === calls.length ? refusals[0] : undefined;
	return { failures, unreported, refusedWhole, refusedBeforeActing };
}

/**
 * A failed call's answer, when it accounts for hosts one by one: a 409 (Falcon refused every host of the call, e.g.
 * a state change already under way), or any failure whose body names hosts of the call among its refusals or lists
 * hosts it acted on (a 400 may carry both: the model is the 202's). Undefined: the call was refused as a whole.
 */
function perHostAnswer(error: unknown, ids: string[]): IDataObject | undefined {
	if (!(error instanceof NodeApiError)) return undefined;
	const answer = answerOfFailure(error);
	const { errors, resources } = answer as { errors: IDataObject[]; resources: IDataObject[] };
	if (error.httpCode === '409' && errors.length > 0) return answer;
	const namesHosts = idsNamedByErrors(answer, ids).some(({ ids: named }) => named.length > 0);
	return namesHosts || resources.length > 0 ? answer : undefined;
}

/**
 * Re-reads the hosts Falcon refused, one by one or with their whole call, except the `standing` ones: those whose
 * status now shows the action done or under way (a 409 because a containment was already pending, a 5xx sent after
 * Falcon acted) are no failure, and read as such. Their status is not waited for.
 */
async function forgiveRefusalsUnderWay(
	context: IExecuteFunctions,
	action: ContainmentAction,
	failures: Map<string, IDataObject>,
	standing: Set<string>,
	before: Map<string, IDataObject>,
	itemIndex: number,
): Promise<void> {
	const refused = [...failures.keys()].filter((aid) => before.has(aid) && !standing.has(aid));
	if (refused.length === 0) return;
	let now: Map<string, IDataObject>;
	try {
		now = await readHosts(context, refused, itemIndex);
	} catch {
		return;
	}
	for (const [aid, host] of now) if (doneOrUnderWay(action, host)) failures.delete(aid);
}

/** The hosts' statuses after the action; when a read fails, the statuses read until then, and the error. */
async function statusesAfter(
	context: IExecuteFunctions,
	action: ContainmentAction,
	aids: string[],
	options: IDataObject,
	itemIndex: number,
	unreported: ReadonlySet<string>,
): Promise<{ hosts: Map<string, IDataObject>; error?: Error }> {
	const hosts = new Map<string, IDataObject>();
	try {
		if (asBoolean(options.wait) === true) await waitForStatus(context, action, aids, options, itemIndex, hosts, unreported);
		else for (const [aid, host] of await readHosts(context, aids, itemIndex)) hosts.set(aid, host);
		return { hosts };
	} catch (error) {
		return { hosts, error: error as Error };
	}
}

/**
 * Reads the statuses into `hosts` until every host is in the action's end state, the deadline passed, or the
 * execution was cancelled (which ends the pause under way at once). A host Falcon did not report accepting
 * (`unreported`) whose status still shows nothing under way at the second read is not waited for: Falcon did not
 * take the action, and it would hold the item (and every host of the call) until the deadline.
 */
async function waitForStatus(
	context: IExecuteFunctions,
	action: ContainmentAction,
	aids: string[],
	options: IDataObject,
	itemIndex: number,
	hosts: Map<string, IDataObject>,
	unreported: ReadonlySet<string>,
): Promise<void> {
	const deadline = Date.now() + Number(options.deadlineSeconds ?? DEFAULTS.deadlineSeconds) * 1000;
	const intervalMs = Number(options.pollIntervalSeconds ?? DEFAULTS.pollIntervalSeconds) * 1000;
	let unread = aids;
	let reads = 0;
	const notTaken = (aid: string) => unreported.has(aid) && reads >= 2 && !doneOrUnderWay(action, hosts.get(aid));
	for (;;) {
		for (const [aid, host] of await readHosts(context, unread, itemIndex)) hosts.set(aid, host);
		reads++;
		unread = aids.filter((aid) => hosts.has(aid) && statusOf(hosts.get(aid)) !== action.done && !notTaken(aid));
		const left = deadline - Date.now();
		if (unread.length === 0 || left <= 0) return;
		await sleep(Math.min(intervalMs, left), context.getExecutionCancelSignal?.());
	}
}
