// Compatibility suite: a smoke subset of the e2e suite on every n8n version the package supports (see
// scripts/runtime/runtimes.js); the full e2e suite runs on the pinned n8n only (jest.e2e.config.js).
const e2e = require('./jest.e2e.config');

/** @type {import('jest').Config} */
module.exports = {
	...e2e,
	testMatch: ['<rootDir>/test/e2e/compat/**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/'],
	globalSetup: '<rootDir>/test/e2e/compat/global-setup.ts',
};
