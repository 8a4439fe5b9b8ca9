/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test harness code, never part of the package */
import { readdirSync, readFileSync } from 'node:fs';

/** The parent pid of a process, from /proc (Linux); undefined once it is gone. */
function parentOf(pid: number): number | undefined {
	try {
		// "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ")".
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
	} catch {
		return undefined;
	}
}

/** Every process below `pid` (children, grandchildren...), e.g. the task runner an n8n process starts. */
export function descendants(pid: number): number[] {
	const children = new Map<number, number[]>();
	for (const entry of readdirSync('/proc')) {
		const child = Number(entry);
		if (!Number.isInteger(child)) continue;
		const parent = parentOf(child);
		if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), child]);
	}
	const found: number[] = [];
	const queue = [pid];
	while (queue.length > 0) {
		for (const child of children.get(queue.shift()!) ?? []) {
			found.push(child);
			queue.push(child);
		}
	}
	return found;
}

export function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/**
 * SIGKILL of a process and everything it started, all at once, like a container or machine dying: the process gets
 * no chance to clean up, and no child (n8n's task runner) outlives it.
 */
export function killTree(pid: number): void {
	const below = descendants(pid);
	for (const target of [pid, ...below]) {
		try {
			process.kill(target, 'SIGKILL');
		} catch {
			// Already gone.
		}
	}
}

/** Resident memory of a process in MB (VmRSS from /proc), undefined once it is gone. */
export function residentMb(pid: number): number | undefined {
	try {
		const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Math.round(Number(match[1]) / 102.4) / 10 : undefined;
	} catch {
		return undefined;
	}
}
