#!/usr/bin/env bash
# Builds build/ops-host-test: the CPU harness of the pixel-op kernels (src/kernels/ops-host-test.cu), compiled by
# nvcc for the host only — it launches no kernel and needs no GPU. lib/ops.test.ts builds and runs it.
#
# Environment: NVCC or CUDA_HOME (nvcc). Without nvcc it says so and exits 3.
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
  echo "build-ops-host-test: nvcc not found (install the CUDA 13 toolkit, or set CUDA_HOME or NVCC)" >&2
  exit 3
fi

mkdir -p build
sources=(src/kernels/ops-host-test.cu src/kernels/ops-math.cuh src/kernels/ops-params.h src/ops-program.h)
out=build/ops-host-test
# Up to date: nothing to do (the test calls this before every run).
if [[ -x $out ]]; then
  stale=0
  for s in "${sources[@]}" "$0"; do [[ $s -nt $out ]] && stale=1; done
  (( stale == 0 )) && exit 0
fi
"$nvcc" -std=c++17 -O2 -DJPEGKIT_OPS_HOST_TEST -Isrc -Xcompiler -Wall,-Wextra,-Werror \
  src/kernels/ops-host-test.cu -o "$out.tmp"
mv "$out.tmp" "$out"
echo "build-ops-host-test: wrote $out"
