// `npm run bench:n8n`: throughput of the trigger into real n8n executions (regular and queue mode, Postgres, Redis),
// against the pinned n8n runtime. Long (tens of minutes): never part of `npm test`, `npm run bench` or CI.
/** @type {import('jest').Config} */
module.exports = {
	rootDir: '../..',
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/bench/n8n'],
	testMatch: ['**/*.n8nbench.ts'],
	modulePathIgnorePatterns: ['<rootDir>/dist', '<rootDir>/.n8n-runtime', '<rootDir>/test-output'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }] },
	// The same once-per-run setup as the e2e suites: the runtime, a fresh build and its packed tarball.
	globalSetup: '<rootDir>/test/e2e/harness/global-setup.ts',
	testTimeout: 6 * 60 * 60 * 1000,
	maxWorkers: 1,
	verbose: true,
};
