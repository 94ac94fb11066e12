// Runs only the sandbox specs, without the e2e globalSetup (they need Chromium, not FerretDB or Redis):
//   node_modules/.bin/node --experimental-vm-modules node_modules/jest/bin/jest.js -c test/sandbox/jest.sandbox.config.js
// The same specs also run in the main config's e2e project.
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true, diagnostics: false }];

module.exports = {
  rootDir: '../..',
  displayName: 'sandbox',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/sandbox/**/*.e2e-spec.ts'],
  transform: { '^.+\\.ts$': tsJest },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 120000,
};
