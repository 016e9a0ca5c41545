#!/usr/bin/env bash
# Builds the wasm codec: packages/wasm/wasm/jpegkit.wasm + jpegkit.mjs (ES-module glue) and BUILD-INPUTS.sha256.
#
#   bash codec/build.sh [--clean]
#
# 1. installs the toolchain (emscripten, cmake, dpkg-dev) with apt when missing (Debian bookworm);
# 2. fetches libjpeg-turbo's Debian source package into .cache/ with a private apt state (the mirror is the one
#    this machine's apt sources already use), checks its pinned hashes and unpacks it with dpkg-source;
# 3. builds libjpeg-turbo as a static library with emcmake (no SIMD, arithmetic coding on, 8-bit only);
# 4. compiles codec/src/*.c and links the module.
# Paths are mapped with -ffile-prefix-map and nothing depends on the time, so a rebuild gives identical bytes.
# --clean rebuilds libjpeg-turbo and our objects from scratch (the fetched source is kept).
set -euo pipefail

pkg="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
codec="$pkg/codec"
cache="$pkg/.cache"
# shellcheck source=SCRIPTDIR/inputs.sh
source "$codec/inputs.sh"

clean=0
for arg in "$@"; do
  case "$arg" in
    --clean) clean=1 ;;
    *) echo "usage: $0 [--clean]" >&2; exit 2 ;;
  esac
done

log() { printf '[build-wasm] %s\n' "$*" >&2; }
jobs=2

# ---- 1. toolchain ----------------------------------------------------------------------------------------
need=()
command -v emcc >/dev/null || need+=(emscripten)
command -v cmake >/dev/null || need+=(cmake)
command -v make >/dev/null || need+=(make)
command -v dpkg-source >/dev/null || need+=(dpkg-dev)
if ((${#need[@]})); then
  log "installing ${need[*]}"
  sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${need[@]}"
fi

# Debian's emcc runs its JS optimizer with the system's node modules (acorn).
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
versions="$(dpkg-query -W -f='${Package}=${Version} ' "${JK_TOOLCHAIN_PACKAGES[@]}" 2>/dev/null || true)"
toolchain="emcc $(emcc -dumpversion); ${versions% }"
if [[ "$toolchain" != "$JK_TOOLCHAIN" && "${JK_ALLOW_TOOLCHAIN_MISMATCH:-0}" != 1 ]]; then
  log "toolchain is '$toolchain', inputs.sh pins '$JK_TOOLCHAIN'"
  log "update JK_TOOLCHAIN in codec/inputs.sh on purpose, or set JK_ALLOW_TOOLCHAIN_MISMATCH=1 to try anyway"
  exit 1
fi

# ---- 2. libjpeg-turbo source -----------------------------------------------------------------------------
dl="$cache/download"
src="$cache/src/$JK_LJT_DIR"
mkdir -p "$dl"

verify_download() {
  local line
  for line in "${JK_LJT_FILES[@]}"; do [[ -f "$dl/${line#*  }" ]] || return 1; done
  (cd "$dl" && printf '%s\n' "${JK_LJT_FILES[@]}" | sha256sum --check --quiet --strict -)
}

# The mirror this machine's apt already uses for bookworm (one-line or deb822 sources), never a hard-coded host.
find_mirror() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f "$f" ]] || continue
    sed -E 's/\[[^]]*\]//' "$f" | awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }'
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f "$f" ]] || continue
    awk 'BEGIN { RS = ""; FS = "\n" }
         { uri = ""; ok = 0
           for (i = 1; i <= NF; i++) {
             if ($i ~ /^URIs:/) { split($i, a, /[ \t]+/); uri = a[2] }
             if ($i ~ /^Suites:/) { n = split($i, s, /[ \t]+/); for (j = 2; j <= n; j++) if (s[j] == "bookworm") ok = 1 }
           }
           if (ok && uri != "") { print uri; exit } }' "$f"
  done
}

if ! verify_download; then
  mirror="$(find_mirror | head -n1)"
  [[ -n "$mirror" ]] || { log "no bookworm mirror found in /etc/apt/sources.list{,.d}"; exit 1; }
  log "fetching $JK_LJT_PACKAGE $JK_LJT_VERSION source from $mirror"
  apt_dir="$cache/apt"
  rm -rf "$apt_dir"
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/etc"
  echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror bookworm main" \
    >"$apt_dir/etc/sources.list"
  apt_opts=(
    -o "Dir::State::Lists=$apt_dir/lists"
    -o "Dir::Etc::SourceList=$apt_dir/etc/sources.list"
    -o "Dir::Etc::SourceParts=/dev/null"
    -o "Dir::Cache=$apt_dir/cache"
    -o "Debug::NoLocking=1"
    -o "APT::Sandbox::User=root"
  )
  apt-get "${apt_opts[@]}" -qq update
  (cd "$dl" && apt-get "${apt_opts[@]}" -qq source --download-only "$JK_LJT_PACKAGE=$JK_LJT_VERSION")
  verify_download || { log "downloaded source does not match the hashes pinned in codec/inputs.sh"; exit 1; }
fi

