#!/usr/bin/env bash
# Everything a fresh machine of this kind needs, installed only where missing:
# Debian's Chromium (+ headless shell), redis-server and PostgreSQL (binaries only: the server runs
# its own private cluster), npm packages (with Node 24 from the npm registry), the embedded
# FerretDB binary, and the compiled server.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

log() { printf '[setup] %s\n' "$*" >&2; }

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
[[ -x /usr/lib/chromium/chromium-headless-shell ]] || missing+=(chromium-headless-shell)
# Any installed major will do (the server picks the one its data directory needs, else the newest).
compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || missing+=(postgresql)
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; else SUDO=; fi
  if [[ " ${missing[*]} " == *' postgresql '* ]]; then
    # Without this, installing the package creates and starts a system cluster on port 5432.
    $SUDO mkdir -p /etc/postgresql-common
    if [[ -f /etc/postgresql-common/createcluster.conf ]] && grep -q '^[[:space:]]*create_main_cluster' /etc/postgresql-common/createcluster.conf; then
      $SUDO sed -i 's/^[[:space:]]*create_main_cluster.*/create_main_cluster = false/' /etc/postgresql-common/createcluster.conf
    else
      echo 'create_main_cluster = false' | $SUDO tee -a /etc/postgresql-common/createcluster.conf >/dev/null
    fi
  fi
  $SUDO apt-get update -qq
  # confold: keep the createcluster.conf written above when the package brings its own.
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}" >/dev/null
fi

# npm ci when node_modules is missing or older than the lock file.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  log "npm ci"
  PUPPETEER_SKIP_DOWNLOAD=true npm ci --no-audit --no-fund --loglevel=error
fi
# Node 24 comes from the npm package `node`; npm scripts put node_modules/.bin first on PATH.
node_modules/.bin/node -e 'if (+process.versions.node.split(".")[0] < 24) process.exit(1)' \
  || { log "node_modules/.bin/node is not Node 24"; exit 1; }

if [[ -z "${MONGODB_URI:-}" || "${1:-}" == "--all" ]]; then
  log "FerretDB: $(scripts/build-ferretdb.sh)"
fi

log "building the server"
npm run --silent build >/dev/null
log "ready"
