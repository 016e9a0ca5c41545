#!/usr/bin/env bash
# Builds build/jpegkit_cuda.node: src/kernels/*.cu with nvcc, src/*.cc with g++ (node-addon-api, C++17), linked
# with the static CUDA runtime so the .node loads on machines without a GPU. libnvjpeg is not linked: the
# addon dlopens it at run time (src/loader.cc).
#
#   bash scripts/build-addon.sh           release build → build/jpegkit_cuda.node
#   bash scripts/build-addon.sh --debug   -O0 -g, ASan + UBSan on the host code → build/debug/jpegkit_cuda.node
#                                         (run node with LD_PRELOAD="$(g++ -print-file-name=libasan.so)"
#                                          ASAN_OPTIONS=protect_shadow_gap=0:detect_leaks=0 JPEGKIT_CUDA_ADDON=…)
#
# Environment: NVCC or CUDA_HOME (nvcc), CXX (g++), NODE_INCLUDE (folder with node_api.h), JOBS.
# Without nvcc it prints why, leaves no .node (build/NOT_BUILT holds the reason) and exits 0.
set -euo pipefail
pkg="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$pkg"

mode=release
case "${1:-}" in
  --debug) mode=debug ;;
  '' | --release) ;;
  *) echo "usage: $0 [--debug]" >&2; exit 2 ;;
esac
out=build
[[ $mode == debug ]] && out=build/debug
obj="$out/obj"
mkdir -p "$obj"
rm -f "$out/jpegkit_cuda.node" build/NOT_BUILT

not_built() {
  echo "build-addon: $1 — the native addon was not built; the cuda backend will report that and be skipped" >&2
  printf '%s\n' "$1" > build/NOT_BUILT
  exit 0
}

# --- tools -------------------------------------------------------------------------------------------------
nvcc="${NVCC:-}"
if [[ -z $nvcc ]]; then
  for candidate in "$(command -v nvcc || true)" "${CUDA_HOME:-/nonexistent}/bin/nvcc" /usr/local/cuda/bin/nvcc; do
    if [[ -n $candidate && -x $candidate ]]; then nvcc="$candidate"; break; fi
  done
fi
[[ -n $nvcc && -x $nvcc ]] || not_built "nvcc not found (install the CUDA 13 toolkit, or set CUDA_HOME or NVCC)"
# The toolkit root: CUDA_HOME, else beside nvcc, else what nvcc itself says (it may be a wrapper script).
cuda_home="${CUDA_HOME:-}"
if [[ -z $cuda_home ]]; then
  cuda_home="$(cd "$(dirname "$(readlink -f "$nvcc")")/.." && pwd)"
  if [[ ! -f $cuda_home/include/cuda_runtime_api.h ]]; then
    top="$("$nvcc" --dryrun -x cu -c /dev/null -o /dev/null 2>&1 | sed -n 's/^#\$ TOP=//p' | head -1)"
    [[ -n $top ]] && cuda_home="$(cd "$top" && pwd)"
  fi
fi
cxx="${CXX:-g++}"
command -v "$cxx" >/dev/null || not_built "$cxx not found (install g++)"

cuda_lib=""
for dir in "$cuda_home/lib64" "$cuda_home/targets/x86_64-linux/lib" "$cuda_home/lib"; do
  if [[ -f $dir/libcudart_static.a ]]; then cuda_lib="$dir"; break; fi
done
[[ -n $cuda_lib ]] || not_built "libcudart_static.a not found under $cuda_home"

node_include=""
node_bin="$(command -v node || true)"
candidates=("${NODE_INCLUDE:-}")
[[ -n $node_bin ]] && candidates+=("$(dirname "$(readlink -f "$node_bin")")/../include/node" "$(dirname "$node_bin")/../include/node")
if command -v npm >/dev/null; then
  nodedir="$(npm config get nodedir 2>/dev/null || true)"
  [[ -n $nodedir && $nodedir != undefined && $nodedir != null ]] && candidates+=("$nodedir/include/node")
