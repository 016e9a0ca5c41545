#!/usr/bin/env bash
# Installs the workspace's dependencies (pinned by pnpm-lock.yaml) and builds every package to dist/.
# Needs only Node 20 and npm: pnpm itself comes through npx at the version package.json pins.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/pnpm.sh install --frozen-lockfile --reporter=append-only
bash scripts/pnpm.sh run build
# The CUDA addon builds wherever nvcc is (it loads without a GPU; init() then says why it cannot run).
bash scripts/pnpm.sh --filter @jpegkit/native-cuda run build:addon
