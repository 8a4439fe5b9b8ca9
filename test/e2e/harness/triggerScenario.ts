/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test harness code, never part of the package */
import type { IDataObject } from 'n8n-workflow';

import type { QueueModeSuite } from './queueModeSuite';
import { triggerEvents, unflatten, type TriggerExecution } from './triggerExecutions';
import type { TriggerChain } from './triggerWorkflow';
import { workflowId } from './workflows';

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));
const FINAL = new Set(['success', 'error', 'crashed', 'canceled']);

/** `partition:offset` → its parts. */
export function eventKey(key: string): { partition: string; offset: number } {
	const [partition, offset] = key.split(':');
	return { partition, offset: Number(offset) };
}

/**
 * Trigger workflows on an n8n whose database is the suite's Postgres, each following its own event type: injects
 * events into the simulator and reads back, from n8n's own records, what ran.
 */
export class TriggerScenario {
	/** `partition:offset` of every event injected, by event type. */
	readonly injected = new Map<string, string[]>();

	/** Finished executions with their events, read once. */
	private readonly finished = new Map<string, TriggerExecution>();

	constructor(private readonly suite: QueueModeSuite) {}

	/**
	 * The workflow's executions, listed from n8n's database, each with the events its trigger output holds (read
	 * through n8n's REST API): what n8n recorded as run, oldest first.
	 */
	async executions(chain: TriggerChain): Promise<TriggerExecution[]> {
		const id = workflowId(chain.name);
		const rows = await this.sql(`SELECT id, status, mode, coalesce("retryOf", '') FROM execution_entity WHERE "workflowId" = '${id}' ORDER BY id`);
		const executions: TriggerExecution[] = [];
		for (const [executionId, status, mode, retryOf] of rows.split('\n').filter(Boolean).map((row) => row.split('|'))) {
			const known = this.finished.get(executionId);
			if (known && known.status === status) {
				executions.push(known);
				continue;
			}
			const document = unflatten((await this.suite.rest.get<{ data: string }>(`/executions/${executionId}`)).data);
			const execution: TriggerExecution = {
				id: executionId,
				status,
				mode,
				workflowId: id,
				retryOf: retryOf || null,
				events: triggerEvents(document as Parameters<typeof triggerEvents>[0], chain.triggerName),
			};
			if (FINAL.has(status)) this.finished.set(executionId, execution);
			executions.push(execution);
		}
		return executions;
	}

	/** Events of one type, alternating between partitions 0 and 1. */
	inject(count: number, eventType: string, event: IDataObject = {}): string[] {
		const keys = this.injected.get(eventType) ?? [];
		this.injected.set(eventType, keys);
		return Array.from({ length: count }, () => {
			const { partition, offset } = this.suite.simulator.injectEvent({ eventType, partition: keys.length % 2, event });
			keys.push(`${partition}:${offset}`);
			return keys[keys.length - 1];
		});
	}

	/** Events of one type arrive one every `everyMs` until the returned function is called. */
	traffic(eventType: string, everyMs = 100): () => Promise<void> {
		let running = true;
		const loop = (async () => {
			while (running) {
				this.inject(1, eventType);
				await sleep(everyMs);
			}
		})();
		return async () => {
			running = false;
			await loop;
		};
	}

	/** A workflow's executions once every given event started one and none is still queued or running. */
	async untilRan(chain: TriggerChain, events: string[], timeoutMs = 120_000): Promise<TriggerExecution[]> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const executions = await this.executions(chain);
			const ran = new Set(executions.flatMap((execution) => execution.events));
			const missing = events.filter((key) => !ran.has(key));
			const unfinished = executions.filter((execution) => !FINAL.has(execution.status));
			if (missing.length === 0 && unfinished.length === 0) return executions;
			if (Date.now() > deadline) {
				throw new Error(
					`Timed out after ${timeoutMs} ms waiting for "${chain.name}" to run ${events.length} events; never run: ${missing.join(', ') || 'none'}; unfinished executions: ${unfinished.map((e) => `${e.id} (${e.status})`).join(', ') || 'none'}`,
				);
			}
			await sleep(1_000);
		}
	}

	/** untilRan for every event of the chain's type injected so far. */
	async untilAllRan(chain: TriggerChain, timeoutMs?: number): Promise<TriggerExecution[]> {
		return await this.untilRan(chain, this.injected.get(String(chain.trigger.customEventTypes)) ?? [], timeoutMs);
	}

	/** The workflow's static data as n8n stored it (the whole JSON column). */
	async storedStaticData(chain: TriggerChain): Promise<IDataObject> {
		const text = await this.sql(`SELECT "staticData" FROM workflow_entity WHERE id = '${workflowId(chain.name)}'`);
		return text ? (JSON.parse(text) as IDataObject) : {};
	}

	/** The trigger's stored committed offsets by partition, if n8n has any stored. */
	async storedOffsets(chain: TriggerChain): Promise<IDataObject | undefined> {
		const state = (await this.storedStaticData(chain))[`node:${chain.triggerName}`] as IDataObject | undefined;
		return state?.offsets as IDataObject | undefined;
	}

	/** Executions of the workflow by status, from n8n's database. */
	async statusCounts(chain: TriggerChain): Promise<Record<string, number>> {
		const rows = await this.sql(`SELECT status, count(*) FROM execution_entity WHERE "workflowId" = '${workflowId(chain.name)}' GROUP BY status`);
		return Object.fromEntries(rows.split('\n').filter(Boolean).map((row) => [row.split('|')[0], Number(row.split('|')[1])]));
	}

	async executionIds(chain: TriggerChain): Promise<Set<string>> {
		return new Set((await this.sql(`SELECT id FROM execution_entity WHERE "workflowId" = '${workflowId(chain.name)}'`)).split('\n').filter(Boolean));
	}

	/**
	 * Executions whose deduplication key (`falcon:<app>:<epoch>:0:5-9,1:3-3`, which n8n keeps in its own column)
	 * covers an event: what ran it, even when n8n no longer holds the execution's input.
	 */
	async executionsCovering(chain: TriggerChain, key: string): Promise<Array<{ id: string; status: string; mode: string; deduplicationKey: string }>> {
		const { partition, offset } = eventKey(key);
		const rows = await this.sql(
			`SELECT id, status, mode, "deduplicationKey" FROM execution_entity WHERE "workflowId" = '${workflowId(chain.name)}' ORDER BY id`,
		);
		return rows
			.split('\n')
			.filter(Boolean)
			.map((row) => row.split('|'))
			.map(([id, status, mode, deduplicationKey]) => ({ id, status, mode, deduplicationKey }))
			.filter(({ deduplicationKey }) =>
				// A re-run of an execution whose worker died carries the key with `:r1` appended.
				(deduplicationKey.replace(/:r\d+$/, '').split(':').slice(3).join(':') || '').split(',').some((range) => {
					const match = /^(\d+):(\d+)-(\d+)$/.exec(range);
					return match !== null && match[1] === partition && Number(match[2]) <= offset && offset <= Number(match[3]);
				}),
			);
	}

	private async sql(query: string): Promise<string> {
		return await this.suite.cluster.postgres.query(query);
	}
}
