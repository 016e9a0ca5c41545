#!/usr/bin/env bash
# Checks, without building (no emscripten needed), that the committed wasm/jpegkit.{wasm,mjs} were built by
# codec/build.sh from the current inputs: recomputes the input hash (our C sources, build scripts, the pinned
# libjpeg-turbo package hashes and toolchain) and compares it and the artifacts' hashes with
# wasm/BUILD-INPUTS.sha256. Fails when a C source or build script changed without a rebuild.
#
#   bash codec/check-artifact.sh [--manifest]   (--manifest prints the hashed input list)
set -euo pipefail

pkg="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=SCRIPTDIR/inputs.sh
source "$pkg/codec/inputs.sh"
record="$pkg/wasm/BUILD-INPUTS.sha256"

if [[ "${1:-}" == --manifest ]]; then
  jk_manifest "$pkg" "$JK_TOOLCHAIN"
  exit 0
fi

[[ -f "$record" ]] || { echo "check-artifact: $record is missing; run codec/build.sh" >&2; exit 1; }
expected="$(awk '$2 == "inputs" { print $1 }' "$record")"
actual="$(jk_inputs_hash "$pkg" "$JK_TOOLCHAIN")"
if [[ "$expected" != "$actual" ]]; then
  echo "check-artifact: build inputs changed since wasm/ was built (recorded $expected, now $actual)." >&2
  echo "check-artifact: rebuild with 'bash packages/wasm/codec/build.sh' and commit wasm/." >&2
  exit 1
fi
if ! (cd "$pkg/wasm" && grep -v '  inputs$' "$record" | sha256sum --check --quiet --strict -); then
  echo "check-artifact: wasm/ artifacts do not match the hashes the build recorded." >&2
  exit 1
fi
echo "check-artifact: wasm/ matches its inputs ($actual)"
