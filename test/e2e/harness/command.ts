/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- test harness code, never part of the package */
import { execFile } from 'node:child_process';

export interface CommandOutput {
	stdout: string;
	stderr: string;
}

/** Runs a command to its end; rejects with its output when it fails. */
export async function run(
	command: string,
	args: string[],
	options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): Promise<CommandOutput> {
	return await new Promise((resolve, reject) => {
		execFile(
			command,
			args,
			{
				env: { ...process.env, ...options.env },
				cwd: options.cwd,
				timeout: options.timeoutMs ?? 120_000,
				maxBuffer: 64 * 1024 * 1024,
			},
			(error, stdout, stderr) => {
				if (error) {
					reject(new Error(`${command} ${args.join(' ')} failed: ${error.message}\n${stderr}${stdout}`.trim()));
					return;
				}
				resolve({ stdout, stderr });
			},
		);
	});
}
