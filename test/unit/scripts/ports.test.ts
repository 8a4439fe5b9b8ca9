/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: real listeners on loopback */
import { createServer, type Server } from 'node:net';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { assertN8nPortsFree } = require('../../../scripts/runtime/ports') as {
	assertN8nPortsFree(env: Record<string, string>, consequence?: string): Promise<void>;
};

async function listening(port = 0): Promise<Server> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen({ port, host: '127.0.0.1' }, resolve));
	return server;
}

const portOf = (server: Server) => (server.address() as { port: number }).port;
const closed = async (server: Server) => await new Promise<void>((resolve) => server.close(() => resolve()));

describe("npm start's port check", () => {
	it('passes when n8n\'s port and its task broker\'s are free', async () => {
		// A port just freed by a listener of our own: free again.
		const probe = await listening();
		const port = portOf(probe);
		await closed(probe);
		await expect(assertN8nPortsFree({ N8N_PORT: String(port), N8N_LISTEN_ADDRESS: '127.0.0.1', N8N_RUNNERS_BROKER_PORT: String(port) })).resolves.toBeUndefined();
	});

	it("names n8n's port when another program answers on it, and says what was left alone", async () => {
		const other = await listening();
		try {
			const port = portOf(other);
			await expect(
				assertN8nPortsFree({ N8N_PORT: String(port), N8N_LISTEN_ADDRESS: '127.0.0.1', N8N_RUNNERS_BROKER_PORT: String(port) }, 'Nothing was deleted.'),
			).rejects.toThrow(new RegExp(`^n8n's port ${port} is not free: another program answers on it \\(127\\.0\\.0\\.1\\).*Nothing was deleted\\.$`));
		} finally {
			await closed(other);
		}
	});

	it("names the task broker's port, by default the one after n8n's", async () => {
		const other = await listening();
		try {
			const broker = portOf(other);
			await expect(assertN8nPortsFree({ N8N_PORT: String(broker - 1), N8N_LISTEN_ADDRESS: '127.0.0.1' })).rejects.toThrow(
				`the port of n8n's task broker ${broker} is not free`,
			);
		} finally {
			await closed(other);
		}
	});

	it('refuses a port that is no port number', async () => {
		await expect(assertN8nPortsFree({ N8N_PORT: 'eighty' })).rejects.toThrow(`n8n's port must be a port number from 1 to 65535 (got "eighty")`);
	});
});
