#!/usr/bin/env bash
# Regenerates everything under fixtures/ (JPEGs, djpeg references, facts.json, the malformed set,
# malformed.json and README.md) from Debian packages. Idempotent: the same packages give the same bytes.
#
# Dev-time tool only (CI never runs it). Needs Debian bookworm, root (for apt-get install), Node and
# network access to the Debian archive configured in /etc/apt. /etc/apt is only read: the source
# package is fetched with a private sources list and private apt state/cache directories.
#
# usage: bash scripts/make-fixtures.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
helpers="$root/scripts/fixtures"
fx="$root/fixtures"
max_bytes=$((3 * 1024 * 1024))

log() { printf '== %s\n' "$*" >&2; }
die() {
  printf 'make-fixtures: %s\n' "$*" >&2
  exit 1
}

# ---------------------------------------------------------------------------------------------- tools
pkgs=(libjpeg-turbo-progs imagemagick libimage-exiftool-perl libjpeg62-turbo-dev gcc libc6-dev)
if [ "$(id -u)" = 0 ]; then
  log "apt-get install ${pkgs[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=600 "${pkgs[@]}" >/dev/null
fi
for tool in cjpeg djpeg wrjpgcom exiftool identify gcc node dpkg-deb apt-get; do
  command -v "$tool" >/dev/null || die "$tool is missing; run as root or: apt-get install ${pkgs[*]}"
done
# Call ImageMagick by its Debian name so nothing else called "convert" on PATH is picked up.
im_bin="$(command -v convert-im6.q16 || command -v convert)"
im() { "$im_bin" -quiet "$@"; }
djpeg_version="$(dpkg-query -W -f '${Version}' libjpeg-turbo-progs)"
case "$djpeg_version" in
  *:2.1.5-*) ;;
  *) die "expected libjpeg-turbo-progs 2.1.5 (the references are its output), found $djpeg_version" ;;
esac

work="$(mktemp -d /tmp/jpegkit-fixtures.XXXXXX)"
trap 'rm -rf "$work"' EXIT
apt_dl=()
[ "$(id -u)" = 0 ] && apt_dl=(-o APT::Sandbox::User=root) # the _apt user cannot write into $work

# ------------------------------------------------------------------------- plasma-workspace-wallpapers
log "apt-get download plasma-workspace-wallpapers"
(cd "$work" && apt-get "${apt_dl[@]}" download -q plasma-workspace-wallpapers >/dev/null)
wp_deb="$(echo "$work"/plasma-workspace-wallpapers_*.deb)"
wp_version="$(dpkg-deb -f "$wp_deb" Version)"
dpkg-deb -x "$wp_deb" "$work/wp"
wp_copyright="$work/wp/usr/share/doc/plasma-workspace-wallpapers/copyright"
# The licence of "Files: *" in the package's machine-readable copyright file.
wp_licence="$(awk 'BEGIN{RS=""} /(^|\n)Files: \*(\n|$)/ { if (match($0, /License: [^\n]*/)) print substr($0, RSTART+9, RLENGTH-9) }' "$wp_copyright")"
wp_holder="$(awk 'BEGIN{RS=""} /(^|\n)Files: \*(\n|$)/ { if (match($0, /Copyright: [^\n]*/)) print substr($0, RSTART+11, RLENGTH-11) }' "$wp_copyright")"
[ -n "$wp_licence" ] || die "cannot read the licence from $wp_copyright"

