import { randomString } from 'n8n-workflow';

/** Falcon's rule for `appId`: 1 to 32 letters or digits. */
export const APP_ID_PATTERN = /^[A-Za-z0-9]{1,32}$/;

export function appIdProblem(appId: string): string | undefined {
	if (APP_ID_PATTERN.test(appId)) return undefined;
	return `must be 1 to 32 letters (a-z, A-Z) or digits, without spaces, hyphens or underscores (got "${appId}")`;
}

/**
 * The App ID a published workflow uses when none is set: stable for the workflow and the trigger node, so a
 * restart reconnects as the same consumer, and different workflows (or two triggers in one) never share one.
 * Shape: `n8n` + up to 16 characters of the workflow id + 10 of a hash of workflow and node id.
 */
export function derivedAppId(workflowId: string | undefined, nodeId: string): string {
	const workflowPart = alphanumeric(workflowId ?? '').slice(0, 16);
	return `n8n${workflowPart}${stableHash(`${workflowId ?? ''}:${nodeId}`, 10)}`.slice(0, 32);
}

/**
 * A child tenant's App ID when one trigger follows several children: the trigger's App ID shortened, plus 10
 * characters of a hash of it and the child's CID, so each child's consumer has a name of its own.
 */
export function childAppId(appId: string, childCid: string): string {
	return `${appId.slice(0, 22)}${stableHash(`${appId}:${childCid}`, 10)}`;
}

/**
 * Editor test runs ("Fetch Test Event", "Execute step") use their own App ID, so they never take the stream from
 * the published workflow; a random part avoids Falcon's "App ID still in use" window after the previous test.
 */
export function testAppId(appId: string): string {
	return `${appId.slice(0, 24)}test${randomString(4)}`;
}

/**
 * One-off App ID for a bounded read (Read Events), so it can run beside the trigger of the same workflow, and for
 * the trigger's look at whose stream a new API client reads (its own App ID stays unreleased).
 */
export function temporaryAppId(): string {
	return `n8nread${randomString(16)}`;
}

function alphanumeric(value: string): string {
	return value.replace(/[^A-Za-z0-9]/g, '');
}

/** FNV-1a over UTF-16 code units, two rounds with different seeds for 64 bits of spread; base 36. */
export function stableHash(value: string, length: number): string {
	let high = 0x811c9dc5;
	let low = 0x01000193 ^ 0x5bd1e995;
	for (let index = 0; index < value.length; index++) {
		const code = value.charCodeAt(index);
		high = Math.imul(high ^ code, 0x01000193) >>> 0;
		low = Math.imul(low ^ code, 0x01000193 + 2) >>> 0;
	}
	return (high.toString(36) + low.toString(36)).padStart(length, '0').slice(-length);
}
