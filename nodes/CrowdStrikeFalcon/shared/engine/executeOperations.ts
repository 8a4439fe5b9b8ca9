import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { runForItem, separateScope } from '../transport/itemScope';
import { memberCidFor } from '../transport/memberCid';
import { asSeenByAgent, assertAllowedForAgent, assertTenantAllowedForAgent, cutForAgent, permissionFor } from './aiAgent';
import { withoutLeftOutFields } from './leftOut';
import { failureFactsOf, partialOutputOf } from './partialOutput';
import { findOperation } from './properties';
import { prepareRequest, resolveRequest, type PreparedRequest } from './request';
import { namingMissingScope } from './scopes';
import { readLimit, runDeclaredOperation } from './runOperation';
import type { FalconOperation, FalconResource, ValidItem } from './types';

type Planned = { itemIndex: number; prepared?: PreparedRequest; error?: Error };

/**
 * The router of every action node. All items are checked first (their Member CID included), so bad input stops
 * the node before any item reaches Falcon; then each item runs in order, its results paired to it, every request
 * of the item acting on the item's tenant.
 */
export async function executeOperations(
	this: IExecuteFunctions,
	resources: FalconResource[],
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const operation = operationFor(this, resources);

	const plan: Planned[] = items.map((_, itemIndex) => {
		try {
			assertAllowedForAgent(this, operation, itemIndex);
			assertTenantAllowedForAgent(this, itemIndex);
			memberCidFor(this, itemIndex);
			if (operation.paginate) readLimit(this, itemIndex);
			return { itemIndex, prepared: prepareRequest(this, operation, itemIndex) };
		} catch (error) {
			if (!this.continueOnFail()) throw withItemIndex(this, error, itemIndex);
			return { itemIndex, error };
		}
	});

	if (operation.runForAllItems) return [cutForAgent(this, await runForAllItems.call(this, operation, plan))];

	const shown = (output: INodeExecutionData[], itemIndex: number) =>
		asSeenByAgent(this, operation, withoutLeftOutFields(this, operation, output, itemIndex), itemIndex);
	const results: INodeExecutionData[] = [];
	for (const { itemIndex, prepared, error } of plan) {
		if (error) {
			results.push(errorItem(this, error, itemIndex));
			continue;
		}
		try {
			const produced = await runForItem(this, itemIndex, async () => {
				await resolveRequest.call(this, prepared!, itemIndex);
				return operation.run
					? await operation.run.call(this, itemIndex, prepared!)
					: await runDeclaredOperation.call(this, operation, prepared!, itemIndex);
			});
			const paired = produced.map((item) => ({ ...item, pairedItem: item.pairedItem ?? { item: itemIndex } }));
			results.push(...shown(paired, itemIndex));
		} catch (thrown) {
			const caught = namingMissingScope(thrown as Error, operation.scopes);
			if (!this.continueOnFail()) throw withItemIndex(this, saidEarlierItemsActed(this, caught, operation, results), itemIndex);
			results.push(...shown(partialOutputOf(caught), itemIndex), errorItem(this, caught, itemIndex));
		}
	}
	return [cutForAgent(this, results)];
}

/**
 * One run per tenant over its valid items (one RTR batch, one containment call never mixes children); items that
 * failed validation stay in the output as error items, in input order. Look-ups in Falcon (a hostname) are made
 * before any tenant acts; where tenants fail apart (`failedTenant`), inside each tenant's run instead, so a child
 * whose look-up fails (its token refused, the name unknown there) does not stop the others.
 */
async function runForAllItems(
	this: IExecuteFunctions,
	operation: FalconOperation,
	plan: Planned[],
): Promise<INodeExecutionData[]> {
	if (!operation.failedTenant) {
		for (const planned of plan) {
			if (!planned.prepared || (await resolved(this, operation, planned))) continue;
			if (!this.continueOnFail()) throw withItemIndex(this, planned.error!, planned.itemIndex);
		}
	}
	const valid = plan.filter((planned): planned is ValidItem => planned.prepared !== undefined);
	const invalid = plan.filter((planned) => planned.error !== undefined);
	const tenants = byTenant(this, valid);
	let produced: INodeExecutionData[] = [];
	const failures: Error[] = [];
	for (const { items, produced: own, error } of await runTenants(this, operation, tenants)) {
		produced.push(...own);
		if (!error) continue;
		failures.push(error);
		// The items with no outcome of their own share the tenant's failure.
		if (this.continueOnFail()) produced.push(...items.map(({ itemIndex }) => errorItem(this, error, itemIndex)));
		// With no items to tell the failure by, the node stops here, before the next tenant acts.
		else if (!operation.failedTenant) throw saidEarlierItemsActed(this, asNodeError(this, error), operation, produced);
		else produced.push(...operation.failedTenant.call(this, items, error));
	}
	// Without Continue On Fail the node fails when every tenant failed.
	if (failures.length > 0 && failures.length === tenants.length && !this.continueOnFail()) throw asNodeError(this, failures[0]);
	if (operation.judgeAll && valid.length > 0) produced = operation.judgeAll.call(this, produced, valid);
	const errors = invalid.map(({ error, itemIndex }) => errorItem(this, error!, itemIndex));
	// Operations acting on all items at once answer group by group (the items that share options), and tenants apart:
	// the output follows the input's order; the sort is stable, so one item's hosts keep theirs.
	return [...errors, ...produced].sort((a, b) => firstPairedIndex(a) - firstPairedIndex(b));
}