# "<author>|<licence>" from a wallpaper's metadata.json.
wallpaper_meta() {
  node -e '
    const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).KPlugin;
    console.log((m.Authors || []).map((a) => a.Name).join(", ") + "|" + (m.License || "?"));
  ' "$work/wp/usr/share/wallpapers/$1/metadata.json"
}
wallpaper() { echo "$work/wp/usr/share/wallpapers/$1/contents/images/2560x1600.jpg"; }
wallpaper_source() {
  local meta author licence
  meta="$(wallpaper_meta "$1")"
  author="${meta%%|*}"
  licence="${meta#*|}"
  printf 'plasma-workspace-wallpapers %s (Debian): usr/share/wallpapers/%s/contents/images/2560x1600.jpg, by %s (licence: %s per the package copyright file, Files: *, Copyright %s; the wallpaper metadata.json says %s); downscaled/cropped with ImageMagick' \
    "$wp_version" "$1" "$author" "$wp_licence" "$wp_holder" "$licence"
}

# --------------------------------------------------------------------- libjpeg-turbo source package
codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")"
# The first Debian archive URI (and its keyring) in the system's apt sources for the plain suite.
mirror="$(
  {
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
      [ -f "$f" ] || continue
      awk -v s="$codename" '$1 == "deb" {
        kr = ""; uri = ""; suite = "";
        for (i = 2; i <= NF; i++) {
          if ($i ~ /signed-by=/) { kr = $i; sub(/.*signed-by=/, "", kr); sub(/\].*$/, "", kr) }
          else if ($i ~ /^[a-z+]+:\/\//) { uri = $i; suite = $(i + 1); break }
        }
        if (uri != "" && suite == s) print uri " " kr
      }' "$f"
    done
    for f in /etc/apt/sources.list.d/*.sources; do
      [ -f "$f" ] || continue
      awk -v s="$codename" 'BEGIN { RS = "" } {
        types = ""; uris = ""; suites = ""; kr = ""; enabled = "yes";
        n = split($0, lines, "\n");
        for (i = 1; i <= n; i++) {
          l = lines[i];
          if (l ~ /^Types:/) types = l;
          else if (l ~ /^URIs:/) { uris = l; sub(/^URIs:[ \t]*/, "", uris) }
          else if (l ~ /^Suites:/) suites = l;
          else if (l ~ /^Signed-By:/) { kr = l; sub(/^Signed-By:[ \t]*/, "", kr) }
          else if (l ~ /^Enabled:/) enabled = tolower(l)
        }
        if (types ~ /(^|[ \t])deb([ \t]|$)/ && (" " suites " ") ~ ("[ \t]" s "[ \t]") && enabled !~ /no/) {
          split(uris, u, /[ \t]+/); print u[1] " " kr
        }
      }' "$f"
    done
  } | head -n 1
)"
[ -n "$mirror" ] || die "no 'deb' source for $codename in /etc/apt/sources.list{,.d}"
mirror_uri="${mirror%% *}"
keyring="${mirror#* }"
[ -n "$keyring" ] && [ "$keyring" != "$mirror_uri" ] || keyring=/usr/share/keyrings/debian-archive-keyring.gpg
apt_priv="$work/apt"
mkdir -p "$apt_priv/lists/partial" "$apt_priv/cache/archives/partial" "$work/src"
echo "deb-src [signed-by=$keyring] $mirror_uri $codename main" >"$apt_priv/sources.list"
apt_src=(
  -o "Dir::State::Lists=$apt_priv/lists" -o "Dir::Etc::SourceList=$apt_priv/sources.list"
  -o "Dir::Etc::SourceParts=/dev/null" -o "Dir::Cache=$apt_priv/cache" "${apt_dl[@]}"
)
log "apt-get source --download-only libjpeg-turbo (private sources list: deb-src $codename main)"
apt-get "${apt_src[@]}" update -q >/dev/null
(cd "$work/src" && apt-get "${apt_src[@]}" source --download-only -q libjpeg-turbo >/dev/null)
dsc="$(echo "$work"/src/libjpeg-turbo_*.dsc)"
[ -f "$dsc" ] || die "apt-get source did not fetch libjpeg-turbo"
src_version="$(awk '/^Version:/ { print $2; exit }' "$dsc")"
[ "$djpeg_version" = "$src_version" ] || die "source $src_version differs from installed $djpeg_version"
tar -xzf "$work"/src/libjpeg-turbo_*.orig.tar.gz -C "$work/src"
tests="$(echo "$work"/src/libjpeg-turbo-*/testimages)"
[ -f "$tests/testorig12.jpg" ] || die "testimages not found in the libjpeg-turbo source"
upstream="$(basename "$(dirname "$tests")")"
upstream_version="${src_version#*:}"
upstream_version="${upstream_version%-*}"

