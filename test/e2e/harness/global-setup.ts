/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test harness code, never part of the package */
import { rmSync } from 'node:fs';

import { ensureRuntime, packProject, runCommand } from '../../../scripts/runtime/n8n-instance';
import { packageDir, projectRoot } from './paths';

/**
 * Once per run: the pinned n8n runtime (installed on first use), a fresh build, and its `npm pack` tarball that
 * every suite installs (packed once, so all suites test the same bytes).
 * E2E_SKIP_BUILD=1 packs the existing dist/ instead, to iterate on tests quickly.
 */
export default async function globalSetup(): Promise<void> {
	ensureRuntime();
	if (process.env.E2E_SKIP_BUILD !== '1') {
		runCommand('npm', ['run', 'build'], { cwd: projectRoot, what: 'npm run build' });
	}
	rmSync(packageDir, { recursive: true, force: true });
	await packProject(packageDir);
}
