#!/usr/bin/env bash
# README command 2: set up what is missing, then lint, type-check and run every test
# (unit + e2e on real FerretDB or MONGODB_URI, Redis, HTTP and Chromium).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
start=$(date +%s)
scripts/setup.sh --all

echo "== lint"
npm run --silent lint
echo "== typecheck"
npm run --silent typecheck

echo "== tests"
mkdir -p tmp
status=0
npm test --silent -- --json --outputFile=tmp/jest-results.json "$@" || status=$?
node_modules/.bin/node scripts/test-summary.js tmp/jest-results.json || status=1
echo "== done in $(( $(date +%s) - start ))s"
exit $status