# ----------------------------------------------------------------------------- ICC profile (Debian)
log "apt-get download icc-profiles-free"
(cd "$work" && apt-get "${apt_dl[@]}" download -q icc-profiles-free >/dev/null)
icc_deb="$(echo "$work"/icc-profiles-free_*.deb)"
dpkg-deb -x "$icc_deb" "$work/icc"
icc="$work/icc/usr/share/color/icc/sRGB.icc"
icc_copyright="$work/icc/usr/share/doc/icc-profiles-free/copyright"
icc_licence="$(awk 'BEGIN{RS=""} /(^|\n)Files:[^\n]*sRGB\.icc/ { if (match($0, /License: [^\n]*/)) print substr($0, RSTART+9, RLENGTH-9) }' "$icc_copyright")"
[ -f "$icc" ] && [ -n "$icc_licence" ] || die "sRGB.icc or its licence not found in icc-profiles-free"
icc_source="ICC profile usr/share/color/icc/sRGB.icc from icc-profiles-free $(dpkg-deb -f "$icc_deb" Version) (Debian; licence: $icc_licence per its copyright file)"

# ------------------------------------------------------------------------------------------ helpers
gcc -O2 -Wall -Wextra -o "$work/write-cmyk" "$helpers/write-cmyk.c" -ljpeg
edit() { node "$helpers/jpeg-edit.mjs" "$@"; }

rm -rf "$fx/jpeg" "$fx/ref" "$fx/malformed" "$fx/pnm" "$fx/facts.json" "$fx/malformed.json" "$fx/README.md"
mkdir -p "$fx/jpeg" "$fx/malformed" "$fx/pnm"
out="$fx/jpeg"
manifest="$work/manifest.tsv"
sources="$work/sources.tsv"
: >"$manifest"

# sources.tsv: key <TAB> text
glow_src="$(wallpaper_source EveningGlow)"
{
  printf 'glow\t%s\n' "$glow_src"
  printf 'glow+icc\t%s; %s\n' "$glow_src" "$icc_source"
  printf 'glow+cmyk\t%s; converted to CMYK by ImageMagick and encoded by scripts/fixtures/write-cmyk.c (libjpeg62-turbo)\n' "$glow_src"
  printf 'cups\t%s\n' "$(wallpaper_source ColorfulCups)"
  printf 'leaf\t%s\n' "$(wallpaper_source FallenLeaf)"
  printf 'path\t%s\n' "$(wallpaper_source Path)"
  printf 'water\t%s\n' "$(wallpaper_source BytheWater)"
  for t in testorig.jpg testimgint.jpg testimgari.jpg testorig12.jpg; do
    printf 'lj:%s\tlibjpeg-turbo %s upstream test image testimages/%s, from the Debian source package libjpeg-turbo %s (licence: libjpeg-turbo: IJG License + Modified (3-clause) BSD License, see LICENSE.md and README.ijg in the source)\n' \
      "$t" "$upstream_version" "$t" "$src_version"
  done
} >"$sources"

# record NAME SOURCE-KEY DESCRIPTION RECIPE EXPECT OPTIONS
record() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$manifest"; }
# cj NAME SOURCE-KEY PPM DESCRIPTION EXPECT OPTIONS CJPEG-ARGS...
cj() {
  local name=$1 key=$2 ppm=$3 desc=$4 expect=$5 opts=$6
  shift 6
  # cjpeg runs in $work so that the recipe (and -scans FILE) need no paths.
  (cd "$work" && cjpeg "$@" -outfile "$out/$name" "$ppm") 2> >(grep -v '^Caution: quantization tables are too coarse' >&2)
  record "$name" "$key" "$desc" "cjpeg $* $ppm" "$expect" "$opts"
}