fi
candidates+=(/usr/include/node /usr/local/include/node)
for dir in "${candidates[@]}"; do
  if [[ -n $dir && -f $dir/node_api.h ]]; then node_include="$(cd "$dir" && pwd)"; break; fi
done
[[ -n $node_include ]] || not_built "Node's headers (node_api.h) not found (set NODE_INCLUDE, or install Node's include/node)"

napi_include="$(cd "$pkg" && node -p "require('path').dirname(require.resolve('node-addon-api/package.json'))" 2>/dev/null || true)"
[[ -n $napi_include && -f $napi_include/napi.h ]] || not_built "node-addon-api not found (run pnpm install)"

# --- flags -------------------------------------------------------------------------------------------------
gencode=(-gencode arch=compute_80,code=sm_80 -gencode arch=compute_90,code=sm_90 -gencode arch=compute_90,code=compute_90)
defines=(-DNAPI_VERSION=8 -DNODE_ADDON_API_DISABLE_DEPRECATED -DNAPI_DISABLE_CPP_EXCEPTIONS)
includes=(-Isrc -I"$cuda_home/include" -I"$node_include" -I"$napi_include")
if [[ $mode == release ]]; then
  cxxflags=(-O2 -fPIC -fvisibility=hidden -fvisibility-inlines-hidden -Wall -Wextra -Werror)
  nvccflags=(-O3 -lineinfo -Xcompiler -fPIC,-fvisibility=hidden,-Wall,-Wextra)
  ldflags=()
else
  sanitize=-fsanitize=address,undefined
  cxxflags=(-O0 -g -fPIC -fvisibility=hidden -fvisibility-inlines-hidden -Wall -Wextra -Werror -fno-omit-frame-pointer "$sanitize")
  # (nvcc splits -Xcompiler values at commas, so the sanitizer list goes as two flags)
  nvccflags=(-O0 -g -lineinfo -Xcompiler -fPIC,-fvisibility=hidden,-Wall,-Wextra,-fno-omit-frame-pointer
    -Xcompiler -fsanitize=address -Xcompiler -fsanitize=undefined)
  ldflags=("$sanitize")
fi

echo "build-addon: $mode build with $("$nvcc" --version | grep -o 'release [0-9.]*'), $("$cxx" --version | head -1)"
echo "build-addon: node headers $node_include; node-addon-api $napi_include; cudart_static from $cuda_lib"

# --- compile (in parallel) and link ------------------------------------------------------------------------
objects=()
pids=()
failed=0
jobs="${JOBS:-$(nproc 2>/dev/null || echo 4)}"
run() {
  echo "  $(basename "${@: -1}")"
  "$@" &
  pids+=($!)
  if (( ${#pids[@]} >= jobs )); then
    wait "${pids[0]}" || failed=1
    pids=("${pids[@]:1}")
  fi
}
for source in src/kernels/*.cu; do
  object="$obj/kernels-$(basename "${source%.cu}").o"
  objects+=("$object")
  run "$nvcc" -std=c++17 "${nvccflags[@]}" "${gencode[@]}" -Isrc -c "$source" -o "$object"
done
for source in src/*.cc; do
  object="$obj/$(basename "${source%.cc}").o"
  objects+=("$object")
  run "$cxx" -std=c++17 "${cxxflags[@]}" "${defines[@]}" "${includes[@]}" -c "$source" -o "$object"
done
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
(( failed == 0 )) || { echo "build-addon: compilation failed" >&2; exit 1; }

# nvcc's device link step (kernels use no relocatable device code, so a plain host link suffices).
"$cxx" -shared -o "$out/jpegkit_cuda.node" "${objects[@]}" "${ldflags[@]}" \
  -L"$cuda_lib" -Wl,-Bstatic -lcudart_static -Wl,-Bdynamic -ldl -lpthread -lrt -Wl,--as-needed
echo "build-addon: wrote $out/jpegkit_cuda.node ($(du -h "$out/jpegkit_cuda.node" | cut -f1))"
