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

# Redis: the redis plugin's tests and bench start Debian's redis-server (redis-benchmark comes with it).
if ! command -v redis-server >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  # Update the package lists only when apt has none yet (a fresh container) or cannot find the package.
  if ! apt-cache show redis-server >/dev/null 2>&1; then $SUDO apt-get update; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends redis-server
else
  echo "install: redis-server is present ($(redis-server --version | cut -d' ' -f3))"
fi
