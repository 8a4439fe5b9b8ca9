// Benchmarks run through the same in-process n8n-core harness as the tests, against the simulator.
process.env.N8N_LOG_LEVEL = process.env.N8N_LOG_LEVEL || 'silent';

/** @type {import('jest').Config} */
module.exports = {
	rootDir: '..',
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/bench'],
	testMatch: ['**/*.bench.ts'],
	modulePathIgnorePatterns: ['<rootDir>/dist'],
	setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }] },
	testTimeout: 600000,
};
