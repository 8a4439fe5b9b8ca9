/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- test harness code, never part of the package */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

import { ensureRuntime } from '../../../scripts/runtime/n8n-instance';
import { Random } from '../../../simulator/random';

/** What must never be at rest in an n8n folder: exact values, and patterns for values nobody recorded. */
export interface SecretDetectors {
	/** Exact strings, e.g. client secrets: `name` → value. */
	exact: Record<string, string>;
	/** Regular expressions (global) for secrets with a recognisable shape, e.g. the simulator's bearer tokens. */
	patterns: Record<string, RegExp>;
	/** Tokens known to have been (or to be likely) issued, all of one length and alphabet (lower-case hex). */
	issuedHex: { name: string; length: number; values: Set<string> };
}

export interface SecretFinding {
	file: string;
	kind: string;
	/** The secret's first characters only. */
	excerpt: string;
}

export interface ScanReport {
	files: number;
	bytes: number;
	databases: string[];
	findings: SecretFinding[];
}

/**
 * The stream session tokens a simulator with this seed hands out, in order: its `streams` random stream is used for
 * nothing else (see simulator/random.ts), so the n-th token issued is the n-th 64-digit hex string drawn from it. The
 * simulator does not report the tokens it issued; the scan checks this derivation against a live simulator first.
 */
export function simulatorStreamTokens(seed: number, count: number): string[] {
	const random = new Random(seed, 'streams');
	return Array.from({ length: count }, () => random.hex(64));
}

/** Every file under `folder` (installed packages left out: they are code, not data), read whole. */
export function scanFolder(folder: string, detectors: SecretDetectors): ScanReport {
	const report: ScanReport = { files: 0, bytes: 0, databases: [], findings: [] };
	for (const file of filesUnder(folder)) {
		const content = readFileSync(file).toString('latin1');
		report.files++;
		report.bytes += content.length;
		report.findings.push(...findSecrets(content, relative(folder, file), detectors));
		if (/\.sqlite$/.test(file)) {
			report.databases.push(relative(folder, file));
			report.findings.push(...findSecrets(sqliteText(file), `${relative(folder, file)} (values)`, detectors));
		}
	}
	return report;
}

export function findSecrets(content: string, file: string, detectors: SecretDetectors): SecretFinding[] {
	const findings: SecretFinding[] = [];
	const found = (kind: string, value: string) => findings.push({ file, kind, excerpt: `${value.slice(0, 8)}…` });
	for (const [kind, value] of Object.entries(detectors.exact)) if (content.includes(value)) found(kind, value);
	for (const [kind, pattern] of Object.entries(detectors.patterns)) {
		for (const match of content.matchAll(pattern)) found(kind, match[0]);
	}
	const { name, length, values } = detectors.issuedHex;
	for (const match of content.matchAll(new RegExp(`[0-9a-f]{${length},}`, 'g'))) {
		for (let start = 0; start + length <= match[0].length; start++) {
			const candidate = match[0].slice(start, start + length);
			if (values.has(candidate)) found(name, candidate);
		}
	}
	return findings;
}

function filesUnder(folder: string): string[] {
	const files: string[] = [];
	for (const entry of readdirSync(folder, { withFileTypes: true })) {
		const path = join(folder, entry.name);
		if (entry.isDirectory()) {
			if (entry.name !== 'node_modules') files.push(...filesUnder(path));
		} else if (entry.isFile()) {
			files.push(path);
		}
	}
	return files;
}

/** Every value of every table, through SQLite (see sqlite-text.js), with a Node.js that has node:sqlite. */
function sqliteText(database: string): string {
	const script = join(__dirname, 'sqlite-text.js');
	const result = spawnSync(sqliteNode(), [script, database], { encoding: 'latin1', maxBuffer: 1024 * 1024 * 1024 });
	if (result.status !== 0) throw new Error(`Reading ${database} failed: ${result.stderr}`);
	return result.stdout;
}

let nodeWithSqlite: string | undefined;

function sqliteNode(): string {
	nodeWithSqlite ??= [ensureRuntime().nodeBinary, process.execPath].find(
		(binary) => spawnSync(binary, ['-e', "require('node:sqlite')"]).status === 0,
	);
	if (!nodeWithSqlite) throw new Error('No Node.js with node:sqlite (22.5 or newer) to read n8n\'s databases');
	return nodeWithSqlite;
}

/** Suite folders an e2e run wrote to after `since` (an earlier run's folders are left alone). */
export function suiteFoldersWrittenSince(outputDir: string, since: number, exclude: string[]): string[] {
	return readdirSync(outputDir, { withFileTypes: true })
		.filter((entry) => entry.isDirectory() && !exclude.includes(entry.name))
		.map((entry) => join(outputDir, entry.name))
		.filter((folder) =>
			[join(folder, 'n8n', '.n8n', 'database.sqlite'), join(folder, 'n8n', 'n8n.log')].some((file) => {
				try {
					return statSync(file).mtimeMs >= since;
				} catch {
					return false;
				}
			}),
		);
}
