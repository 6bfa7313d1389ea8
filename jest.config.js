/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testTimeout: 60000,
  // A suite that leaves a handle open (a watcher's poll timer, a worker thread) must not hang CI:
  // the run ends when the tests end. Open handles are still worth finding: npx jest --detectOpenHandles.
  forceExit: true,
};
