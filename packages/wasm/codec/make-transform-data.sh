#!/usr/bin/env bash
# Writes packages/wasm/test-data/transform/: what jpegtran (libjpeg-turbo-progs 2.1.5, Debian bookworm) makes of
# fixture JPEGs with a range of switches, and cases.json naming, per case, the input, the jpegtran switches, the
# equivalent TransformOptions and, where jpegtran fails, its message (the test then expects the error code).
# It also records what jpegtran (and jpegtran -strict) does with each fixtures/malformed file in malformed.json.
# src/transform-module.test.ts transforms the same inputs and expects identical bytes (CI has no jpegtran, so the
# outputs are committed). Dev-time only; idempotent.
#
#   bash codec/make-transform-data.sh
set -euo pipefail

pkg="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="${JK_REPO_ROOT:-$(cd "$pkg/../.." && pwd)}" # the monorepo (fixtures/)
out="$pkg/test-data/transform"
command -v jpegtran >/dev/null || {
  echo "make-transform-data: jpegtran is missing (apt-get install libjpeg-turbo-progs)" >&2
  exit 1
}
mkdir -p "$out"
rm -f "$out"/*.jpg "$out"/*.json

# Crops: TransformOptions.crop is in input coordinates (applied before the rotation); jpegtran's -crop is in
# output coordinates, so the crop+transform cases give jpegtran the rectangle mapped by hand (transform.c's
# set_crop: mirrored axes are mirrored within the whole iMCUs, transposing ops swap x/y and w/h).
# name | input (fixtures/jpeg/) | jpegtran switches | TransformOptions (JSON) | error code expected when jpegtran fails
cases=(
  'photo-420-rot90|photo-420.jpg|-rotate 90 -trim -copy all|{"rotate":90}|'
  'photo-420-rot180|photo-420.jpg|-rotate 180 -trim -copy all|{"rotate":180}|'
  'photo-420-rot270|photo-420.jpg|-rotate 270 -trim -copy all|{"rotate":270}|'
  'photo-420-fliph|photo-420.jpg|-flip horizontal -trim -copy all|{"flip":"horizontal"}|'
  'photo-420-flipv|photo-420.jpg|-flip vertical -trim -copy all|{"flip":"vertical"}|'
  'photo-420-transpose|photo-420.jpg|-transpose -trim -copy all|{"transpose":true}|'
  'photo-420-transverse|photo-420.jpg|-transverse -trim -copy all|{"transverse":true}|'
  'photo-420-identity|photo-420.jpg|-copy all|{}|'
  'photo-420-optimize|photo-420.jpg|-optimize -copy all|{"optimize":true}|'
  'photo-420-progressive|photo-420.jpg|-progressive -copy all|{"progressive":true}|'
  'photo-420-restart2|photo-420.jpg|-restart 2B -copy all|{"restartInterval":2}|'
  'photo-420-gray|photo-420.jpg|-grayscale -copy all|{"gray":true}|'
  'photo-420-gray-rot90|photo-420.jpg|-grayscale -rotate 90 -trim -copy all|{"gray":true,"rotate":90}|'
  'photo-420-copy-none|photo-420.jpg|-copy none|{"metadata":"none"}|'
  'photo-420-crop|photo-420.jpg|-crop 64x48+20+10 -copy all|{"crop":{"x":20,"y":10,"width":64,"height":48}}|'
  'photo-420-crop-rot90|photo-420.jpg|-rotate 90 -crop 48x64+54+20 -trim -copy all|{"rotate":90,"crop":{"x":20,"y":10,"width":64,"height":48}}|'
  'photo-420-crop-rot270|photo-420.jpg|-rotate 270 -crop 48x64+10+76 -trim -copy all|{"rotate":270,"crop":{"x":20,"y":10,"width":64,"height":48}}|'
  'photo-420-crop-flipv|photo-420.jpg|-flip vertical -crop 100x50+8+42 -trim -copy all|{"flip":"vertical","crop":{"x":8,"y":20,"width":100,"height":50}}|'
  'photo-420-crop-rot180|photo-420.jpg|-rotate 180 -crop 100x50+52+42 -trim -copy all|{"rotate":180,"crop":{"x":8,"y":20,"width":100,"height":50}}|'
  'photo-420-crop-transpose|photo-420.jpg|-transpose -crop 50x100+20+8 -trim -copy all|{"transpose":true,"crop":{"x":8,"y":20,"width":100,"height":50}}|'
  'photo-420-rot90-perfect|photo-420.jpg|-rotate 90 -perfect -copy all|{"rotate":90,"trim":false}|E_UNSUPPORTED'
  'photo-420-rot90-all-options|photo-420.jpg|-rotate 90 -trim -grayscale -optimize -restart 3B -copy none|{"rotate":90,"gray":true,"optimize":true,"restartInterval":3,"metadata":"none"}|'
  'photo-422-rot90|photo-422.jpg|-rotate 90 -trim -copy all|{"rotate":90}|'
  'photo-422-crop-transverse|photo-422.jpg|-transverse -crop 40x50+63+80 -trim -copy all|{"transverse":true,"crop":{"x":30,"y":17,"width":50,"height":40}}|'
  'photo-444-rot270-optimize|photo-444.jpg|-rotate 270 -trim -optimize -copy all|{"rotate":270,"optimize":true}|'
  'photo-444-rot90-perfect|photo-444.jpg|-rotate 90 -perfect -copy all|{"rotate":90,"trim":false}|'
  'photo-440-transpose|photo-440.jpg|-transpose -trim -copy all|{"transpose":true}|'
  'photo-411-rot180|photo-411.jpg|-rotate 180 -trim -copy all|{"rotate":180}|'
  'photo-gray-rot90|photo-gray.jpg|-rotate 90 -trim -copy all|{"rotate":90}|'
  'photo-gray-progressive-fliph|photo-gray-progressive.jpg|-flip horizontal -trim -progressive -copy all|{"flip":"horizontal"}|'
  'photo-420-progressive-rot90|photo-420-progressive.jpg|-rotate 90 -trim -progressive -copy all|{"rotate":90}|'
  'photo-420-progressive-baseline|photo-420-progressive.jpg|-copy all|{"progressive":false}|'
  'photo-422-progressive-transverse|photo-422-progressive.jpg|-transverse -trim -progressive -optimize -copy all|{"transverse":true,"optimize":true}|'
  'photo-420-progressive-restart-keep|photo-420-progressive-restart.jpg|-progressive -restart 1B -copy all|{"restartInterval":1}|'
  'photo-420-restart-3mcu-drop|photo-420-restart-3mcu.jpg|-copy all|{}|'
  'photo-420-restart-rows-rot180|photo-420-restart-rows.jpg|-rotate 180 -trim -restart 5B -copy all|{"rotate":180,"restartInterval":5}|'
  'photo-420-arithmetic-rot90|photo-420-arithmetic.jpg|-rotate 90 -trim -copy all|{"rotate":90}|'
  'photo-444-arith-prog-rot180|photo-444-arithmetic-progressive.jpg|-rotate 180 -trim -progressive -copy all|{"rotate":180}|'
  'photo-420-noninterleaved-flipv|photo-420-noninterleaved.jpg|-flip vertical -trim -copy all|{"flip":"vertical"}|'
  'photo-rgb-transpose|photo-rgb.jpg|-transpose -trim -copy all|{"transpose":true}|'
  'photo-cmyk-rot90|photo-cmyk.jpg|-rotate 90 -trim -copy all|{"rotate":90}|'
  'photo-cmyk-gray|photo-cmyk.jpg|-grayscale -copy all|{"gray":true}|E_UNSUPPORTED'
  'photo-ycck-flipv|photo-ycck.jpg|-flip vertical -trim -copy all|{"flip":"vertical"}|'
  'small-icc-copy-icc|small-icc.jpg|-copy icc|{"metadata":"icc"}|'
  'small-icc-3-chunks-rot90|small-icc-3-chunks.jpg|-rotate 90 -trim -copy all|{"rotate":90}|'
  'small-comments-copy-icc|small-comments.jpg|-copy icc|{"metadata":"icc"}|'
  'orient-6-ii-rot90|orient-6-ii.jpg|-rotate 90 -trim -copy all|{"rotate":90}|'
  'orient-6-mm-rot90-crop|orient-6-mm.jpg|-rotate 90 -crop 30x50+24+5 -trim -copy all|{"rotate":90,"crop":{"x":5,"y":10,"width":50,"height":30}}|'
  'odd-33x21-420-rot90|odd-33x21-420.jpg|-rotate 90 -trim -copy all|{"rotate":90}|'
  'odd-35x27-422-transverse|odd-35x27-422.jpg|-transverse -trim -copy all|{"transverse":true}|'
  'odd-35x27-422-crop-fliph|odd-35x27-422.jpg|-flip horizontal -crop 20x15+9+5 -trim -copy all|{"flip":"horizontal","crop":{"x":3,"y":5,"width":20,"height":15}}|'
  'odd-17x9-444-fliph|odd-17x9-444.jpg|-flip horizontal -trim -copy all|{"flip":"horizontal"}|'
  'odd-37x23-411-rot180|odd-37x23-411.jpg|-rotate 180 -trim -copy all|{"rotate":180}|'
  'odd-1x1-rot90|odd-1x1.jpg|-rotate 90 -trim -copy all|{"rotate":90}|'
  'odd-33x21-420-crop|odd-33x21-420.jpg|-crop 10x10+20+9 -copy all|{"crop":{"x":20,"y":9,"width":10,"height":10}}|'
  'wide-2000x3-420-flipv|wide-2000x3-420.jpg|-flip vertical -trim -copy all|{"flip":"vertical"}|'
  'testorig-rot270|testorig.jpg|-rotate 270 -trim -copy all|{"rotate":270}|'
  'testimgari-transpose-prog|testimgari.jpg|-transpose -trim -progressive -copy all|{"transpose":true,"progressive":true}|'
)

lines=()
for c in "${cases[@]}"; do
  IFS='|' read -r name input args options error <<<"$c"
  jpegtran_msg=""
  # shellcheck disable=SC2086 # args is a word list
  if jpegtran $args "$root/fixtures/jpeg/$input" >"$out/$name.jpg" 2>"$out/stderr.txt"; then
    [[ -z "$error" ]] || { echo "make-transform-data: $name: jpegtran succeeded, $error expected" >&2; exit 1; }
  else
    rm -f "$out/$name.jpg"
    jpegtran_msg="$(tr '\n' ' ' <"$out/stderr.txt" | sed 's/ *$//')"
    [[ -n "$error" ]] || { echo "make-transform-data: $name: jpegtran failed: $jpegtran_msg" >&2; exit 1; }
  fi
  lines+=("$name|$input|jpegtran $args|$options|$error|$jpegtran_msg")
done
rm -f "$out/stderr.txt"
# shellcheck disable=SC2016 # JavaScript template literals
node -e 'const cases = process.argv.slice(1).map((l) => {
    const [name, input, jpegtran, options, error, message] = l.split("|");
    const c = { name, input: `fixtures/jpeg/${input}`, jpegtran, options: JSON.parse(options) };
    if (error) Object.assign(c, { error, jpegtranError: message });
    return c; });
  process.stdout.write(JSON.stringify(cases, null, 2) + "\n");' "${lines[@]}" >"$out/cases.json"

# What jpegtran does with the malformed fixtures (for the record: the test expects jk_transform to fail like
# jpegtran -strict, with the code fixtures/malformed.json gives decode, see transform-module.test.ts).
mal=()
# (2 GiB of address space, as wasm32 has at most 4: huge-65500x65500 would otherwise take tens of GiB.)
for f in "$root"/fixtures/malformed/*.jpg; do
  r1=0; (ulimit -v 2097152; jpegtran -rotate 90 -trim "$f") >/dev/null 2>"$out/e1.txt" || r1=$?
  r2=0; (ulimit -v 2097152; jpegtran -strict -rotate 90 -trim "$f") >/dev/null 2>"$out/e2.txt" || r2=$?
  mal+=("malformed/$(basename "$f")|$r1|$(tr '\n' ' ' <"$out/e1.txt" | sed 's/ *$//')|$r2|$(tr '\n' ' ' <"$out/e2.txt" | sed 's/ *$//')")
done
rm -f "$out/e1.txt" "$out/e2.txt"
# shellcheck disable=SC2016 # JavaScript template literals
node -e 'const rows = process.argv.slice(1).map((l) => { const [file, rc, msg, strictRc, strictMsg] = l.split("|");
    const say = (rc, msg) => rc === "0" ? "exit 0" : `exit ${rc} (${rc === "2" ? "warning" : "error"}): ${msg}`;
    return { file, jpegtran: say(rc, msg), jpegtranStrict: say(strictRc, strictMsg) }; });
  process.stdout.write(JSON.stringify(rows, null, 2) + "\n");' "${mal[@]}" >"$out/malformed.json"

echo "make-transform-data: wrote ${#cases[@]} cases to $out ($(du -sh "$out" | cut -f1))"
