/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test harness code, never part of the package */
import { readFileSync } from 'node:fs';

import { descendants } from './processTree';

/** Linux accounts CPU time in clock ticks of 1/100 s (USER_HZ is 100 on every common architecture). */
const TICKS_PER_SECOND = 100;

function times(pid: number): number[] {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// After "pid (comm)": state is field 3, utime 14, stime 15, cutime 16, cstime 17.
		return stat
			.slice(stat.lastIndexOf(')') + 2)
			.split(' ')
			.slice(11, 15)
			.map(Number);
	} catch {
		return [0, 0, 0, 0];
	}
}

/**
 * CPU seconds a process and its children used so far: its own time, its finished children's (reaped) time, and the
 * time of the children still alive (e.g. Postgres backends under the postmaster, n8n's task runner).
 */
export function cpuSeconds(pid: number): number {
	const [utime, stime, cutime, cstime] = times(pid);
	let ticks = utime + stime + cutime + cstime;
	for (const child of descendants(pid)) {
		const [childUser, childSystem] = times(child);
		ticks += childUser + childSystem;
	}
	return ticks / TICKS_PER_SECOND;
}
