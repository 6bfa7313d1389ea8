/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testTimeout: 60000,
  // No forceExit: every suite closes what it opens (servers, worker pools, watchers), so jest
  // exits by itself. A suite that hangs at the end left a handle open: npx jest --detectOpenHandles <file>.
};
