/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- test harness code: runs 7-Zip to check RTR archives */
import { execFileSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { path7za } from '7zip-bin';

let binary: string | undefined;

/**
 * The 7-Zip command the archive checks run: the system's `7z` when installed (Debian's p7zip-full), else the `7za`
 * the 7zip-bin dev dependency ships, so `npm install && npm test` needs nothing installed by hand. npm drops that
 * file's execute bit, so it is set here.
 */
export function sevenZipBinary(): string {
	if (binary) return binary;
	try {
		execFileSync('7z', ['i'], { stdio: 'ignore' });
		binary = '7z';
	} catch {
		chmodSync(path7za, 0o755);
		binary = path7za;
	}
	return binary;
}
