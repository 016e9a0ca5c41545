#!/usr/bin/env bash
# Debian packages the tests need beyond Node: Chromium for the browser tests (playwright-core drives Debian's
# chromium; no browser is downloaded), and the Vulkan loader through which Dawn (the webgpu package's tests in
# Node) reaches Chromium's SwiftShader driver. Installs what is missing when run as root; otherwise says what
# to run.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# (ldconfig's list is read whole first: grep -q closing the pipe early would fail the check under pipefail)
libraries="$({ ldconfig -p || /sbin/ldconfig -p; } 2>/dev/null || true)"
[[ $libraries == *libvulkan.so.1* ]] || missing+=(libvulkan1)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages: ${missing[*]} (run: sudo apt-get install -y ${missing[*]})" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
