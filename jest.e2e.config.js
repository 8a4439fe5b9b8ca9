// End-to-end suite: the packed package inside a real n8n (CLI, REST, editor in Chromium) against the simulator.
/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
	// The compatibility smoke suite has its own config and runtimes (npm run test:compat).
	testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/compat/'],
	// The secret scan reads every suite's n8n folder, so it runs after all of them.
	testSequencer: '<rootDir>/test/e2e/harness/scan-last-sequencer.js',
	modulePathIgnorePatterns: ['<rootDir>/dist', '<rootDir>/.n8n-runtime', '<rootDir>/test-output'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }],
	},
	globalSetup: '<rootDir>/test/e2e/harness/global-setup.ts',
	// Every n8n CLI call boots n8n (~5 s); a suite's setup imports and may start a server (~30 s).
	testTimeout: 180_000,
	maxWorkers: 1,
	verbose: true,
};