# ----------------------------------------------------------------------------------- PPM sources
log "making PPM sources"
glow="$(wallpaper EveningGlow)"
im "$glow" -resize 192x120 -gravity center -crop 160x120+0+0 +repage -strip "ppm:$work/photo.ppm"
im "$glow" -resize x64 -gravity center -crop 96x64+0+0 +repage -strip "ppm:$work/small.ppm"
im "$(wallpaper ColorfulCups)" -resize 192x120 -gravity center -crop 160x120+0+0 +repage -strip "ppm:$work/cups.ppm"
im "$(wallpaper BytheWater)" -resize 1024x640 -strip "ppm:$work/large.ppm"
im "$(wallpaper Path)" -resize 2000x -gravity center -crop 2000x3+0+0 +repage -strip "ppm:$work/wide.ppm"
im "$(wallpaper FallenLeaf)" -resize 64x40 -strip "ppm:$work/leaf.ppm"
for size in 17x9 33x21 35x27 37x23; do
  im "$work/leaf.ppm" -gravity center -crop "$size+0+0" +repage "ppm:$work/leaf-$size.ppm"
done
im "$work/photo.ppm" -gravity center -crop 1x1+0+0 +repage "ppm:$work/px.ppm"
im "$work/photo.ppm" -colorspace CMYK -depth 8 "cmyk:$work/photo.cmyk"
printf '0: 0 63 0 0;\n1: 0 63 0 0;\n2: 0 63 0 0;\n' >"$work/noninterleaved.scan"

