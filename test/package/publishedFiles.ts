/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code, never part of the package */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';

// What the published package may contain: the compiled nodes and credentials with their type declarations, codex
// files and icons, and the three files npm always adds. Anything else (tests, the simulator, examples, build
// info, source maps) is something nobody meant to publish.
const ROOT_FILES = new Set(['package.json', 'README.md', 'LICENSE']);
const DIST_FILE = [
	/^dist\/(nodes|credentials)\/.+\.(js|d\.ts|svg|png)$/,
	/^dist\/nodes\/.+\.node\.json$/,
	/^dist\/icons\/[^/]+\.(svg|png)$/,
];
const TEST_LIKE = /(^|\/)(__tests__|__mocks__|fixtures?|test)\/|\.(test|spec)\.[^/]+$/;

/** Every file under `dir`, as a relative POSIX path. */
export function listFiles(dir: string, prefix = ''): string[] {
	return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
		const path = prefix ? `${prefix}/${entry.name}` : entry.name;
		return entry.isDirectory() ? listFiles(dir, path) : [path];
	});
}

export function unexpectedFiles(files: string[]): string[] {
	return files.filter(
		(file) =>
			!ROOT_FILES.has(file) && (TEST_LIKE.test(file) || !DIST_FILE.some((rule) => rule.test(file))),
	);
}

/** Files package.json promises (n8n.nodes, n8n.credentials, the root files) that the package lacks. */
export function missingFiles(dir: string, files: string[]): string[] {
	const { n8n } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
		n8n: { nodes?: string[]; credentials?: string[] };
	};
	const required = [...ROOT_FILES, ...(n8n.nodes ?? []), ...(n8n.credentials ?? [])];
	return required.filter((file) => !files.includes(file));
}

const MAP_REFERENCE = /^\/\/# sourceMappingURL=(\S+)\s*$/m;

/**
 * Source map references that lead nowhere in the package: a map file it lacks, or a map whose sources are neither
 * shipped nor embedded. `files` are the package's files relative to `dir`.
 */
export function danglingSourceMaps(dir: string, files: string[]): string[] {
	const problems: string[] = [];
	for (const file of files.filter((name) => name.endsWith('.js'))) {
		const reference = MAP_REFERENCE.exec(readFileSync(join(dir, file), 'utf8'))?.[1];
		if (!reference) continue;
		if (reference.startsWith('data:')) {
			problems.push(`${file}: an inline source map (the package should carry none)`);
			continue;
		}
		const mapFile = posix.join(posix.dirname(file), reference);
		if (!existsSync(join(dir, mapFile))) {
			problems.push(`${file}: its source map ${mapFile} is not in the package`);
			continue;
		}
		const map = JSON.parse(readFileSync(join(dir, mapFile), 'utf8')) as {
			sources: string[];
			sourcesContent?: string[];
		};
		map.sources.forEach((source, index) => {
			const shipped = existsSync(join(dir, dirname(mapFile), source));
			if (!shipped && typeof map.sourcesContent?.[index] !== 'string')
				problems.push(`${mapFile}: source ${source} is neither in the package nor embedded`);
		});
	}
	return problems;
}
