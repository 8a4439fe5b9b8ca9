/* eslint-disable @n8n/community-nodes/no-restricted-globals */
import { mock } from 'jest-mock-extended';
import { ExecutionLifecycleHooks } from 'n8n-core';
import type {
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	IRun,
	ITriggerResponse,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { activateTriggerNode } from './activateTrigger';
import { testAdditionalData } from './additionalData';
import { FALCON_CREDENTIAL, type TestCredentialsHelper } from './credentials';
import { PACKAGE, TestNodeTypes } from './nodeTypes';

export interface EmittedExecution {
	items: INodeExecutionData[];
	deduplicationKey?: string;
	emittedAt: number;
	finishedAt?: number;
}

export interface TriggerOptions {
	/** What n8n had stored for this workflow (`staticData` column), e.g. from a previous run's `persisted`. */
	staticData?: IDataObject;
	/** How long each fake execution takes before n8n resolves the donePromise. */
	executionMs?: number | ((execution: EmittedExecution) => number);
	/** Make an execution end as failed (status 'error'). */
	executionFails?: (execution: EmittedExecution) => boolean;
	/**
	 * Make an execution end as one whose worker died (queue mode): failed before any node ran, as n8n 2.41 reports
	 * a job its stalled check gave up on.
	 */
	executionDies?: (execution: EmittedExecution) => boolean;
	workflowId?: string;
	/** The workflow's Timezone setting (n8n's default, America/New_York, without one). */
	timezone?: string;
	nodeName?: string;
	nodeId?: string;
	/**
	 * n8n 2.x's deduplication keys (`execution_entity.deduplicationKey`), shared by the activations of one test to
	 * play n8n's database across restarts. An emit with a key already in it starts no execution: like n8n, the
	 * harness resolves the done promise with undefined and records the key in `duplicates`. Without it, keys are
	 * only recorded on the executions (as n8n 1.x, which ignores them).
	 */
	executionKeys?: Set<string>;
	/**
	 * While true, n8n cannot start executions (Redis down in queue mode), as n8n 2.41: the static data is saved, the
	 * key recorded (the execution's row, saved as failed), and the done promise rejected. Such emits are counted in
	 * `unstarted`, not in `executions`.
	 */
	cannotStart?: () => boolean;
}

export interface RunningTrigger {
	response: ITriggerResponse;
	executions: EmittedExecution[];
	/** Keys of emits n8n refused as repeats (only with `executionKeys`). */
	duplicates: string[];
	/** Keys of emits n8n could not start (see `cannotStart`). */
	unstarted: Array<string | undefined>;
	/** Every emitted item's json, in emit order. */
	items(): IDataObject[];
	/** emitError calls: configuration errors that would deactivate the workflow. */
	errors: Error[];
	/** saveFailedExecution calls: recorded failures, the workflow stays active. */
	failures: Error[];
	/**
	 * The static data as n8n would have it in its database: saved after activation and on every emit (before the
	 * execution runs), and only if n8n noticed a change to it.
	 */
	persisted(): IDataObject;
	/** This node's static data now, in memory. */
	nodeState(): IDataObject;
	/** Executions started and not finished yet. */
	inFlight(): number;
	maxInFlight(): number;
	close(): Promise<void>;
}

/**
 * Activates a trigger node the way n8n's ActiveWorkflowManager does: a real TriggerContext from n8n-core with
 * mode 'trigger', activation 'activate', and emit/emitError/saveFailedExecution that behave like n8n 2.x —
 * static data is saved at each emit, and the donePromise resolves when the (simulated) execution has finished.
 */
export async function startTrigger(
	parameters: INodeParameters,
	credentialsHelper: TestCredentialsHelper,
	options: TriggerOptions = {},
): Promise<RunningTrigger> {
	const node: INode = {
		id: options.nodeId ?? 'a3c1e0f2-5b7d-4e9a-8c6b-1f2e3d4c5b6a',
		name: options.nodeName ?? 'Falcon Trigger',
		type: `${PACKAGE}.crowdStrikeFalconTrigger`,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { [FALCON_CREDENTIAL]: { id: '1', name: 'Falcon API' } },
	};
	const workflow = new Workflow({
		id: options.workflowId ?? 'wfStreamTest01',
		nodes: [node],
		connections: {},
		nodeTypes: new TestNodeTypes(),
		active: true,
		staticData: structuredClone(options.staticData ?? {}),
		settings: options.timezone ? { timezone: options.timezone } : undefined,
	});
	const additionalData = additionalDataFor(credentialsHelper, 'trigger');
	const executions: EmittedExecution[] = [];
	const duplicates: string[] = [];
	const unstarted: Array<string | undefined> = [];
	const errors: Error[] = [];
	const failures: Error[] = [];
	let persisted: IDataObject = snapshot(workflow.staticData);
	// As n8n's WorkflowStaticDataService.saveStaticData: written only when n8n noticed a change, then the flag resets.
	const save = () => {
		const root = workflow.staticData as IDataObject & { __dataChanged?: boolean };
		if (!root.__dataChanged) return;
		persisted = snapshot(root);
		root.__dataChanged = false;
	};
	let running = 0;
	let peak = 0;

	const emit = (
		data: INodeExecutionData[][],
		_responsePromise?: unknown,
		donePromise?: { resolve(run: IRun): void; reject(error: Error): void },
		deduplicationKey?: string,
	) => {
		save();
		const keys = options.executionKeys;
		if (keys && deduplicationKey !== undefined) {
			// n8n's unique index: a key it still has a row for (whatever that execution's status) starts nothing.
			if (keys.has(deduplicationKey)) {
				duplicates.push(deduplicationKey);
				setTimeout(() => donePromise?.resolve(undefined as unknown as IRun), 0);
				return;
			}
			keys.add(deduplicationKey);
		}
		if (options.cannotStart?.()) {
			unstarted.push(deduplicationKey);
			setTimeout(() => donePromise?.reject(new Error('Redis down')), 0);
			return;
		}
		const execution: EmittedExecution = { items: data[0] ?? [], deduplicationKey, emittedAt: Date.now() };
		executions.push(execution);
		running++;
		peak = Math.max(peak, running);
		const ms = typeof options.executionMs === 'function' ? options.executionMs(execution) : (options.executionMs ?? 0);
		setTimeout(() => {
			running--;
			execution.finishedAt = Date.now();
			if (options.executionDies?.(execution)) {
				donePromise?.resolve({
					status: 'error',
					mode: 'trigger',
					startedAt: new Date(execution.emittedAt),
					data: { resultData: { runData: {}, error: new Error('This execution failed to be processed too many times and will no longer retry.') } },
				} as unknown as IRun);
				return;
			}
			const failed = options.executionFails?.(execution) ?? false;
			donePromise?.resolve({
				status: failed ? 'error' : 'success',
				mode: 'trigger',
				startedAt: new Date(execution.emittedAt),
				// As n8n in queue mode hands it to the trigger: no runData, the last node that ran named.
				data: {
					resultData: { runData: {}, lastNodeExecuted: node.name, ...(failed ? { error: new Error('workflow failed') } : {}) },
				},
			} as unknown as IRun);
		}, ms);
	};
	const response = await activateTriggerNode(workflow, node, additionalData, {
		emit,
		emitError: (error) => errors.push(error),
		saveFailedExecution: (error) => failures.push(error),
	});
	// n8n also saves right after activation.
	save();
	return {
		response,
		executions,
		duplicates,
		unstarted,
		items: () => executions.flatMap((execution) => execution.items.map((item) => item.json)),
		errors,
		failures,
		persisted: () => persisted,
		nodeState: () => snapshot(workflow.staticData)[`node:${node.name}`] as IDataObject,
		inFlight: () => running,
		maxInFlight: () => peak,
		close: async () => await response.closeFunction?.(),
	};
}

export function additionalDataFor(
	credentialsHelper: TestCredentialsHelper,
	mode: WorkflowExecuteMode,
): IWorkflowExecuteAdditionalData {
	return testAdditionalData(credentialsHelper, new ExecutionLifecycleHooks(mode, 'trigger-test', mock()));
}

function snapshot(staticData: IDataObject): IDataObject {
	return JSON.parse(JSON.stringify(staticData)) as IDataObject;
}

/** Polls until `probe` returns true. */
export async function until(probe: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!probe()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}
