#!/usr/bin/env bash
# Sets up and runs every check: type checks, lint + format check, and the whole test suite.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/system-deps.sh
bash scripts/setup.sh
bash scripts/pnpm.sh run typecheck
bash scripts/pnpm.sh run lint
bash scripts/pnpm.sh exec vitest run
