#!/usr/bin/env bash
# Everything the demo and the tests need on a fresh machine: the npm dependencies and the local AWS emulator.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "keystop: installing npm dependencies (npm ci)..." >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi

python="${KEYSTOP_PYTHON:-python3}"
if ! "$python" -c 'import moto.server' 2>/dev/null; then
  echo "keystop: installing the local AWS emulator (pip install 'moto[server]')..." >&2
  if ! "$python" -m pip install --quiet 'moto[server]' >&2; then
    echo "keystop: could not install moto. Install it yourself with: pip install 'moto[server]'" >&2
    echo "         (or point KEYSTOP_PYTHON at a python3 that has it), then run this command again." >&2
    exit 1
  fi
fi

# libfaketime, for the test command's second run of the time-sensitive tests 400 days ahead (scripts/test.sh).
# Optional: where it cannot be installed, that run is skipped with a message saying so.
if ! command -v faketime >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "keystop: installing libfaketime (apt-get install faketime) for the clock check..." >&2
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime; } >/dev/null 2>&1 ||
    echo "keystop: could not install faketime; the tests will not be run a second time with the clock ahead" >&2
fi

# The CLI starts from its build (dist/), made here so that a checkout updated with git pull runs its current code.
node scripts/buildCli.mjs
