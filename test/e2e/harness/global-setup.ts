/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test harness code, never part of the package */
import { rmSync } from 'node:fs';

import { ensureRuntime, packProject, runCommand } from '../../../scripts/runtime/n8n-instance';
import { packageDir, projectRoot } from './paths';

/**
 * A fresh build and its `npm pack` tarball in `destination`, which every suite installs (packed once, so all
 * suites test the same bytes). E2E_SKIP_BUILD=1 packs the existing dist/ instead, to iterate on tests quickly.
 */
export async function buildAndPack(destination: string): Promise<void> {
	if (process.env.E2E_SKIP_BUILD !== '1') {
		runCommand('npm', ['run', 'build'], { cwd: projectRoot, what: 'npm run build' });
	}
	rmSync(destination, { recursive: true, force: true });
	await packProject(destination);
}

/** Once per run: the n8n runtime (installed on first use), then the build and its tarball. */
export default async function globalSetup(): Promise<void> {
	ensureRuntime();
	await buildAndPack(packageDir);
}
