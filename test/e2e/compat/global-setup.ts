import { compatRuntimes, ensureRuntime } from '../../../scripts/runtime/n8n-instance';
import { buildAndPack } from '../harness/global-setup';
import { compatPackageDir } from '../harness/paths';

/** Every n8n of the matrix (each installed once, then reused), then the build and its own tarball. */
export default async function compatGlobalSetup(): Promise<void> {
	for (const runtime of compatRuntimes()) ensureRuntime(runtime);
	await buildAndPack(compatPackageDir);
}