# ----------------------------------------------------------------------------- fixtures: photo-*
log "encoding fixtures"
base='colorSpace=YCbCr;process=baseline;arithmetic=false;restartInterval=0;scanCount=1'
q='-quality 85'
# shellcheck disable=SC2086 # $q is two words on purpose
{
  cj photo-444.jpg glow photo.ppm '4:4:4 (1x1 sampling), baseline' "subsampling=4:4:4;$base" 'gray' $q -sample 1x1
  cj photo-422.jpg glow photo.ppm '4:2:2 (2x1), baseline' "subsampling=4:2:2;$base" '' $q -sample 2x1
  cj photo-420.jpg glow photo.ppm '4:2:0 (2x2), baseline; scaled and grayscale references' \
    "subsampling=4:2:0;$base" 'scales=1/2,1/4,1/8;gray' $q -sample 2x2
  cj photo-440.jpg glow photo.ppm '4:4:0 (1x2), baseline' "subsampling=4:4:0;$base" '' $q -sample 1x2
  cj photo-411.jpg glow photo.ppm '4:1:1 (4x1), baseline' "subsampling=4:1:1;$base" '' $q -sample 4x1
  cj photo-gray.jpg glow photo.ppm 'grayscale (1 component), baseline' \
    'subsampling=gray;colorSpace=gray;process=baseline;scanCount=1' '' $q -grayscale
  cj photo-420-progressive.jpg glow photo.ppm 'progressive 4:2:0 (libjpeg default scan script, spectral selection + successive approximation)' \
    'subsampling=4:2:0;process=progressive;arithmetic=false;scanCount=10' '' $q -sample 2x2 -progressive
  cj photo-422-progressive.jpg glow photo.ppm 'progressive 4:2:2' \
    'subsampling=4:2:2;process=progressive;scanCount=10' '' $q -sample 2x1 -progressive
  cj photo-gray-progressive.jpg glow photo.ppm 'progressive grayscale' \
    'subsampling=gray;colorSpace=gray;process=progressive;scanCount=6' '' $q -grayscale -progressive
  cj photo-420-progressive-restart.jpg glow photo.ppm 'progressive 4:2:0 with a restart interval of 2 MCUs' \
    'subsampling=4:2:0;process=progressive;restartInterval=2' '' $q -sample 2x2 -progressive -restart 2B
  cj photo-420-restart-rows.jpg glow photo.ppm 'restart marker every MCU row (cjpeg -restart 1 = 10 MCUs)' \
    "subsampling=4:2:0;colorSpace=YCbCr;process=baseline;restartInterval=10" '' $q -sample 2x2 -restart 1
  cj photo-420-restart-3mcu.jpg glow photo.ppm 'restart interval of 3 MCUs (not a divisor of the 10-MCU row)' \
    "subsampling=4:2:0;colorSpace=YCbCr;process=baseline;restartInterval=3" '' $q -sample 2x2 -restart 3B
  cj photo-420-arithmetic.jpg glow photo.ppm 'arithmetic-coded sequential 4:2:0 (SOF9)' \
    'subsampling=4:2:0;process=extended;arithmetic=true;scanCount=1' '' $q -sample 2x2 -arithmetic
  cj photo-444-arithmetic-progressive.jpg glow photo.ppm 'arithmetic-coded progressive 4:4:4 (SOF10)' \
    'subsampling=4:4:4;process=progressive;arithmetic=true' '' $q -sample 1x1 -arithmetic -progressive
  cj photo-420-noninterleaved.jpg glow photo.ppm 'baseline 4:2:0 in 3 non-interleaved scans, one full-spectrum scan per component (scan script: 0: 0 63 0 0; 1: 0 63 0 0; 2: 0 63 0 0;)' \
    'subsampling=4:2:0;process=baseline;scanCount=3' '' $q -sample 2x2 -scans noninterleaved.scan
  edit sof1 "$out/photo-420.jpg" "$out/photo-420-extended-sof1.jpg"
  record photo-420-extended-sof1.jpg glow 'photo-420.jpg with its SOF0 marker byte patched to 0xC1 (extended sequential, 8-bit tables); decodes exactly like photo-420.jpg' \
    'node scripts/fixtures/jpeg-edit.mjs sof1 photo-420.jpg photo-420-extended-sof1.jpg' \
    'subsampling=4:2:0;process=extended;arithmetic=false;scanCount=1' ''
  cj photo-420-extended-16bit-dqt.jpg glow photo.ppm 'quality 5 without -baseline: quantizers > 255, so 16-bit DQT tables and a genuine SOF1 (extended sequential)' \
    'subsampling=4:2:0;process=extended;arithmetic=false' '' -quality 5 -sample 2x2
  cj photo-rgb.jpg glow photo.ppm 'RGB colour space (no colour transform; component ids R,G,B; Adobe APP14 transform 0, no JFIF)' \
    'subsampling=4:4:4;colorSpace=RGB;adobeTransform=0;process=baseline' '' $q -rgb
}
"$work/write-cmyk" cmyk 160 120 85 "$work/photo.cmyk" "$out/photo-cmyk.jpg"
record photo-cmyk.jpg glow+cmyk 'CMYK, Adobe APP14 transform 0, inverted samples as Photoshop writes them (component ids C,M,Y,K)' \
  'convert photo.ppm -colorspace CMYK -depth 8 cmyk:photo.cmyk; write-cmyk cmyk 160 120 85 photo.cmyk photo-cmyk.jpg' \
  'subsampling=4:4:4;colorSpace=CMYK;adobeTransform=0;process=baseline' ''
"$work/write-cmyk" ycck 160 120 85 "$work/photo.cmyk" "$out/photo-ycck.jpg"
record photo-ycck.jpg glow+cmyk 'YCCK, Adobe APP14 transform 2 (libjpeg CMYK->YCCK; Y and K 2x2, Cb/Cr 1x1), inverted CMYK' \
  'convert photo.ppm -colorspace CMYK -depth 8 cmyk:photo.cmyk; write-cmyk ycck 160 120 85 photo.cmyk photo-ycck.jpg' \
  'subsampling=4:2:0;colorSpace=YCCK;adobeTransform=2;process=baseline' ''
