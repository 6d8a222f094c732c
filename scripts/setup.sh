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

# The CLI starts from its build (dist/), made here so that a checkout updated with git pull runs its current code.
node scripts/buildCli.mjs
