#!/usr/bin/env bash
# Installs what building and testing distlog needs, idempotently.
# Today: Node >= 20.6 and the npm dependencies (zeromq ships its own libzmq).
# Test services that later plugins need (Redis, FerretDB, Chromium) are added
# here, each skipped when already present.
set -euo pipefail
cd "$(dirname "$0")/.."

node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<6)) { console.error("distlog needs Node >= 20.6, found "+process.version); process.exit(1) }'

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
else
  echo "install: node_modules is current"
fi

# --- FerretDB (MongoDB wire protocol over SQLite) for the mongodb plugin tests ---
# The module zip lacks the generated build/version/version.txt, so a plain
# `go install` builds a binary that panics at start: copy the module out of the
# module cache, write the version file, then build. Cached outside the clone
# (test/helpers/ferretdb.ts looks there, or at $FERRETDB_BIN).
FERRETDB_VERSION=v1.24.2
FERRETDB_CACHE="${DISTLOG_CACHE:-$HOME/.cache/distlog}/ferretdb-$FERRETDB_VERSION"
FERRETDB_BIN="$FERRETDB_CACHE/ferretdb"
if [ -x "$FERRETDB_BIN" ] && "$FERRETDB_BIN" --version >/dev/null 2>&1; then
  echo "install: ferretdb $FERRETDB_VERSION is built ($FERRETDB_BIN)"
else
  if ! command -v go >/dev/null 2>&1; then
    echo "install: building FerretDB needs Go >= 1.24 (https://go.dev/dl); go is not on PATH" >&2
    exit 1
  fi
  echo "install: building ferretdb $FERRETDB_VERSION (a few minutes the first time)"
  mkdir -p "$FERRETDB_CACHE"
  (
    src="$(mktemp -d)"
    trap 'chmod -R u+w "$src" 2>/dev/null; rm -rf "$src"' EXIT
    export GOTOOLCHAIN=local GOFLAGS=-mod=mod
    mod_dir="$(cd "$src" && go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" \
      | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const m=JSON.parse(s);if(!m.Dir){console.error(m.Error||"go mod download gave no Dir");process.exit(1)}console.log(m.Dir)})')"
    cp -R "$mod_dir/." "$src/FerretDB"
    chmod -R u+w "$src/FerretDB"
    printf '%s\n' "$FERRETDB_VERSION" > "$src/FerretDB/build/version/version.txt"
    cd "$src/FerretDB"
    go build -o "$FERRETDB_BIN.tmp" ./cmd/ferretdb
  )
  mv "$FERRETDB_BIN.tmp" "$FERRETDB_BIN"
  "$FERRETDB_BIN" --version >/dev/null
  echo "install: ferretdb built at $FERRETDB_BIN"
fi
