#!/usr/bin/env bash
# Type-checks and runs every test (unit, integration against the local AWS emulator, packaging).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npx tsc --noEmit
# Format, lint and import order (biome.json): fails on any difference, changes nothing.
npx biome ci .
# No export, file or dependency nobody uses (knip.jsonc).
npx knip
results="$(mktemp -t keystop-vitest-XXXXXX.json)"
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$results" || status=$?
# One plain closing line, whatever the reporter printed above it.
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
' "$results" || true
rm -f "$results"
exit "$status"
