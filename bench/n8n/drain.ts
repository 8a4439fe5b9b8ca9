/* eslint-disable @n8n/community-nodes/no-restricted-globals -- a measurement over wall-clock time */
import { cpuSeconds } from '../../test/e2e/harness/processCpu';
import { residentMb } from '../../test/e2e/harness/processTree';
import type { BenchInstance } from './benchInstance';

const FINAL = new Set(['success', 'error', 'crashed', 'canceled']);
/** A run without a single newly finished event for this long is stuck, not slow. */
const STALL_MS = 180_000;

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

export interface DrainResult {
	events: number;
	executions: number;
	statuses: Record<string, number>;
	/** Events n8n ran more than once (from the executions' deduplication keys). */
	repeats: number;
	/** From publishing the workflow to the last execution's stoppedAt (n8n's own timestamp). */
	drainSeconds: number;
	eventsPerSecond: number;
	/** Rows of workflow_entity updated: n8n writes the trigger's static data with one UPDATE per save. */
	staticDataSaves: number;
	staticDataSavesPerEvent: number;
	/** Postgres time in the static-data UPDATE, and in every statement (pg_stat_statements). */
	staticDataSaveDbSeconds: number;
	allStatementsDbSeconds: number;
	/** CPU seconds per process over the run, and the most resident memory seen. */
	cpuSeconds: Record<string, number>;
	maxRssMb: Record<string, number>;
}

/** Offsets covered by a key `falcon:<app>:<epoch>:0:5-9,1:3-4`: the events one execution was started with. */
function eventsInKey(key: string): number {
	return key
		.split(':')
		.slice(3)
		.join(':')
		.split(',')
		.map((range) => /^\d+:(\d+)-(\d+)$/.exec(range))
		.reduce((sum, match) => sum + (match ? Number(match[2]) - Number(match[1]) + 1 : 0), 0);
}

async function number(instance: BenchInstance, sql: string): Promise<number> {
	return Number((await instance.cluster.postgres.query(sql)) || 0);
}

/**
 * Publishes the workflow with a backlog of `events` waiting in the simulator and waits until n8n has finished
 * executions covering all of them; everything is read from n8n's database and the operating system.
 */
export async function measureDrain(instance: BenchInstance, workflowId: string, events: number, timeoutMs: number): Promise<DrainResult> {
	const { postgres } = instance.cluster;
	const updatesBefore = await number(instance, "SELECT n_tup_upd FROM pg_stat_user_tables WHERE relname = 'workflow_entity'");
	await postgres.query('SELECT pg_stat_statements_reset()');
	const processes = instance.processes();
	const cpuBefore = new Map(processes.map(({ name, pid }) => [name, cpuSeconds(pid)]));
	const maxRssMb: Record<string, number> = {};
	const publishedAt = Date.now();
	await instance.publish(workflowId);
	let covered = 0;
	let statuses: Record<string, number> = {};
	let executions = 0;
	let progressAt = Date.now();
	for (;;) {
		await sleep(2_000);
		for (const { name, pid } of processes) maxRssMb[name] = Math.max(maxRssMb[name] ?? 0, residentMb(pid) ?? 0);
		const rows = (await postgres.query(`SELECT status, "deduplicationKey" FROM execution_entity WHERE "workflowId" = '${workflowId}'`))
			.split('\n')
			.filter(Boolean)
			.map((row) => row.split('|'));
		statuses = {};
		for (const [status] of rows) statuses[status] = (statuses[status] ?? 0) + 1;
		executions = rows.length;
		const now = rows.filter(([status]) => FINAL.has(status)).reduce((sum, [, key]) => sum + eventsInKey(key), 0);
		if (now !== covered) progressAt = Date.now();
		covered = now;
		if (covered >= events && rows.every(([status]) => FINAL.has(status))) break;
		const stalled = Date.now() - progressAt > STALL_MS;
		if (stalled || Date.now() - publishedAt > timeoutMs) {
			const state = await postgres.query(`SELECT "staticData" FROM workflow_entity WHERE id = '${workflowId}'`);
			throw new Error(
				`${stalled ? `No progress for ${STALL_MS / 1000} s` : `Not drained after ${timeoutMs / 1000} s`}: ${covered} of ${events} events, ${JSON.stringify(statuses)}; trigger state ${state}`,
			);
		}
	}
	const lastStoppedMs = await number(instance, `SELECT extract(epoch FROM max("stoppedAt")) * 1000 FROM execution_entity WHERE "workflowId" = '${workflowId}'`);
	// Postgres publishes table and statement statistics about a second after the transactions.
	await sleep(2_000);
	const cpu = Object.fromEntries(processes.map(({ name, pid }) => [name, Math.round((cpuSeconds(pid) - cpuBefore.get(name)!) * 10) / 10]));
	const saves = (await number(instance, "SELECT n_tup_upd FROM pg_stat_user_tables WHERE relname = 'workflow_entity'")) - updatesBefore;
	const saveMs = await number(
		instance,
		`SELECT coalesce(sum(total_exec_time), 0) FROM pg_stat_statements WHERE query ILIKE 'UPDATE%workflow_entity%staticData%'`,
	);
	const allMs = await number(instance, 'SELECT coalesce(sum(total_exec_time), 0) FROM pg_stat_statements');
	await instance.unpublish(workflowId);
	const drainSeconds = (lastStoppedMs - publishedAt) / 1000;
	return {
		events,
		executions,
		statuses,
		repeats: covered - events,
		drainSeconds: Math.round(drainSeconds * 10) / 10,
		eventsPerSecond: Math.round(events / drainSeconds),
		staticDataSaves: saves,
		staticDataSavesPerEvent: Math.round((saves / events) * 10_000) / 10_000,
		staticDataSaveDbSeconds: Math.round(saveMs / 100) / 10,
		allStatementsDbSeconds: Math.round(allMs / 100) / 10,
		cpuSeconds: cpu,
		maxRssMb,
	};
}
