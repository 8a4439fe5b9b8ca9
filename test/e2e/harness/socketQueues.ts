/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test harness code, never part of the package */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface SocketQueue {
	/** Bytes the kernel received for the process that the process has not read yet. */
	unreadBytes: number;
	connections: number;
}

function socketInodes(pid: number): Set<string> {
	const inodes = new Set<string>();
	for (const fd of readdirSync(`/proc/${pid}/fd`)) {
		try {
			const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
			if (match) inodes.add(match[1]);
		} catch {
			// Closed meanwhile.
		}
	}
	return inodes;
}

/**
 * The receive queues of a process's TCP connections to a remote port on loopback (Linux /proc/net/tcp): when a
 * reader stops reading, what the server keeps sending piles up here until the window closes, then at the server.
 */
export function receiveQueue(pid: number, remotePort: number): SocketQueue {
	const inodes = socketInodes(pid);
	const port = remotePort.toString(16).toUpperCase().padStart(4, '0');
	let unreadBytes = 0;
	let connections = 0;
	for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
		// sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
		const fields = line.trim().split(/\s+/);
		if (fields.length < 10 || !fields[2].endsWith(`:${port}`) || !inodes.has(fields[9])) continue;
		connections++;
		unreadBytes += parseInt(fields[4].split(':')[1], 16);
	}
	return { unreadBytes, connections };
}
