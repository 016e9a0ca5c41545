#!/usr/bin/env bash
# Builds a CPU harness of our CUDA kernels: the kernels' __host__ __device__ arithmetic compiled by nvcc as a
# host-only program (no kernel launches, no GPU needed), which the tests run against the references.
#
#   bash scripts/build-host-test.sh exact   # build/exact-host-test (exact decode: IDCT, upsampling, colour; and
#                                           # our GPU Huffman decoder's passes on a JPEG)
#   bash scripts/build-host-test.sh exact-asan  # the same with AddressSanitizer + UBSan (the fuzz test's build)
#   bash scripts/build-host-test.sh ops     # build/ops-host-test (pixel ops)
#   bash scripts/build-host-test.sh encode  # build/encode-host-test (our baseline JPEG encoder)
#
# Rebuilds only when a source is newer; prints the executable's path. Environment: NVCC or CUDA_HOME (nvcc).
# Without nvcc it says so and exits 3.
set -euo pipefail
pkg="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$pkg"

case "${1:-}" in
  exact | exact-asan)
    define=JPEGKIT_EXACT_HOST_TEST
    sources=(src/kernels/exact-host-test.cu src/baseline-scan.cc src/kernels/exact-math.cuh src/kernels/exact.h src/kernels/orient.cuh src/kernels/kernels.h
      src/kernels/zigzag.cuh src/kernels/huffman-math.cuh src/kernels/huffman.h src/baseline-scan.h src/kernels/host-test-io.h
      src/jpeg-headers.cc src/jpeg-headers.h src/progressive-scan.cc src/progressive-scan.h src/kernels/unstuff.cuh
      src/kernels/unstuff.h) ;;
  ops)
    define=JPEGKIT_OPS_HOST_TEST
    sources=(src/kernels/ops-host-test.cu src/kernels/ops-math.cuh src/kernels/ops-tiles.cuh src/kernels/ops-params.h src/ops-program.h
      src/kernels/host-test-io.h) ;;
  encode)
    define=JPEGKIT_ENCODE_HOST_TEST
    sources=(src/kernels/encode-host-test.cu src/encode-plan.cc src/encode-plan.h src/kernels/encode-math.cuh
      src/kernels/zigzag.cuh src/kernels/encode-kernels.h src/kernels/host-test-io.h) ;;
  *) echo "usage: build-host-test.sh exact|exact-asan|ops|encode" >&2; exit 2 ;;
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
compile=("${sources[0]}")
flags=(-O2)
[[ $1 == exact* ]] && compile+=(src/baseline-scan.cc src/jpeg-headers.cc src/progressive-scan.cc)
[[ $1 == encode ]] && compile+=(src/encode-plan.cc)
[[ $1 == exact-asan ]] && flags=(-O1 -g -Xcompiler -fno-omit-frame-pointer -Xcompiler -fsanitize=address
  -Xcompiler -fsanitize=undefined -Xcompiler -fno-sanitize-recover=all -Xlinker -lasan -Xlinker -lubsan)
if (( stale )); then
  "$nvcc" -std=c++17 "${flags[@]}" "-D$define" -Isrc -Xcompiler -Wall,-Wextra,-Werror -o "$out.tmp" "${compile[@]}" >&2
  mv "$out.tmp" "$out"
fi
echo "$pkg/$out"
