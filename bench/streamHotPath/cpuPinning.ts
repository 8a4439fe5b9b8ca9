/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- benchmark code, never part of the package */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

export interface CpuPinning {
	/** The CPU of the process that measures (both readers run there), or undefined when not pinned. */
	measured?: string;
	/** The CPU of the loopback feed's process. */
	feed?: string;
}

/**
 * The measured process and the feed on CPUs of their own, so neither takes turns on a core with the other (which
 * made rounds of the same run differ by ±0.15 in their ratios). Needs two CPUs and `taskset`;
 * STREAM_HOT_PATH_PIN=0 turns it off.
 */
export function cpuPinning(): CpuPinning {
	if (process.env.STREAM_HOT_PATH_PIN === '0' || availableParallelism() < 2) return {};
	if (spawnSync('taskset', ['-p', String(process.pid)]).status !== 0) return {};
	return { measured: '1', feed: '0' };
}

/** `fork` options that start node (with `execArgv`) on one CPU through `taskset`; just `execArgv` without a CPU. */
export function pinnedTo(cpu: string | undefined, execArgv = process.execArgv): { execPath?: string; execArgv: string[] } {
	if (cpu === undefined || cpu === '') return { execArgv };
	return { execPath: 'taskset', execArgv: ['-c', cpu, process.execPath, ...execArgv] };
}
