#!/usr/bin/env bash
# The main job: set up, then run the jpegkit CLI over the bundled fixtures (header facts of each JPEG).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh >&2
node packages/cli/dist/index.js inspect fixtures/jpeg/*.jpg
