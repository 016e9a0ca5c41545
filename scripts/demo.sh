#!/usr/bin/env bash
# Sets up (pnpm install + build of every package, the demo included) and serves the demo on localhost: the
# editor at / and the benchmark page at /bench.html. Runs until Ctrl+C.
#
# usage: bash scripts/demo.sh [--dev]      --dev: Vite's dev server (live reload) instead of the built bundle
#        bash scripts/demo.sh --check      serve the built demo, fetch both pages and their scripts, stop (CI)
#        PORT=8080 bash scripts/demo.sh    another port (default 5173)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mode=preview
case "${1:-}" in
  --dev) mode=dev ;;
  --check) mode=check ;;
  '') ;;
  *)
    echo "usage: bash scripts/demo.sh [--dev | --check]" >&2
    exit 2
    ;;
esac
port="${PORT:-5173}"
bash scripts/setup.sh >&2
url="http://127.0.0.1:${port}/"
echo "jpegkit demo: ${url} (editor) and ${url}bench.html (benchmark) — Ctrl+C stops it"
if [ "$mode" = check ]; then
  # In its own process group, so stopping it stops pnpm's children (vite) too.
  setsid bash scripts/pnpm.sh --filter @jpegkit/demo exec vite preview --host 127.0.0.1 --port "$port" \
    --strictPort >&2 &
  server=$!
  trap 'kill -- "-$server" 2>/dev/null || true' EXIT
  node scripts/demo-check.mjs "$url"
  exit 0
fi
if [ "$mode" = dev ]; then
  exec bash scripts/pnpm.sh --filter @jpegkit/demo exec vite --host 127.0.0.1 --port "$port" --strictPort
fi
exec bash scripts/pnpm.sh --filter @jpegkit/demo exec vite preview --host 127.0.0.1 --port "$port" --strictPort