cj cups-420-q100.jpg cups cups.ppm 'quality 100 (all quantizers 1), saturated colours, 4:2:0' \
  "subsampling=4:2:0;$base" '' -quality 100 -sample 2x2

# ---------------------------------------------------------------------- fixtures: metadata (96x64)
# shellcheck disable=SC2086
cj small-420.jpg glow small.ppm 'small 4:2:0 baseline; the base of the metadata fixtures and of malformed/' \
  "subsampling=4:2:0;$base;orientation=1;icc=false" '' $q -sample 2x2
wrjpgcom -comment 'jpegkit fixture: first COM segment' "$out/small-420.jpg" >"$work/c1.jpg"
wrjpgcom -comment 'second COM segment, 2 of 2' "$work/c1.jpg" >"$out/small-comments.jpg"
record small-comments.jpg glow 'two COM segments' \
  "wrjpgcom -comment 'jpegkit fixture: first COM segment' small-420.jpg | wrjpgcom -comment 'second COM segment, 2 of 2'" \
  "subsampling=4:2:0;$base" ''
exif() { # NAME DESCRIPTION EXPECT EXIFTOOL-ARGS...
  local name=$1 desc=$2 expect=$3
  shift 3
  cp "$out/small-420.jpg" "$out/$name"
  exiftool -q -overwrite_original -n "$@" "$out/$name"
  record "$name" glow "$desc" "exiftool -n $* small-420.jpg" "$expect" ''
}
exif small-jfif-dpi.jpg 'JFIF density 300x150 dots per inch' 'subsampling=4:2:0' \
  -JFIF:ResolutionUnit=1 -JFIF:XResolution=300 -JFIF:YResolution=150
exif small-jfif-dpcm.jpg 'JFIF density 118x118 dots per cm' 'subsampling=4:2:0' \
  -JFIF:ResolutionUnit=2 -JFIF:XResolution=118 -JFIF:YResolution=118
for n in 1 2 3 4 5 6 7 8; do
  exif "orient-$n-ii.jpg" "EXIF orientation $n, little-endian (II) TIFF header" \
    "orientation=$n;exifByteOrder=II" -ExifByteOrder=II -Orientation=$n
done
exif orient-6-mm.jpg 'EXIF orientation 6, big-endian (MM) TIFF header' 'orientation=6;exifByteOrder=MM' \
  -ExifByteOrder=MM -Orientation=6
cp "$out/small-420.jpg" "$out/small-icc.jpg"
exiftool -q -overwrite_original "-ICC_Profile<=$icc" "$out/small-icc.jpg"
record small-icc.jpg glow+icc 'ICC profile (sRGB.icc from icc-profiles-free) in one APP2 chunk' \
  "exiftool '-ICC_Profile<=sRGB.icc' small-420.jpg" 'icc=true;iccChunks=1' ''
edit icc "$out/small-420.jpg" "$icc" 3 "$out/small-icc-3-chunks.jpg"
record small-icc-3-chunks.jpg glow+icc 'the same ICC profile split over 3 APP2 ICC_PROFILE chunks (seq 1..3 of 3), in order' \
  'node scripts/fixtures/jpeg-edit.mjs icc small-420.jpg sRGB.icc 3 small-icc-3-chunks.jpg' 'icc=true;iccChunks=3' ''

