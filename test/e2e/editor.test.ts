import type { Browser, Page } from 'playwright-core';

import { exampleWorkflows } from '../../scripts/runtime/n8n-instance';
import { launchChromium } from './harness/browser';
import { useFalconN8n } from './harness/falcon-n8n-suite';
import { artifactPath } from './harness/paths';

// The editor in headless Chromium: log in, open the token expiry example, open the Installation Tokens node and
// check that its Resource and Operation dropdowns render. The screenshot is kept for a human to look at.

const NODE_NAME = 'Valid Tokens Expiring Within 30 Days';
const SCREENSHOT = artifactPath('editor-installation-tokens.png');

let exampleId = '';
let playbookId = '';
const suite = useFalconN8n('editor', {
	server: true,
	workflows: (s) => {
		const examples = exampleWorkflows(s.credential);
		exampleId = examples.find((workflow) =>
			workflow.nodes.some((node) => node.name === NODE_NAME),
		)!.id!;
		playbookId = examples.find((workflow) => workflow.name === 'Event-triggered containment')!.id!;
		return examples;
	},
});

let browser: Browser;
let page: Page;

beforeAll(async () => {
	browser = await launchChromium();
	page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
});

afterAll(async () => {
	// Whatever the outcome, the last state of the page helps to understand a failure.
	await page?.screenshot({ path: artifactPath('editor-last-state.png') });
	await browser?.close();
});

test('the owner signs in', async () => {
	await page.goto(`${suite.url}/signin`);
	await page.getByLabel('Email').fill(suite.n8n.owner.email);
	await page.getByLabel('Password').fill(suite.n8n.owner.password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
});

test('the Installation Tokens node opens with its Resource and Operation dropdowns', async () => {
	await page.goto(`${suite.url}/workflow/${exampleId}`);
	const node = page.locator('[data-test-id="canvas-node"]').filter({ hasText: NODE_NAME });
	await node.waitFor();
	await node.dblclick();

	const ndv = page.locator('[data-test-id="ndv"]');
	const resourceLabel = ndv.getByText('Resource', { exact: true });
	const operationLabel = ndv.getByText('Operation', { exact: true });
	await resourceLabel.waitFor({ state: 'visible' });
	await operationLabel.waitFor({ state: 'visible' });
	await page.screenshot({ path: SCREENSHOT });

	expect(await resourceLabel.isVisible()).toBe(true);
	expect(await operationLabel.isVisible()).toBe(true);
	expect(await ndv.locator('[data-test-id="parameter-input-resource"] input').inputValue()).toBe(
		'Token',
	);
	expect(await ndv.locator('[data-test-id="parameter-input-operation"] input').inputValue()).toBe(
		'Get Many',
	);
});

test('the containment playbook renders every node of the SOAR loop (the README picture)', async () => {
	await page.goto(`${suite.url}/workflow/${playbookId}`);
	const nodes = page.locator('[data-test-id="canvas-node"]');
	for (const name of ['Falcon Detection', 'Get Alert', 'Get Host', 'Wait for Approval', 'Contain Host', 'Update Alert']) {
		await nodes.filter({ hasText: name }).first().waitFor();
	}
	await page.keyboard.press('1');
	await page.waitForTimeout(500);
	await page.screenshot({ path: artifactPath('containment-playbook.png') });
	expect(await nodes.count()).toBeGreaterThanOrEqual(15);
});
