#!/usr/bin/env bash
# Builds the embedded FerretDB (tools/ferretdb) once per machine into the user cache.
# Rebuilds when the wrapper's source changes. Prints the binary's path.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/omnichannel-server"
bin="$cache/ferretdb-v1.24.2"
stamp="$bin.src-sha256"
src_hash="$(cat "$root/tools/ferretdb/main.go" "$root/tools/ferretdb/go.mod" "$root/tools/ferretdb/go.sum" | sha256sum | cut -d' ' -f1)"

if [[ -x "$bin" && -f "$stamp" && "$(cat "$stamp")" == "$src_hash" ]]; then
  echo "$bin"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  for candidate in /usr/local/go/bin/go /usr/lib/go/bin/go; do
    [[ -x "$candidate" ]] && export PATH="$(dirname "$candidate"):$PATH" && break
  done
fi
command -v go >/dev/null 2>&1 || { echo "build-ferretdb: Go is required (or set MONGODB_URI)" >&2; exit 1; }

mkdir -p "$cache"
echo "build-ferretdb: compiling FerretDB v1.24.2 (first time on this machine takes a few minutes)" >&2
(cd "$root/tools/ferretdb" && CGO_ENABLED=0 go build -trimpath -o "$bin.tmp" .)
mv "$bin.tmp" "$bin"
echo "$src_hash" > "$stamp"
echo "$bin"
