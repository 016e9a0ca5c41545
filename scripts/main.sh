#!/usr/bin/env bash
# The main job: set up, then serve the demo (editor + benchmark page) on localhost and print its URL.
# Arguments go to scripts/demo.sh (--dev for Vite's dev server, --check to serve, fetch the pages and stop).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec bash scripts/demo.sh "$@"
