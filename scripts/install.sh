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
