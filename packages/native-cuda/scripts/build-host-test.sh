#!/usr/bin/env bash
# Builds a CPU harness of our CUDA kernels: the kernels' __host__ __device__ arithmetic compiled by nvcc as a
# host-only program (no kernel launches, no GPU needed), which the tests run against the references.
#
#   bash scripts/build-host-test.sh exact   # build/exact-host-test (exact decode: IDCT, upsampling, colour)
#   bash scripts/build-host-test.sh ops     # build/ops-host-test (pixel ops)
#
# Rebuilds only when a source is newer; prints the executable's path. Environment: NVCC or CUDA_HOME (nvcc).
# Without nvcc it says so and exits 3.
set -euo pipefail
pkg="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$pkg"

case "${1:-}" in
  exact)
    define=JPEGKIT_EXACT_HOST_TEST
    sources=(src/kernels/exact-host-test.cu src/kernels/exact-math.cuh src/kernels/exact.h) ;;
  ops)
    define=JPEGKIT_OPS_HOST_TEST
    sources=(src/kernels/ops-host-test.cu src/kernels/ops-math.cuh src/kernels/ops-params.h src/ops-program.h) ;;
  *) echo "usage: build-host-test.sh exact|ops" >&2; exit 2 ;;
esac

nvcc="${NVCC:-}"
if [[ -z $nvcc ]]; then
  for candidate in "$(command -v nvcc || true)" "${CUDA_HOME:-/nonexistent}/bin/nvcc" /usr/local/cuda/bin/nvcc; do
    if [[ -n $candidate && -x $candidate ]]; then nvcc="$candidate"; break; fi
  done
fi
if [[ -z $nvcc || ! -x $nvcc ]]; then
  echo "build-host-test: nvcc not found (install the CUDA 13 toolkit, or set CUDA_HOME or NVCC)" >&2
  exit 3
fi

out="build/$1-host-test"
mkdir -p build
stale=0
[[ -x $out ]] || stale=1
for source in "${sources[@]}" "$0"; do [[ $source -nt $out ]] && stale=1; done
if (( stale )); then
  "$nvcc" -std=c++17 -O2 "-D$define" -Isrc -Xcompiler -Wall,-Wextra,-Werror -o "$out.tmp" "${sources[0]}" >&2
  mv "$out.tmp" "$out"
fi
echo "$pkg/$out"
