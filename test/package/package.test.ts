/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code, never part of the package */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

import { packProject } from '../../scripts/runtime/n8n-instance';
import { danglingSourceMaps, listFiles, missingFiles, unexpectedFiles } from './publishedFiles';

// The package as npm would publish it (`npm pack` of the built project, unpacked), checked for what it carries and
// with n8n's own community-package scanner rules, as `npx @n8n/scan-community-package` applies them after
// publishing: on the sources (package.json, nodes/**, credentials/**) and on the tarball (**/*.js, package.json).

const run = promisify(execFile);
const projectRoot = resolve(__dirname, '..', '..');
const SCAN_TIMEOUT_MS = 180_000;

interface ScanResult {
	passed: boolean;
	message?: string;
	details?: string;
}

async function scan(folder: string, patterns: string[]): Promise<ScanResult> {
	// Jest's NODE_ENV=test switches eslint-plugin-n8n-nodes-base into its own test mode (other file name rules).
	const env = { ...process.env };
	delete env.NODE_ENV;
	const { stdout } = await run(
		process.execPath,
		[join(__dirname, 'scan.mjs'), folder, ...patterns],
		{
			cwd: projectRoot,
			env,
			maxBuffer: 16 * 1024 * 1024,
		},
	);
	return JSON.parse(stdout) as ScanResult;
}

const workDir = mkdtempSync(join(tmpdir(), 'falcon-package-'));
const packageDir = join(workDir, 'package');
let files: string[] = [];

beforeAll(async () => {
	if (!existsSync(join(projectRoot, 'dist')))
		throw new Error('No dist/: run `npm run build` first (npm test does)');
	const tarball = await packProject(workDir);
	await run('tar', ['-xzf', tarball, '-C', workDir]);
	files = listFiles(packageDir).sort();
}, 60_000);

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

test('the tarball holds only dist/ (nodes, credentials, icons), README, LICENSE and package.json', () => {
	expect(unexpectedFiles(files)).toEqual([]);
	expect(missingFiles(packageDir, files)).toEqual([]);
});

test('no shipped file points at a source map or sources that are not shipped', () => {
	expect(danglingSourceMaps(packageDir, files)).toEqual([]);
});

test('the published package.json has no runtime dependencies and ships only dist', () => {
	const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as Record<
		string,
		unknown
	>;
	expect(manifest.dependencies ?? {}).toEqual({});
	expect(manifest.files).toEqual(['dist']);
	expect(manifest.license).toBe('MIT');
});

describe("n8n's community-package scanner rules", () => {
	test(
		'pass on the sources',
		async () => {
			const result = await scan(projectRoot, [
				'package.json',
				'{nodes,credentials}/**/*.{js,ts,json}',
			]);
			expect(result.details ?? result.message ?? '').toBe('');
			expect(result.passed).toBe(true);
		},
		SCAN_TIMEOUT_MS,
	);

	test(
		'pass on the tarball',
		async () => {
			const result = await scan(packageDir, ['**/*.js', 'package.json']);
			expect(result.details ?? result.message ?? '').toBe('');
			expect(result.passed).toBe(true);
		},
		SCAN_TIMEOUT_MS,
	);
});