# ------------------------------------------------------------------------------ fixtures: odd sizes
# shellcheck disable=SC2086
{
  cj odd-1x1.jpg glow px.ppm '1x1 pixel, 4:2:0 (one partial MCU)' "subsampling=4:2:0;$base" '' $q -sample 2x2
  cj odd-17x9-444.jpg leaf leaf-17x9.ppm '17x9, 4:4:4 (partial blocks on both axes)' "subsampling=4:4:4;$base" '' $q -sample 1x1
  cj odd-33x21-420.jpg leaf leaf-33x21.ppm '33x21, 4:2:0 (not a multiple of the 16x16 MCU; odd chroma size); scaled references' \
    "subsampling=4:2:0;$base" 'scales=1/2,1/4,1/8' $q -sample 2x2
  cj odd-35x27-422.jpg leaf leaf-35x27.ppm '35x27, 4:2:2 (partial 16x8 MCUs)' "subsampling=4:2:2;$base" '' $q -sample 2x1
  cj odd-37x23-411.jpg leaf leaf-37x23.ppm '37x23, 4:1:1 (partial 32x8 MCUs)' "subsampling=4:1:1;$base" '' $q -sample 4x1
  cj wide-2000x3-420.jpg path wide.ppm '2000x3, 4:2:0: very wide and thin (125 MCUs in one partial row)' \
    "subsampling=4:2:0;$base" '' $q -sample 2x2
  cj large-1024x640-420-q90.jpg water large.ppm 'larger photo 1024x640, 4:2:0, quality 90 (resize tests); full-size reference by sha256 only, 1/8-scaled reference' \
    "subsampling=4:2:0;$base" 'scales=1/8' -quality 90 -sample 2x2
}

# ------------------------------------------------------------------------ fixtures: libjpeg-turbo's
for t in testorig.jpg testimgint.jpg testimgari.jpg testorig12.jpg; do
  cp "$tests/$t" "$out/$t"
done
# testorig.ppm is the encoder input of libjpeg-turbo's own tests; check that today's cjpeg still reproduces
# testimgint.jpg and testimgari.jpg from it byte for byte (facts.json records this as "encodedFrom").
cp "$tests/testorig.ppm" "$fx/pnm/testorig.ppm"
cjpeg -dct int -outfile "$work/int.jpg" "$fx/pnm/testorig.ppm"
cjpeg -dct int -arithmetic -outfile "$work/ari.jpg" "$fx/pnm/testorig.ppm"
cmp -s "$work/int.jpg" "$out/testimgint.jpg" || die "cjpeg -dct int testorig.ppm differs from testimgint.jpg"
cmp -s "$work/ari.jpg" "$out/testimgari.jpg" || die "cjpeg -dct int -arithmetic testorig.ppm differs from testimgari.jpg"
record testorig.jpg lj:testorig.jpg "libjpeg-turbo's testorig.jpg: 4:2:0 baseline (the IJG test image)" \
  "cp $upstream/testimages/testorig.jpg" "subsampling=4:2:0;$base" ''
record testimgint.jpg lj:testimgint.jpg "libjpeg-turbo's testimgint.jpg: testorig.ppm compressed with cjpeg -dct int, 4:2:0 baseline" \
  "cp $upstream/testimages/testimgint.jpg" "subsampling=4:2:0;$base" 'encodedFrom=pnm/testorig.ppm;encoder=cjpeg -dct int'
record testimgari.jpg lj:testimgari.jpg "libjpeg-turbo's testimgari.jpg: arithmetic-coded sequential 4:2:0 (SOF9)" \
  "cp $upstream/testimages/testimgari.jpg" 'subsampling=4:2:0;process=extended;arithmetic=true' \
  'encodedFrom=pnm/testorig.ppm;encoder=cjpeg -dct int -arithmetic'
record testorig12.jpg lj:testorig12.jpg "libjpeg-turbo's testorig12.jpg: 12-bit extended sequential (SOF1) 4:2:0; no djpeg reference" \
  "cp $upstream/testimages/testorig12.jpg" 'precision=12;subsampling=4:2:0;process=extended;arithmetic=false' ''

# ------------------------------------------------------------------------------------ malformed set
log "making the malformed set"
edit malformed "$out/small-420.jpg" "$out/photo-420-restart-3mcu.jpg" "$fx/malformed" >"$work/malformed-spec.json"

