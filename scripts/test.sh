#!/usr/bin/env bash
# Sets up and runs every check: type checks, lint + format check, and the whole test suite.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/system-deps.sh
bash scripts/setup.sh
bash scripts/pnpm.sh run typecheck
bash scripts/pnpm.sh run lint
mkdir -p .cache
bash scripts/pnpm.sh exec vitest run --reporter=default --reporter=json --outputFile=.cache/vitest.json
# One plain closing line for CI: "N passed, N failed".
node -e "const r = require('./.cache/vitest.json'); console.log(r.numPassedTests + ' passed, ' + r.numFailedTests + ' failed' + (r.numPendingTests ? ', ' + r.numPendingTests + ' skipped' : ''))"
