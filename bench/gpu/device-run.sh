#!/usr/bin/env bash
# On the GPU host (device tool, with .gpu-bundle and .gl carried): build the addon, run the CUDA tests, then the
# benchmarks — cuda decode (our GPU Huffman decoder, nvJPEG's engines, both) beside torchvision on the same photos, the fused pipeline, where its time goes, device
# memory per stream, and the webgpu backend through Dawn on the same GPU (beside @jpegkit/wasm). Results go to
# $OUT; bench/gpu/report.mjs renders them into bench/results/.
#   bash bench/gpu/device-run.sh [tests] [decode] [pipeline] [webgpu]     (default: all four)
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
out="${OUT:-/tmp/jpegkit-gpu-out}"
mkdir -p "$out"
corpus=.gpu-bundle/corpus
sets="$corpus/2560x1600 $corpus/1080p $corpus/4k"
parts="${*:-tests decode pipeline webgpu}"
has() { [[ " $parts " == *" $1 "* ]]; }
export UV_THREADPOOL_SIZE=16 LD_LIBRARY_PATH="${LD_LIBRARY_PATH:-}:/usr/local/cuda/lib64"
# Dawn reaches the GPU through Vulkan: the loader and GL dispatch libraries come as Debian packages in .gl/.
if [[ -d .gl ]]; then
  for f in .gl/*.deb; do dpkg -x "$f" /; done
  ldconfig
fi
export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
commands=("node packages/native-cuda/scripts/gpu-info.mjs > $out/gpu-info.txt 2>&1; cat $out/gpu-info.txt")
has tests && commands+=(
  "JPEGKIT_GPU_TESTS=1 vitest run --config packages/native-cuda/vitest.config.ts packages/native-cuda > $out/gpu-tests.txt 2>&1; rc=\$?; grep -E 'Test Files|Tests ' $out/gpu-tests.txt; exit \$rc")
# Decoders compared in one run: ours (the default), nvJPEG's engines, and both at once.
configs='[{},{"decoder":"nvjpeg"},{"decoder":"mixed","kernelShare":0.5}]'
has decode && commands+=(
  "BENCH_SECONDS=1.5 BENCH_CONFIGS='$configs' node bench/gpu/cuda-decode.mjs $out/cuda-decode.json $sets"
  "node bench/gpu/cuda-kernels.mjs $out/cuda-kernels.json $corpus/1080p/Autumn-2560x1600-1920x1080.jpg $corpus/4k/Autumn-2560x1600-3840x2160.jpg"
  "python3 bench/gpu/torchvision_decode.py $out/torchvision-decode.json $sets")
has pipeline && commands+=(
  "node bench/gpu/cuda-pipeline.mjs $out/cuda-pipeline.json $corpus/1080p"
  "BENCH_INIT='{\"decoder\":\"nvjpeg\"}' node bench/gpu/cuda-pipeline.mjs $out/cuda-pipeline-nvjpeg.json $corpus/1080p"
  "node bench/gpu/cuda-stages.mjs $out/cuda-stages.json $corpus/1080p/Autumn-2560x1600-1920x1080.jpg"
  "node bench/gpu/cuda-memory.mjs $out/cuda-memory.json $corpus/1080p"
  "BENCH_INIT='{\"decoder\":\"nvjpeg\"}' node bench/gpu/cuda-memory.mjs $out/cuda-memory-nvjpeg.json $corpus/1080p")
# The webgpu suites on the real GPU (Dawn on the NVIDIA Vulkan driver; the browser tests need Chromium: not here).
has webgpu && commands+=(
  "vitest run packages/webgpu/src/backend packages/webgpu/src/decode packages/webgpu/src/entropy packages/webgpu/src/ops packages/webgpu/src/encode/encode-jpeg > $out/webgpu-tests.txt 2>&1; rc=\$?; grep -E 'Test Files|Tests ' $out/webgpu-tests.txt; exit \$rc"
  "node bench/gpu/webgpu-bench.mjs $out/webgpu.json $corpus/5k")
bash .gpu-bundle/run.sh "${commands[@]}"
