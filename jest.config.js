// Two projects: fast unit specs beside the code, and e2e/integration specs in test/ that
// run against real FerretDB (or MONGODB_URI), Redis, HTTP and Chromium.
// Run through `npm test` (Node 24 with --experimental-vm-modules, needed to load the
// ESM-only @nestjs/* 12 packages from CommonJS tests).
const { availableParallelism } = require('node:os');

const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true, diagnostics: false }];

module.exports = {
  // Jest reads testTimeout only at the top level; unit specs stay fast regardless.
  testTimeout: 120000,
  // Jest's default (cores − 1) runs one suite at a time on a 2-core machine, though e2e suites mostly wait
  // on browsers, timers and the network: two at once halves the run there; larger machines keep the default.
  maxWorkers: Math.max(2, availableParallelism() - 1),
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      rootDir: '.',
      testMatch: ['<rootDir>/src/**/*.spec.ts'],
      transform: { '^.+\\.ts$': tsJest },
      moduleFileExtensions: ['ts', 'js', 'json'],
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      rootDir: '.',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      transform: { '^.+\\.ts$': tsJest },
      // The SDK's tests run its TypeScript source (test/sdk builds and checks dist/ separately).
      moduleNameMapper: { '^@cirrus/omnichannel_api$': '<rootDir>/sdk/src/index.ts' },
      moduleFileExtensions: ['ts', 'js', 'json'],
      globalSetup: '<rootDir>/test/harness/global-setup.ts',
      globalTeardown: '<rootDir>/test/harness/global-teardown.ts',
      slowTestThreshold: 60,
    },
  ],
};
