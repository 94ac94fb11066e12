#!/usr/bin/env bash
# README command 1: set up what is missing, then run the server on port 3000 with the
# embedded defaults (a private PostgreSQL cluster with FerretDB over it, and redis-server, all in
# ./.data) unless MONGODB_URI / REDIS_URL are set.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/setup.sh
exec node_modules/.bin/node dist/main.js
