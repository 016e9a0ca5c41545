#!/usr/bin/env bash
# Writes fixtures/encode-refs.json: what libjpeg-turbo 2.1.5's cjpeg writes for our fixtures' pixels (the PPM/PGM
# references under fixtures/ and fixtures/pnm/testorig.ppm) at several qualities and samplings, as sha256 and
# size, for the tests of our GPU encoder, whose files must be the same bytes. `-dct int`, and cjpeg's own quality
# scaling (below quality 25 some table entries pass 255: 16-bit tables and SOF1, as our wasm backend writes too).
#
# Dev-time tool only (CI never runs it): needs cjpeg from Debian bookworm's libjpeg-turbo-progs 2.1.5.
# usage: bash scripts/make-encode-refs.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root/fixtures"
command -v cjpeg >/dev/null || { echo "make-encode-refs: cjpeg is missing (apt-get install libjpeg-turbo-progs)" >&2; exit 1; }
version="$(dpkg-query -W -f '${Version}' libjpeg-turbo-progs)"
[[ $version == *:2.1.5-* ]] || { echo "make-encode-refs: expected libjpeg-turbo-progs 2.1.5, found $version" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

declare -A flags=([4:2:0]="-sample 2x2" [4:2:2]="-sample 2x1" [4:4:4]="-sample 1x1" [gray]="-grayscale")
entries=()
add() {  # add SOURCE QUALITY SAMPLING
  cjpeg -dct int -quality "$2" ${flags[$3]} -outfile "$work/out.jpg" "$1" 2>/dev/null
  local sum size
  sum="$(sha256sum "$work/out.jpg" | cut -d' ' -f1)"
  size="$(stat -c %s "$work/out.jpg")"
  entries+=("{\"source\":\"$1\",\"quality\":$2,\"sampling\":\"$3\",\"bytes\":$size,\"sha256\":\"$sum\"}")
}
for source in pnm/testorig.ppm ref/*.ppm ref/*.pgm; do
  samplings=(4:2:0 4:2:2 4:4:4 gray)  # as core names them
  [[ $source == *.pgm ]] && samplings=(gray)
  qualities=(90)
  case "$source" in
    pnm/testorig.ppm | ref/odd-* | ref/wide-* | ref/photo-420.ppm | ref/small-420.ppm | ref/photo-gray.pgm)
      qualities=(1 23 50 75 90 100) ;;
  esac
  for quality in "${qualities[@]}"; do
    for sampling in "${samplings[@]}"; do add "$source" "$quality" "$sampling"; done
  done
done
{ echo "["; (IFS=$'\n'; echo "${entries[*]}" | sed '$!s/$/,/'); echo "]"; } > encode-refs.json
echo "make-encode-refs: ${#entries[@]} files described in fixtures/encode-refs.json" >&2
