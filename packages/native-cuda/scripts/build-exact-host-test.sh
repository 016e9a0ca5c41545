#!/usr/bin/env bash
# Builds build/exact-host-test: src/kernels/exact-host-test.cu compiled by nvcc as a host-only program (no
# kernel launches, no GPU needed to run it). It runs the exact decode mode's arithmetic (exact-math.cuh) on the
# CPU; lib/exact.test.ts compares its output with djpeg's references.
#
#   bash scripts/build-exact-host-test.sh     prints the executable's path
#
# Environment: NVCC or CUDA_HOME (nvcc). Without nvcc it fails (exit 1) and says so.
set -euo pipefail
pkg="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$pkg"

nvcc="${NVCC:-}"
if [[ -z $nvcc ]]; then
  for candidate in "$(command -v nvcc || true)" "${CUDA_HOME:-/nonexistent}/bin/nvcc" /usr/local/cuda/bin/nvcc; do
    if [[ -n $candidate && -x $candidate ]]; then nvcc="$candidate"; break; fi
  done
fi
if [[ -z $nvcc || ! -x $nvcc ]]; then
  echo "build-exact-host-test: nvcc not found (install the CUDA 13 toolkit, or set CUDA_HOME or NVCC)" >&2
  exit 1
fi

out=build/exact-host-test
mkdir -p build
sources=(src/kernels/exact-host-test.cu src/kernels/exact-math.cuh src/kernels/exact.h)
stale=0
[[ -x $out ]] || stale=1
for source in "${sources[@]}"; do [[ $source -nt $out ]] && stale=1; done
if (( stale )); then
  "$nvcc" -std=c++17 -O2 -DJPEGKIT_EXACT_HOST_TEST -Xcompiler -Wall,-Wextra -Werror all-warnings -Isrc \
    -o "$out.tmp" src/kernels/exact-host-test.cu >&2
  mv "$out.tmp" "$out"
fi
echo "$pkg/$out"
