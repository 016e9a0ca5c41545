#!/usr/bin/env bash
# Writes packages/wasm/test-data/: what cjpeg (libjpeg-turbo-progs 2.1.5, Debian bookworm) makes of fixture
# images with a range of settings, and encode-cases.json naming, per case, the input, the cjpeg arguments and
# the equivalent jk_encode options. src/module.test.ts encodes the same inputs and expects identical bytes
# (CI has no cjpeg, so the outputs are committed). Dev-time only; idempotent.
#
#   bash codec/make-test-data.sh
set -euo pipefail

pkg="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$pkg/../.." && pwd)"
out="$pkg/test-data"
command -v cjpeg >/dev/null || {
  echo "make-test-data: cjpeg is missing (apt-get install libjpeg-turbo-progs)" >&2
  exit 1
}
mkdir -p "$out"
rm -f "$out"/*.jpg
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# A synthetic 3000-byte "ICC profile" (byte i = i * 7 mod 256; the test makes the same bytes).
icc="$tmp/synthetic-3000.icc"
node -e 'const b = Buffer.alloc(3000); for (let i = 0; i < b.length; i++) b[i] = (i * 7) & 255;
  require("fs").writeFileSync(process.argv[1], b);' "$icc"

# name | input (relative to the repo root) | cjpeg arguments | jk_encode options (JSON; the test adds size/format)
cases=(
  'photo-420-q90-444-progressive-optimize|fixtures/ref/photo-420.ppm|-quality 90 -sample 1x1 -progressive -optimize|{"quality":90,"subsampling":"4:4:4","progressive":true,"optimize":true}'
  'photo-420-q50-422-restart2-arithmetic|fixtures/ref/photo-420.ppm|-quality 50 -sample 2x1 -restart 2B -arithmetic|{"quality":50,"subsampling":"4:2:2","restartInterval":2,"arithmetic":true}'
  'photo-420-q75-420|fixtures/ref/photo-420.ppm|-quality 75 -sample 2x2|{"quality":75,"subsampling":"4:2:0"}'
  'photo-420-q95-440|fixtures/ref/photo-420.ppm|-quality 95 -sample 1x2|{"quality":95,"subsampling":"4:4:0"}'
  'photo-420-q85-411-progressive-arithmetic|fixtures/ref/photo-420.ppm|-quality 85 -sample 4x1 -progressive -arithmetic|{"quality":85,"subsampling":"4:1:1","progressive":true,"arithmetic":true}'
  'photo-420-q100-grayscale|fixtures/ref/photo-420.ppm|-quality 100 -grayscale|{"quality":100,"subsampling":"gray"}'
  'photo-420-q10-420-icc|fixtures/ref/photo-420.ppm|-quality 10 -sample 2x2 -icc ICC|{"quality":10,"subsampling":"4:2:0","icc":"synthetic-3000"}'
  'photo-gray-q80-restart1-optimize|fixtures/ref/photo-gray.pgm|-quality 80 -restart 1B -optimize|{"quality":80,"restartInterval":1,"optimize":true}'
)

lines=()
for c in "${cases[@]}"; do
  IFS='|' read -r name input args options <<<"$c"
  # shellcheck disable=SC2086 # args is a word list
  cjpeg ${args//ICC/$icc} "$root/$input" >"$out/$name.jpg"
  lines+=("$name|$input|cjpeg ${args//ICC/synthetic-3000.icc}|$options")
done
node -e 'const cases = process.argv.slice(1).map((l) => { const [name, input, cjpeg, options] = l.split("|");
    return { name, input, cjpeg, options: JSON.parse(options) }; });
  process.stdout.write(JSON.stringify(cases, null, 2) + "\n");' "${lines[@]}" >"$out/encode-cases.json"

echo "make-test-data: wrote ${#cases[@]} cases to $out ($(du -sh "$out" | cut -f1))"
