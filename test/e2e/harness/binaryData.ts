/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- test harness code: reads n8n's binary store and opens 7z archives */
import { execFileSync } from 'node:child_process';
import {
	existsSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	statSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { OutputItem } from './execute';
import { sevenZipBinary } from '../../harness/sevenZip';

type BinaryEntry = NonNullable<OutputItem['binary']>[string];

function findFile(dir: string, name: string): string | undefined {
	if (!existsSync(dir)) return undefined;
	for (const entry of readdirSync(dir)) {
		const path = join(dir, entry);
		if (entry === name && statSync(path).isFile()) return path;
		if (statSync(path).isDirectory()) {
			const found = findFile(path, name);
			if (found) return found;
		}
	}
	return undefined;
}

/**
 * The bytes of a binary entry of an execution: inline base64 (n8n 1.x keeps binary data in memory by default) or
 * a file in the user folder's filesystem store (n8n 2.x's default outside queue mode).
 */
export function binaryBytes(entry: BinaryEntry, userFolder: string): Buffer {
	if (entry.data && entry.data !== 'filesystem-v2' && !entry.id)
		return Buffer.from(entry.data, 'base64');
	const fileId = String(entry.id).replace(/^filesystem(-v2)?:/, '');
	const root = join(userFolder, '.n8n');
	const found = findFile(root, fileId.split('/').pop()!);
	if (!found) throw new Error(`binary ${entry.id} not found under ${root}`);
	return readFileSync(found);
}

/** The one file inside a password-protected 7z archive (RTR get-file results), via 7-Zip. */
export function extractSevenZip(archive: Buffer, password: string): Buffer {
	const dir = mkdtempSync(join(tmpdir(), 'falcon-7z-'));
	try {
		writeFileSync(join(dir, 'file.7z'), archive);
		return execFileSync(sevenZipBinary(), ['x', '-so', `-p${password}`, join(dir, 'file.7z')], {
			stdio: ['ignore', 'pipe', 'ignore'],
		});
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}
