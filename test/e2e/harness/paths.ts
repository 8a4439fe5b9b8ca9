/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test harness code, never part of the package */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const projectRoot = resolve(__dirname, '..', '..', '..');

/** Git-ignored: n8n user folders and logs of each suite, screenshots. */
export const outputDir = join(projectRoot, 'test-output', 'e2e');

/** Where the global setup leaves the packed package. */
export const packageDir = join(outputDir, 'package');

/** Where the compatibility suite's global setup leaves its own packed package (the two suites may run at once). */
export const compatPackageDir = join(projectRoot, 'test-output', 'compat', 'package');

export function packedTarball(dir: string = packageDir): string {
	const tarballs = readdirSync(dir).filter((file) => file.endsWith('.tgz'));
	if (tarballs.length !== 1)
		throw new Error(`Expected one packed package in ${dir}, found ${tarballs.length}`);
	return join(dir, tarballs[0]);
}

/** Screenshots and other files a human may want to look at after a run. */
export function artifactPath(fileName: string): string {
	return join(outputDir, fileName);
}
