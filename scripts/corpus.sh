#!/usr/bin/env bash
# Builds the benchmark corpus in .corpus/ (git-ignored) from Debian's plasma-workspace-wallpapers package:
#
#   .corpus/full/    every full-size JPEG wallpaper in the package, unchanged (names: <Wallpaper>[-dark]-<WxH>.jpg)
#   .corpus/1080p/   the landscape ones scaled and centre-cropped to 1920x1080, cjpeg -quality 90 -sample 2x2
#   .corpus/4k/      the same at 3840x2160 (the 2560x1600 sources are upscaled)
#   .corpus/5k/      the 5120x2880 wallpapers re-encoded as camera-like baseline JPEGs (cjpeg -quality 90
#                    -sample 2x2), each also with a restart marker every MCU row (-restart 1) and every 4 MCUs
#                    (-restart 4B): <name>-q90.jpg, <name>-q90-restart.jpg, <name>-q90-restart4.jpg
#
# The package is fetched with `apt-get download` and unpacked with `dpkg-deb -x` (no root needed, nothing
# installed). ImageMagick and cjpeg are needed for the derived sets; when missing they are installed with
# apt-get if running as root, otherwise the script says what to install. Re-running reuses what is there;
# --force rebuilds everything. Licences: see fixtures/README.md (the wallpapers are GPL-2+ per the package's
# copyright file; each wallpaper's metadata.json names its author and licence).
#
# usage: bash scripts/corpus.sh [--force]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="$root/.corpus"
pkg=plasma-workspace-wallpapers

die() {
  printf 'corpus: %s\n' "$*" >&2
  exit 1
}
if [ "${1:-}" = "--force" ]; then
  rm -rf "$corpus"
elif [ $# -gt 0 ]; then
  die "usage: bash scripts/corpus.sh [--force]"
fi

# ------------------------------------------------------------------------------------------- tools
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || die "needs Debian's apt-get and dpkg-deb"
need=()
command -v cjpeg >/dev/null || need+=(libjpeg-turbo-progs)
command -v convert-im6.q16 >/dev/null || command -v magick >/dev/null || need+=(imagemagick)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "corpus: installing ${need[*]}" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=600 "${need[@]}" >/dev/null
  else
    die "missing tools; install them with: sudo apt-get install ${need[*]}"
  fi
fi
# ImageMagick by its Debian name (IM6), else IM7's magick.
if command -v convert-im6.q16 >/dev/null; then im=(convert-im6.q16 -quiet); else im=(magick -quiet); fi

# ------------------------------------------------------------------------------- download + unpack
mkdir -p "$corpus/deb" "$corpus/full" "$corpus/1080p" "$corpus/4k" "$corpus/5k"
if ! ls "$corpus/deb/${pkg}"_*.deb >/dev/null 2>&1; then
  echo "corpus: apt-get download $pkg" >&2
  apt_opts=()
  [ "$(id -u)" = 0 ] && apt_opts=(-o APT::Sandbox::User=root) # _apt cannot always write into the repo
  (cd "$corpus/deb" && apt-get "${apt_opts[@]}" download -q "$pkg" >/dev/null)
fi
deb="$(ls "$corpus/deb/${pkg}"_*.deb | head -n 1)"
if [ ! -d "$corpus/extract/usr/share/wallpapers" ]; then
  rm -rf "$corpus/extract"
  dpkg-deb -x "$deb" "$corpus/extract"
fi

# ------------------------------------------------------------------------------------------- full/
# Regular files only: the package ships many small symlinks (e.g. 1920x1080.jpg -> 2560x1600.jpg).
while IFS= read -r -d '' f; do
  rel="${f#"$corpus/extract/usr/share/wallpapers/"}" # Name/contents/images[_dark]/WxH.jpg
  name="${rel%%/*}"
  variant=""
  case "$rel" in */images_dark/*) variant="-dark" ;; esac
  dest="$corpus/full/$name$variant-$(basename "$f")"
  [ -f "$dest" ] || cp "$f" "$dest"
done < <(find "$corpus/extract/usr/share/wallpapers" -type f -path '*/contents/images*/*' -name '*.jpg' -print0 | sort -z)

# ---------------------------------------------------------------------------------- 1080p/ and 4k/
derive() { # SRC OUTDIR WIDTH HEIGHT
  local src=$1 dir=$2 w=$3 h=$4 out tmp
  out="$dir/$(basename "${src%.jpg}")-${w}x${h}.jpg"
  [ -f "$out" ] && return 0
  tmp="$out.tmp.ppm"
  "${im[@]}" "$src" -resize "${w}x${h}^" -gravity center -extent "${w}x${h}" +repage -strip "ppm:$tmp"
  cjpeg -quality 90 -sample 2x2 -outfile "$out.tmp" "$tmp"
  mv "$out.tmp" "$out"
  rm -f "$tmp"
}
dims() { # FILE -> "W H" from djpeg's trace of the frame header
  djpeg -verbose -outfile /dev/null "$1" 2>&1 |
    sed -n 's/^Start Of Frame 0x..: width=\([0-9]*\), height=\([0-9]*\).*/\1 \2/p' | head -n 1
}
for f in "$corpus"/full/*.jpg; do
  read -r w h <<<"$(dims "$f")"
  [ -n "${w:-}" ] && [ "$w" -ge "$h" ] || continue # landscape sources only
  derive "$f" "$corpus/1080p" 1920 1080
  derive "$f" "$corpus/4k" 3840 2160
done

for f in "$corpus"/full/*-5120x2880.jpg; do
  base="$corpus/5k/$(basename "${f%.jpg}")-q90"
  [ -f "$base-restart4.jpg" ] && continue
  djpeg -outfile "$base.ppm" "$f"
  cjpeg -quality 90 -sample 2x2 -outfile "$base.jpg" "$base.ppm"
  cjpeg -quality 90 -sample 2x2 -restart 1 -outfile "$base-restart.jpg" "$base.ppm"
  cjpeg -quality 90 -sample 2x2 -restart 4B -outfile "$base-restart4.jpg" "$base.ppm"
  rm -f "$base.ppm"
done

# ----------------------------------------------------------------------------------------- summary
summary() { # DIR
  local dir=$1 n bytes
  n="$(find "$dir" -maxdepth 1 -name '*.jpg' | wc -l)"
  bytes="$(find "$dir" -maxdepth 1 -name '*.jpg' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')"
  printf '  %-7s %3d JPEGs, %6.1f MiB' "$(basename "$dir")/" "$n" "$(awk -v b="$bytes" 'BEGIN { print b / 1048576 }')"
  if [ "$n" -gt 0 ]; then
    printf ', %5.0f KiB average, sizes: %s' "$(awk -v b="$bytes" -v n="$n" 'BEGIN { print b / n / 1024 }')" \
      "$(for f in "$dir"/*.jpg; do dims "$f"; done | sort | uniq -c | awk '{ printf "%s%sx%s (%d)", sep, $2, $3, $1; sep = ", " }')"
  fi
  printf '\n'
}
echo "corpus: $(basename "$deb") -> $corpus"
summary "$corpus/full"
summary "$corpus/1080p"
summary "$corpus/4k"
summary "$corpus/5k"
