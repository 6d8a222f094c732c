#!/usr/bin/env bash
# Type-checks and runs every test (unit, integration against the local AWS emulator, packaging).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm test
