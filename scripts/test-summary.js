// Prints Jest's totals as one plain closing line ("tests: N passed, N failed, N skipped"),
// and fails when nothing ran, so a green run always means tests executed.
const fs = require('node:fs');
const file = process.argv[2];
if (!fs.existsSync(file)) {
  console.log('tests: 0 passed, 1 failed');
  console.error(`no Jest results at ${file}`);
  process.exit(1);
}
const r = JSON.parse(fs.readFileSync(file, 'utf8'));
const skipped = r.numPendingTests + r.numTodoTests;
console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
if (r.numTotalTests === 0 || r.numFailedTests > 0 || r.numFailedTestSuites > 0 || r.numRuntimeErrorTestSuites > 0) process.exit(1);
