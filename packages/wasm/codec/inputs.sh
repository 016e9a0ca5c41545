# shellcheck shell=bash disable=SC2034 # the variables are used by the scripts that source this file
# Pinned build inputs of the wasm codec and the manifest whose hash wasm/BUILD-INPUTS.sha256 records.
# Sourced by build.sh (which builds from these inputs) and check-artifact.sh (which only recomputes the hash,
# so CI needs neither emscripten nor the libjpeg-turbo source).

# libjpeg-turbo, as Debian bookworm's source package (fetched by build.sh, never committed).
JK_LJT_PACKAGE=libjpeg-turbo
JK_LJT_VERSION=1:2.1.5-2
JK_LJT_DIR=libjpeg-turbo-2.1.5
JK_LJT_FILES=(
  "d718ead0dfbcbc8523665c02a7f7152e31039ded641d022868722623bb3b486d  libjpeg-turbo_2.1.5-2.dsc"
  "254f3642b04e309fee775123133c6464181addc150499561020312ec61c1bf7c  libjpeg-turbo_2.1.5.orig.tar.gz"
  "cdb2433c2f7101345c1ffa14efb943787c675b86354691a32490845fe4bc9237  libjpeg-turbo_2.1.5-2.debian.tar.xz"
)

# The toolchain, as Debian bookworm packages it; build.sh refuses to record a build made with anything else.
JK_TOOLCHAIN_PACKAGES=(binaryen clang-14 emscripten lld-14) # dpkg-query lists them in this order
JK_TOOLCHAIN="emcc 3.1.6; binaryen=108-1 clang-14=1:14.0.6-12 emscripten=3.1.6~dfsg-5 lld-14=1:14.0.6-12"

# Our files that go into the build, relative to packages/wasm.
jk_input_files() {
  local pkg="$1"
  (cd "$pkg" && printf '%s\n' codec/build.sh codec/inputs.sh codec/pre.js && find codec/src -type f | LC_ALL=C sort)
}

# The manifest: one "sha256  name" line per input, the libjpeg-turbo package files, and the toolchain.
jk_manifest() {
  local pkg="$1" toolchain="$2" f
  while IFS= read -r f; do
    (cd "$pkg" && sha256sum -- "$f")
  done < <(jk_input_files "$pkg")
  printf '%s\n' "${JK_LJT_FILES[@]}"
  printf 'toolchain  %s\n' "$toolchain"
}

jk_inputs_hash() {
  jk_manifest "$1" "$2" | sha256sum | cut -d' ' -f1
}
