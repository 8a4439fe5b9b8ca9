import type { IDataObject } from 'n8n-workflow';

import type { ExecutionSummary } from './falcon-n8n-suite';
import { unflattenExecution } from './executionData';
import type { N8nRestClient } from './rest';

export interface TriggerExecution extends ExecutionSummary {
	retryOf?: string | null;
	/** `partition:offset` of every event the execution was started with (`cid/partition:offset` for a child tenant's). */
	events: string[];
}

const FINAL_STATUSES = new Set(['success', 'error', 'crashed', 'canceled']);

/** The execution's data as a plain object (one parser for every e2e suite: executionData.ts). */
export function unflatten(text: string): unknown {
	return unflattenExecution(text);
}

/** Every execution n8n recorded for a workflow, across all pages of the execution list. */
export async function allExecutions(rest: N8nRestClient, workflowId: string): Promise<TriggerExecution[]> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const byId = new Map<string, TriggerExecution>();
	let cursor: string | null | undefined;
	do {
		const page = await rest.get<{ results: TriggerExecution[]; nextCursor?: string | null }>(
			`/executions?filter=${filter}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
		);
		for (const execution of page.results) byId.set(execution.id, { ...execution, events: [] });
		cursor = page.nextCursor;
	} while (cursor);
	return [...byId.values()];
}

interface ExecutionDocument {
	resultData?: { runData?: Record<string, Array<{ data?: { main?: Array<Array<{ json: IDataObject }> | null> } }>> };
	executionData?: { nodeExecutionStack?: Array<{ node: { name: string }; data: { main: Array<Array<{ json: IDataObject }> | null> } }> };
}

/**
 * The events a trigger node handed to an execution: its output in the run data or, for an execution that never
 * got to run it (crashed, queued), its items on the execution stack. n8n's crash recovery fills the run data of a
 * crashed execution with empty items, which carry no `stream`.
 */
export function triggerEvents(document: ExecutionDocument, nodeName: string): string[] {
	const output = document.resultData?.runData?.[nodeName]?.[0]?.data?.main?.[0] ?? [];
	const queued = document.executionData?.nodeExecutionStack?.find((entry) => entry.node.name === nodeName)?.data.main[0] ?? [];
	const keys = (items: Array<{ json: IDataObject }>) =>
		items
			.map(({ json }) => json?.stream as IDataObject | undefined)
			.filter((stream): stream is IDataObject => stream !== undefined && stream !== null)
			.map((stream) => `${stream.cid ? `${String(stream.cid)}/` : ''}${stream.partition}:${stream.offset}`);
	const ran = keys(output);
	return ran.length > 0 ? ran : keys(queued);
}

/**
 * A trigger workflow's executions with the events each one ran, read through the REST API; finished executions
 * are read once. `rest` is asked for on every refresh, since a restart of n8n needs a new login.
 */
export class TriggerExecutionLog {
	private readonly finished = new Map<string, TriggerExecution>();

	constructor(
		private readonly rest: () => N8nRestClient,
		readonly workflowId: string,
		readonly nodeName: string,
	) {}

	async refresh(): Promise<TriggerExecution[]> {
		const executions: TriggerExecution[] = [];
		for (const summary of await allExecutions(this.rest(), this.workflowId)) {
			const known = this.finished.get(summary.id);
			if (known) {
				executions.push(known);
				continue;
			}
			const full = await this.rest().get<{ data: string }>(`/executions/${summary.id}`);
			const execution = { ...summary, events: triggerEvents(unflatten(full.data) as ExecutionDocument, this.nodeName) };
			if (FINAL_STATUSES.has(execution.status)) this.finished.set(execution.id, execution);
			executions.push(execution);
		}
		return executions.sort((a, b) => Number(a.id) - Number(b.id));
	}
}

/** Events that more than one execution started with (retries from the execution list excluded). */
export function repeatedEvents(executions: TriggerExecution[]): string[] {
	const seen = new Set<string>();
	const repeated: string[] = [];
	for (const execution of executions) {
		if (execution.mode === 'retry') continue;
		for (const event of execution.events) {
			if (seen.has(event)) repeated.push(event);
			seen.add(event);
		}
	}
	return repeated;
}