# ------------------------------------------------------------------------ licence texts for README
tar -xJf "$work"/src/libjpeg-turbo_*.debian.tar.xz -C "$work/src" debian/copyright
licences="$work/licences.md"
{
  echo '### Photos: plasma-workspace-wallpapers'
  echo
  echo "Wallpapers used (author and licence as given in each wallpaper's \`metadata.json\`):"
  echo
  for w in EveningGlow ColorfulCups FallenLeaf Path BytheWater; do
    meta="$(wallpaper_meta "$w")"
    echo "- \`usr/share/wallpapers/$w/contents/images/2560x1600.jpg\`: ${meta%%|*}; metadata.json licence: ${meta#*|}"
  done
  echo
  echo "The package's copyright file (\`usr/share/doc/plasma-workspace-wallpapers/copyright\`, version $wp_version), verbatim:"
  echo
  echo '```text'
  sed -e '/./,$!d' "$wp_copyright"
  echo '```'
  echo
  echo "### libjpeg-turbo's test images (\`testorig.jpg\`, \`testimgint.jpg\`, \`testimgari.jpg\`, \`testorig12.jpg\`)"
  echo
  echo "Debian's \`debian/copyright\` (libjpeg-turbo $src_version) lists \`testimages/*\` in a stanza with:"
  echo
  echo '```text'
  awk 'BEGIN { RS = "" } /testimages\/testorig12\.jpg/ {
    n = split($0, l, "\n"); keep = 0;
    for (i = 1; i <= n; i++) { if (l[i] ~ /^(Copyright|License|Comment):/) keep = 1; else if (l[i] ~ /^[A-Z][A-Za-z-]*:/) keep = 0; if (keep) print l[i] }
  }' "$work/src/debian/copyright"
  echo '```'
  echo
  echo '(`BSD-BY-LC-NE` is the name Debian gives the IJG License.) libjpeg-turbo is covered by the IJG License'
  echo 'and the Modified (3-clause) BSD License (plus the zlib License for its SIMD code); their texts, verbatim from'
  echo "\`$upstream/README.ijg\` (LEGAL ISSUES) and \`$upstream/LICENSE.md\`:"
  echo
  echo '```text'
  awk '/^LEGAL ISSUES$/ { on = 1 } on && /^REFERENCES$/ { exit } on' "$(dirname "$tests")/README.ijg" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
  echo '```'
  echo
  echo '```text'
  awk '/^The Modified \(3-clause\) BSD License$/ { on = 1 } /^Why Three Licenses\?$/ { exit } on' "$(dirname "$tests")/LICENSE.md" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
  echo '```'
  echo
  echo '### ICC profile: icc-profiles-free'
  echo
  echo "\`usr/share/color/icc/sRGB.icc\` from icc-profiles-free $(dpkg-deb -f "$icc_deb" Version); from its copyright file, verbatim:"
  echo
  echo '```text'
  awk 'BEGIN { RS = ""; ORS = "\n\n" } /(^|\n)Files:[^\n]*sRGB\.icc/ || /^License: Zlib\n/' "$icc_copyright" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
  echo '```'
} >"$licences"

# ------------------------------------------------------------------ references, facts.json, README.md
log "recording references and facts"
node "$helpers/facts.mjs" "$fx" "$manifest" "$sources" "$work/malformed-spec.json" "$helpers/README.template.md" "$licences"
log "cjpeg encodes of the references (encode-refs.json)"
bash "$root/scripts/make-encode-refs.sh"

bytes="$(du -sb "$fx" | cut -f1)"
log "fixtures/: $(find "$fx/jpeg" -type f | wc -l) JPEGs, $(find "$fx/ref" -type f | wc -l) references, $(find "$fx/malformed" -type f | wc -l) malformed, $bytes bytes ($(du -sh "$fx" | cut -f1))"
[ "$bytes" -le "$max_bytes" ] || die "fixtures/ is $bytes bytes, over the $max_bytes-byte budget"
