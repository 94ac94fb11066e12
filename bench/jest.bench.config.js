// Benchmarks run through Jest only to reuse its TypeScript transform (decorators) and the e2e
// global setup (real FerretDB or MONGODB_URI, and Redis). Each bench is one `it` that prints
// its numbers and writes bench/results/<name>.json; it asserts only sanity, never timings.
//   node_modules/.bin/node --experimental-vm-modules node_modules/jest/bin/jest.js -c bench/jest.bench.config.js bench/<name>.bench.ts
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true, diagnostics: false }];

module.exports = {
  rootDir: '..',
  displayName: 'bench',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/bench/**/*.bench.ts'],
  transform: { '^.+\\.ts$': tsJest },
  moduleFileExtensions: ['ts', 'js', 'json'],
  globalSetup: '<rootDir>/test/harness/global-setup.ts',
  globalTeardown: '<rootDir>/test/harness/global-teardown.ts',
  testTimeout: 60 * 60 * 1000,
  // Benches measure one thing at a time: never in parallel with each other.
  maxWorkers: 1,
};
