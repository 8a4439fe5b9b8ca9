/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code, never part of the package */
import { statSync } from 'node:fs';
import { basename } from 'node:path';

import { DEFAULT_CLIENT_SECRET, DEFAULT_SEED } from '../../simulator/options';
import { FalconN8nSuite } from './harness/falcon-n8n-suite';
import { outputDir, packedTarball } from './harness/paths';
import {
	findSecrets,
	scanFolder,
	simulatorStreamTokens,
	suiteFoldersWrittenSince,
	type SecretDetectors,
} from './harness/secretScan';
import { startTestSimulator } from './harness/simulator';

// Runs after every other e2e suite (test/e2e/harness/scan-last-sequencer.js) and reads the n8n folder each of them
// left under test-output/e2e: every file (SQLite database, write-ahead log, n8n's log and event logs, binary data),
// and every value of every SQLite database read back through SQLite (execution data included). None may hold a client secret, an OAuth
// bearer token or a stream session token the simulator issued. One scan at the end rather than a check in every
// suite's teardown: it covers suites written later without touching them, and reads each folder once n8n is down.
// E2E_SCAN_SINCE=0 scans folders of an earlier run too (to run this file alone).

/** More stream sessions than the whole e2e run opens (one per partition per discovery). */
const STREAM_TOKENS = 20_000;

const detectors: SecretDetectors = {
	exact: {
		'client secret': DEFAULT_CLIENT_SECRET,
		'wrong client secret': new FalconN8nSuite('secret-scan').badSecret,
	},
	patterns: { 'OAuth bearer token': /sim\.[0-9a-f]{48}/g },
	issuedHex: { name: 'stream session token', length: 64, values: new Set(simulatorStreamTokens(DEFAULT_SEED, STREAM_TOKENS)) },
};

const since = process.env.E2E_SCAN_SINCE === undefined ? statSync(packedTarball()).mtimeMs : Number(process.env.E2E_SCAN_SINCE);
const folders = suiteFoldersWrittenSince(outputDir, since, ['package']);

test('the detectors recognise what the simulator issues', async () => {
	const simulator = await startTestSimulator({ partitions: 2 });
	try {
		const token = (await (
			await fetch(`${simulator.url}/oauth2/token`, {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ client_id: simulator.clientId, client_secret: simulator.clientSecret }),
			})
		).json()) as { access_token: string };
		const discovery = (await (
			await fetch(`${simulator.url}/sensors/entities/datafeed/v2?appId=secretScan01`, {
				headers: { authorization: `Bearer ${token.access_token}` },
			})
		).json()) as { resources: Array<{ sessionToken: { token: string } }> };
		const issued = discovery.resources.map((resource) => resource.sessionToken.token);
		expect(simulator.clientSecret).toBe(DEFAULT_CLIENT_SECRET);
		// The first tokens a fresh simulator hands out are the first of the derived list.
		expect(issued).toEqual(simulatorStreamTokens(DEFAULT_SEED, 2));

		const planted = `{"Authorization":"Bearer ${token.access_token}"} Token ${issued[1]} client_secret=${DEFAULT_CLIENT_SECRET}`;
		expect(findSecrets(planted, 'planted', detectors).map((finding) => finding.kind).sort()).toEqual([
			'OAuth bearer token',
			'client secret',
			'stream session token',
		]);
	} finally {
		await simulator.close();
	}
});

test('the other e2e suites ran before this scan, in this run', () => {
	expect(folders.map((folder) => basename(folder))).not.toEqual([]);
});

const scanned = folders.length > 0 ? folders : ['(none)'];

test.each(scanned)('no secret at rest in %s', (folder) => {
	if (folder === '(none)') return;
	const report = scanFolder(folder, detectors);
	expect(report.files).toBeGreaterThan(0);
	expect(report.findings).toEqual([]);
});
