#!/usr/bin/env bash
# Installs what building and testing distlog needs, idempotently.
# Today: Node >= 20.6 and the npm dependencies (zeromq ships its own libzmq).
# Test services that later plugins need (Redis, FerretDB, tmux, Chromium, an
# OpenTelemetry Collector) are added here, each skipped when already present.
set -euo pipefail
cd "$(dirname "$0")/.."

node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<6)) { console.error("distlog needs Node >= 20.6, found "+process.version); process.exit(1) }'

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
else
  echo "install: node_modules is current"
fi

# Python OpenTelemetry SDK for the interop tests (test/interop/): a virtual
# environment OUTSIDE the clone, so `git clean` keeps it and the tests find it
# through test/interop/python-venv.ts. Pinned; skipped when already installed.
PYOTEL_VENV="${DISTLOG_PYOTEL_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/distlog/pyotel-venv}"
PYOTEL_PINS="opentelemetry-api==1.45.2 opentelemetry-sdk==1.45.2 opentelemetry-proto==1.45.2 opentelemetry-exporter-otlp-proto-common==1.45.2 opentelemetry-exporter-otlp-proto-http==1.45.2"
PYOTEL_STAMP="$PYOTEL_VENV/.distlog-pins"
if [ -x "$PYOTEL_VENV/bin/python" ] && [ "$(cat "$PYOTEL_STAMP" 2>/dev/null)" = "$PYOTEL_PINS" ]; then
  echo "install: Python OpenTelemetry venv is current ($PYOTEL_VENV)"
else
  command -v python3 >/dev/null || { echo "install: python3 (>= 3.9) is needed for the interop tests" >&2; exit 1; }
  mkdir -p "$(dirname "$PYOTEL_VENV")"
  [ -x "$PYOTEL_VENV/bin/python" ] || python3 -m venv "$PYOTEL_VENV"
  # shellcheck disable=SC2086 # the pins are separate words
  "$PYOTEL_VENV/bin/python" -m pip install --quiet --disable-pip-version-check $PYOTEL_PINS
  echo "$PYOTEL_PINS" > "$PYOTEL_STAMP"
  echo "install: Python OpenTelemetry venv ready ($PYOTEL_VENV)"
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

# tmux: test/cli/view-tmux.test.ts runs `distlog view` in a real terminal (send-keys, capture-pane).
if ! command -v tmux >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  # Update the package lists only when apt has none yet (a fresh container) or cannot find the package.
  if ! apt-cache show tmux >/dev/null 2>&1; then $SUDO apt-get update; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends tmux
else
  echo "install: tmux is present ($(tmux -V))"
fi

# Chromium: the web view's browser tests (test/viewer/web/) drive Debian's chromium with playwright-core
# (executablePath /usr/bin/chromium, headless); never `npx playwright install` (no internet there).
if ! [ -x /usr/bin/chromium ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  # Update the package lists only when apt has none yet (a fresh container) or cannot find the package.
  if ! apt-cache show chromium >/dev/null 2>&1; then $SUDO apt-get update; fi
  # fonts-liberation is only a Recommends of chromium: without a font the screenshots have no text.
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium fonts-liberation
else
  echo "install: chromium is present ($(/usr/bin/chromium --version 2>/dev/null | head -1))"
fi

# --- OpenTelemetry Collector (built with the Collector Builder) for the otlp plugin/receiver tests ---
# Every module stays on v0.161.0 (newer contrib versions did not resolve here). Cached outside
# the clone; test/helpers/otelcol.ts looks there, or at $OTELCOL_BIN.
OTELCOL_VERSION=0.161.0
OTELCOL_CACHE="${DISTLOG_CACHE:-$HOME/.cache/distlog}/otelcol-$OTELCOL_VERSION"
OTELCOL_BIN="$OTELCOL_CACHE/otelcol-distlog"
if [ -x "$OTELCOL_BIN" ] && "$OTELCOL_BIN" components >/dev/null 2>&1; then
  echo "install: otelcol-distlog $OTELCOL_VERSION is built ($OTELCOL_BIN)"
else
  if ! command -v go >/dev/null 2>&1; then
    echo "install: building the OpenTelemetry Collector needs Go; go is not on PATH" >&2
    exit 1
  fi
  echo "install: building otelcol-distlog $OTELCOL_VERSION (about 2.5 minutes the first time)"
  mkdir -p "$OTELCOL_CACHE/bin"
  GOTOOLCHAIN=local GOBIN="$OTELCOL_CACHE/bin" go install "go.opentelemetry.io/collector/cmd/builder@v$OTELCOL_VERSION"
  cat > "$OTELCOL_CACHE/manifest.yaml" <<MANIFEST
dist:
  name: otelcol-distlog
  description: OpenTelemetry Collector for distlog's tests
  output_path: $OTELCOL_CACHE/build
receivers:
  - gomod: go.opentelemetry.io/collector/receiver/otlpreceiver v$OTELCOL_VERSION
exporters:
  - gomod: go.opentelemetry.io/collector/exporter/debugexporter v$OTELCOL_VERSION
  - gomod: go.opentelemetry.io/collector/exporter/otlphttpexporter v$OTELCOL_VERSION
  - gomod: github.com/open-telemetry/opentelemetry-collector-contrib/exporter/fileexporter v$OTELCOL_VERSION
MANIFEST
  GOTOOLCHAIN=local "$OTELCOL_CACHE/bin/builder" --config="$OTELCOL_CACHE/manifest.yaml"
  mv "$OTELCOL_CACHE/build/otelcol-distlog" "$OTELCOL_BIN"
  "$OTELCOL_BIN" components >/dev/null
  echo "install: otelcol-distlog built at $OTELCOL_BIN"
fi