if [[ ! -f "$src/.jk-unpacked" ]]; then
  rm -rf "$src"
  mkdir -p "$(dirname "$src")"
  dsc="$(printf '%s\n' "${JK_LJT_FILES[@]}" | awk '$2 ~ /\.dsc$/ { print $2 }')"
  dpkg-source --no-check -x "$dl/$dsc" "$src" >/dev/null
  touch "$src/.jk-unpacked"
fi

# ---- 3. libjpeg-turbo static library -------------------------------------------------------------------
ljt_build="$cache/build/libjpeg-turbo"
obj="$cache/build/obj"
out="$cache/build/out"
((clean)) && rm -rf "$ljt_build" "$obj" "$out"
mkdir -p "$ljt_build" "$obj" "$out"
# CMake's probes run emcc's CommonJS output under node; this package is "type": "module".
echo '{ "type": "commonjs" }' >"$cache/build/package.json"

export SOURCE_DATE_EPOCH=0
# Map the machine-specific paths out of anything the compiler records.
prefix_map=("-ffile-prefix-map=$src=/libjpeg-turbo" "-ffile-prefix-map=$ljt_build=/libjpeg-turbo-build"
  "-ffile-prefix-map=$pkg=/jpegkit-wasm")
copt=(-O3 "${prefix_map[@]}")

cmake_args=(
  -G "Unix Makefiles"
  -DCMAKE_BUILD_TYPE=Release
  -DCMAKE_C_FLAGS_RELEASE="${copt[*]} -DNDEBUG"
  -DCMAKE_CROSSCOMPILING_EMULATOR="/usr/bin/node;--no-experimental-fetch"
  -DBUILD="$JK_LJT_VERSION"
  -DENABLE_SHARED=0 -DENABLE_STATIC=1 -DWITH_SIMD=0 -DWITH_TURBOJPEG=0
  -DWITH_ARITH_DEC=1 -DWITH_ARITH_ENC=1 -DWITH_12BIT=0 -DWITH_JAVA=0
)
# Reuse an earlier libjpeg-turbo build only if it was configured the same way.
stamp="$(printf '%s\n' "$toolchain" "${cmake_args[@]}" | sha256sum | cut -d' ' -f1)"
if [[ ! -f "$ljt_build/libjpeg.a" || "$(cat "$ljt_build/.jk-stamp" 2>/dev/null)" != "$stamp" ]]; then
  log "building libjpeg-turbo"
  rm -rf "$ljt_build"
  mkdir -p "$ljt_build"
  (
    cd "$ljt_build"
    emcmake cmake "$src" "${cmake_args[@]}" >configure.log 2>&1 || { cat configure.log >&2; exit 1; }
    make -j"$jobs" jpeg-static >make.log 2>&1 || { tail -n 50 make.log >&2; exit 1; }
  )
  echo "$stamp" >"$ljt_build/.jk-stamp"
fi

# ---- 4. our C and the module ---------------------------------------------------------------------------
log "compiling codec/src"
cflags=(-std=c99 -Wall -Wextra -Werror "${copt[@]}" -I"$src" -I"$ljt_build" -I"$codec/src")
objs=()
for c in "$codec"/src/*.c; do
  o="$obj/$(basename "${c%.c}").o"
  emcc "${cflags[@]}" -c "$c" -o "$o"
  objs+=("$o")
done
# libjpeg-turbo's lossless-transform helpers (jpegtran's transupp.c, compiled like the library), for transform.c.
emcc "${copt[@]}" -DNDEBUG -I"$src" -I"$ljt_build" -c "$src/transupp.c" -o "$obj/transupp.o"
objs+=("$obj/transupp.o")

log "linking"
emcc -O3 "${prefix_map[@]}" "${objs[@]}" "$ljt_build/libjpeg.a" -o "$out/jpegkit.mjs" \
  --no-entry \
  --extern-pre-js "$codec/pre.js" \
  -sMODULARIZE=1 -sEXPORT_ES6=1 -sEXPORT_NAME=createJpegkitModule \
  -sENVIRONMENT=web,worker,node \
  -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=16MB -sMAXIMUM_MEMORY=4GB -sTOTAL_STACK=256KB \
  -sDYNAMIC_EXECUTION=0 -sFILESYSTEM=0 \
  -sNODEJS_CATCH_EXIT=0 -sNODEJS_CATCH_REJECTION=0 \
  -sEXPORTED_FUNCTIONS=_malloc,_free \
  -sEXPORTED_RUNTIME_METHODS=[]

mkdir -p "$pkg/wasm"
cp "$out/jpegkit.wasm" "$out/jpegkit.mjs" "$pkg/wasm/"
chmod 644 "$pkg/wasm/jpegkit.wasm" "$pkg/wasm/jpegkit.mjs"
{
  echo "$(jk_inputs_hash "$pkg" "$toolchain")  inputs"
  (cd "$pkg/wasm" && sha256sum jpegkit.wasm jpegkit.mjs)
} >"$pkg/wasm/BUILD-INPUTS.sha256"
log "done: $(stat -c %s "$pkg/wasm/jpegkit.wasm") bytes wasm, $(stat -c %s "$pkg/wasm/jpegkit.mjs") bytes glue"