/** Tenants acted on at once, when the operation lets each of them fail on its own (`failedTenant`). */
export const tenantConcurrency = { atOnce: 8 };

/**
 * A tenant's output, and when it failed as a whole, the error and the items it leaves without an outcome of their
 * own (an item whose look-up failed keeps its own error beside it).
 */
type TenantOutcome = { items: ValidItem[]; produced: INodeExecutionData[]; error?: Error };

/**
 * Each tenant's run, in the tenants' order. With failedTenant every tenant runs whatever another did, so up to eight
 * run at once: a playbook that waits two minutes for containment in each of sixteen children takes four minutes,
 * not thirty-two. Without it, a failed tenant stops the run before the next one acts (unless Continue On Fail).
 */
async function runTenants(
	context: IExecuteFunctions,
	operation: FalconOperation,
	tenants: ValidItem[][],
): Promise<TenantOutcome[]> {
	const runTenant = async (tenantContext: IExecuteFunctions, items: ValidItem[]): Promise<TenantOutcome> => {
		const failed: INodeExecutionData[] = [];
		let ready = items;
		try {
			if (operation.failedTenant) {
				ready = [];
				const lookUpFailures: Error[] = [];
				for (const item of items) {
					const planned: Planned = { ...item };
					if (await resolved(tenantContext, operation, planned)) {
						ready.push(item);
						continue;
					}
					// Alone, the run stops before anything acted. Beside other tenants, which act whatever this one does,
					// an item whose look-up failed (a hostname unknown in this child) fails its own hosts, not its tenant's.
					if (context.continueOnFail()) failed.push(errorItem(context, planned.error!, item.itemIndex));
					else if (tenants.length === 1) throw planned.error!;
					else {
						lookUpFailures.push(planned.error!);
						failed.push(...operation.failedTenant.call(context, [item], planned.error!));
					}
				}
				// Every look-up failed: the tenant failed, each item with its own error.
				if (ready.length === 0 && lookUpFailures.length > 0) return { items: [], produced: failed, error: lookUpFailures[0] };
				if (ready.length === 0) return { items, produced: failed };
			}
			const run = async () => await operation.runForAllItems!.call(tenantContext, ready);
			return { items, produced: [...failed, ...(await runForItem(tenantContext, ready[0].itemIndex, run))] };
		} catch (thrown) {
			return { items: ready, produced: failed, error: namingMissingScope(thrown as Error, operation.scopes) };
		}
	};
	const outcomes: TenantOutcome[] = [];
	if (operation.failedTenant && tenants.length > 1) {
		let next = 0;
		const cancelled = () => context.getExecutionCancelSignal?.()?.aborted === true;
		const worker = async () => {
			for (let index = next++; index < tenants.length && !cancelled(); index = next++) {
				outcomes[index] = await runTenant(separateScope(context), tenants[index]);
			}
		};
		await Promise.all(Array.from({ length: Math.min(tenantConcurrency.atOnce, tenants.length) }, worker));
		// A cancelled execution leaves the tenants not started yet out.
		return outcomes.filter((outcome) => outcome !== undefined);
	}
	for (const items of tenants) {
		const outcome = await runTenant(context, items);
		outcomes.push(outcome);
		if (outcome.error && !context.continueOnFail()) break;
	}
	return outcomes;
}

/**
 * Looks up the item's values that need Falcon (see resolveRequest), in its tenant. False, with the failure in
 * `planned.error` and `prepared` gone, when a look-up failed.
 */
