// The instance owner: n8n 2.x creates it from environment variables (N8N_INSTANCE_OWNER_MANAGED_BY_ENV), so no
// setup screen is needed; n8n 1.x lacks that and is set up through its owner-setup endpoint once it runs.
const { join } = require('node:path');

const OWNER = Object.freeze({
	email: 'owner@example.com',
	password: 'Falcon-Demo-2026',
	firstName: 'Demo',
	lastName: 'Owner',
});

const hashes = new Map();

// n8n wants a bcrypt hash; its own bcryptjs computes one, so the project needs no extra dependency.
function ownerPasswordHash(n8nDir) {
	if (!hashes.has(n8nDir)) {
		const bcrypt = require(join(n8nDir, 'node_modules', 'bcryptjs'));
		hashes.set(n8nDir, bcrypt.hashSync(OWNER.password, 10));
	}
	return hashes.get(n8nDir);
}

/** `runtime` from runtimeFor(). */
function ownerEnvironment(runtime) {
	if (!runtime.features.ownerFromEnvironment) return {};
	return {
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: OWNER.email,
		N8N_INSTANCE_OWNER_PASSWORD_HASH: ownerPasswordHash(runtime.n8nDir),
		N8N_INSTANCE_OWNER_FIRST_NAME: OWNER.firstName,
		N8N_INSTANCE_OWNER_LAST_NAME: OWNER.lastName,
	};
}

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * n8n 1.x: claims the instance for OWNER on a running n8n; an instance set up before is left as it is.
 * 1.x reports ready before its REST routes and database answer, so 404 and 503 are waited out for a while.
 */
async function setUpOwner(url, runtime, { timeoutMs = 60_000 } = {}) {
	if (runtime.features.ownerFromEnvironment) return;
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const response = await fetch(`${url}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(OWNER),
		});
		const text = await response.text();
		if (response.ok || text.includes('already setup')) return;
		if (![404, 503].includes(response.status) || Date.now() > deadline)
			throw new Error(
				`Setting up the n8n owner failed: HTTP ${response.status} ${text.slice(0, 500)}`,
			);
		await delay(500);
	}
}

module.exports = { OWNER, ownerEnvironment, setUpOwner };
