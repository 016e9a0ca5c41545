#!/usr/bin/env bash
# On the GPU host (device tool, with .gpu-bundle carried): build the addon, run the CUDA tests, then the decode
# benchmark of jpegkit's cuda backend and of torchvision on the same photos. Results go to $OUT.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
out="${OUT:-/tmp/jpegkit-gpu-out}"
mkdir -p "$out"
corpus=.gpu-bundle/corpus
sets="$corpus/2560x1600 $corpus/1080p $corpus/4k"
export UV_THREADPOOL_SIZE=16 LD_LIBRARY_PATH="${LD_LIBRARY_PATH:-}:/usr/local/cuda/lib64"
bash .gpu-bundle/run.sh \
  "node packages/native-cuda/scripts/gpu-info.mjs > $out/gpu-info.txt 2>&1; cat $out/gpu-info.txt" \
  "JPEGKIT_GPU_TESTS=1 vitest run --config packages/native-cuda/vitest.config.ts packages/native-cuda > $out/gpu-tests.txt 2>&1; rc=\$?; tail -60 $out/gpu-tests.txt; exit \$rc" \
  "node bench/gpu/cuda-decode.mjs $out/cuda-decode.json $sets" \
  "BENCH_RAW=1 BENCH_SECONDS=1 node bench/gpu/cuda-decode.mjs $out/cuda-decode-raw.json $corpus/1080p $corpus/4k" \
  "python3 bench/gpu/torchvision_decode.py $out/torchvision-decode.json $sets"
