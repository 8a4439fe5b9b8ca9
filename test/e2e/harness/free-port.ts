/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test harness code, never part of the package */
import { createServer } from 'node:net';

// The OS may hand out a port it just released again: two picks in a row (n8n's port and its broker's) can match.
const handedOut = new Set<number>();

/** A port nobody listens on right now (the OS picks it), never one this process was given before. */
export async function freePort(): Promise<number> {
	for (;;) {
		const port = await unusedPort();
		if (handedOut.has(port)) continue;
		handedOut.add(port);
		return port;
	}
}

function unusedPort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}
