/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.dev.json' }],
	},
	testTimeout: 30000,
	// Real n8n runs live in scripts/e2e.mjs, not in jest.
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/'],
};
