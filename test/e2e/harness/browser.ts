/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test harness code, never part of the package */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';

// Without the background-networking flags Chromium keeps dialling Google hosts this offline machine refuses.
const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** Debian's Chromium (installed by .ci/run), driven by playwright-core; no browser download. */
export async function launchChromium(): Promise<Browser> {
	if (!existsSync(CHROMIUM)) {
		throw new Error(
			`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium), as .ci/run does`,
		);
	}
	return await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
}
