// The instance owner, set from environment variables so no setup screen is needed (N8N_INSTANCE_OWNER_MANAGED_BY_ENV).
const { join } = require('node:path');
const { n8nDir } = require('./runtime-paths');

const OWNER = Object.freeze({
	email: 'owner@example.com',
	password: 'Falcon-Demo-2026',
	firstName: 'Demo',
	lastName: 'Owner',
});

let cachedHash;

// n8n wants a bcrypt hash; its own bcryptjs computes one, so the project needs no extra dependency.
function ownerPasswordHash() {
	if (!cachedHash) {
		const bcrypt = require(join(n8nDir, 'node_modules', 'bcryptjs'));
		cachedHash = bcrypt.hashSync(OWNER.password, 10);
	}
	return cachedHash;
}

function ownerEnvironment() {
	return {
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: OWNER.email,
		N8N_INSTANCE_OWNER_PASSWORD_HASH: ownerPasswordHash(),
		N8N_INSTANCE_OWNER_FIRST_NAME: OWNER.firstName,
		N8N_INSTANCE_OWNER_LAST_NAME: OWNER.lastName,
	};
}

module.exports = { OWNER, ownerEnvironment };
