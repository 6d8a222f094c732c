#!/usr/bin/env bash
# Runs Keystop on bundled example findings against a local AWS emulator and explains what it did.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
node bin/keystop.mjs demo "$@"