async function resolved(context: IExecuteFunctions, operation: FalconOperation, planned: Planned): Promise<boolean> {
	const { itemIndex, prepared } = planned;
	try {
		await runForItem(context, itemIndex, async () => await resolveRequest.call(context, prepared!, itemIndex));
		return true;
	} catch (thrown) {
		planned.error = namingMissingScope(thrown as Error, operation.scopes);
		delete planned.prepared;
		return false;
	}
}

/** Valid items grouped by the tenant they act on, in input order. */
function byTenant(context: IExecuteFunctions, items: ValidItem[]): ValidItem[][] {
	const groups = new Map<string, ValidItem[]>();
	for (const item of items) {
		const cid = memberCidFor(context, item.itemIndex);
		groups.set(cid, [...(groups.get(cid) ?? []), item]);
	}
	return [...groups.values()];
}

/** The input item an output item came from (the first, when it came from several). */
export function firstPairedIndex(item: INodeExecutionData): number {
	const paired = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
	return typeof paired === 'number' ? paired : (paired?.item ?? 0);
}

function operationFor(context: IExecuteFunctions, resources: FalconResource[]): FalconOperation {
	// Resource and operation are fixed per node (noDataExpression), so item 0 speaks for all items.
	const resource = context.getNodeParameter('resource', 0) as string;
	const operationValue = context.getNodeParameter('operation', 0) as string;
	const operation = findOperation(resources, resource, operationValue);
	if (!operation) {
		throw new NodeOperationError(
			context.getNode(),
			`The operation "${operationValue}" is not available for the resource "${resource}"`,
		);
	}
	return operation;
}

/** Errors of a whole-run flow belong to no single item. */
function asNodeError(context: IExecuteFunctions, error: Error): NodeApiError | NodeOperationError {
	return error instanceof NodeApiError || error instanceof NodeOperationError
		? error
		: new NodeOperationError(context.getNode(), error);
}

/**
 * The node fails at an item after earlier items changed hosts, tokens or records (an RTR kill, a containment, an
 * alert's comment): their output is lost with the error, and re-running the execution would act on them again (a
 * comment appended twice). The error says so. A change is what needs an AI agent's opt-in, or a PATCH, PUT or DELETE.
 */
function saidEarlierItemsActed(
	context: IExecuteFunctions,
	error: Error,
	operation: FalconOperation,
	earlier: INodeExecutionData[],
): Error {
	const changesRecords = ['PATCH', 'PUT', 'DELETE'].includes(operation.method);
	const acted = earlier.filter(
		(item) =>
			item.json.error === undefined &&
			(changesRecords || permissionFor(context, operation, firstPairedIndex(item)) !== undefined),
	);
	if (acted.length === 0 || !(error instanceof NodeApiError || error instanceof NodeOperationError)) return error;
	const note = `Earlier items of this run already acted (${acted.length} output item${acted.length === 1 ? '' : 's'}, lost with this error): running the execution again acts on them again. With Settings → On Error → Continue, every item's result is kept.`;
	error.description = [error.description, note].filter(Boolean).join(' | ');
	return error;
}

function withItemIndex(context: IExecuteFunctions, error: Error, itemIndex: number): Error {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context = { ...error.context, itemIndex };
		return error;
	}
	return new NodeOperationError(context.getNode(), error, { itemIndex });
}

/**
 * The item a failure leaves with Continue On Fail: `{ error, http_status, code, trace_id, ... }`. When the node sends
 * errors to their own output (On Error → Continue (using error output)), n8n takes an item for an error only if its
 * json holds nothing but `error`, `message` and `details`: the facts go under `details` there, and n8n adds the input
 * item's fields. (An `error` set on the item would route it too, but n8n then replaces the json with the message.)
 */
function errorItem(context: IExecuteFunctions, error: Error, itemIndex: number): INodeExecutionData {
	const details = (error as NodeApiError).errorResponse as IDataObject | undefined;
	const facts: IDataObject = {};
	if (details && typeof details === 'object') {
		// `http_status`, not `status`: a playbook routes on the `status` of host results (RTR's `api_error`, `success`).
		const named = { status: 'http_status', code: 'code', trace_id: 'trace_id', errors: 'errors' };
		for (const [key, as] of Object.entries(named)) {
			if (details[key] !== undefined && details[key] !== null) facts[as] = details[key];
		}
	}
	const description = (error as NodeOperationError).description;
	if (description) facts.description = description;
	const known = failureFactsOf(error);
	const json: IDataObject =
		context.getNode().onError === 'continueErrorOutput'
			? { error: error.message, details: { ...known, ...facts } }
			: { error: error.message, ...known, ...facts };
	return { json, pairedItem: { item: itemIndex } };
}
