// JPEG colour maths, bit-exact with libjpeg-turbo. The decoder backends (wasm libjpeg-turbo, WGSL, CUDA) must
// reproduce these integers exactly, so everything here is integer arithmetic on the same constants libjpeg
// uses; the only floating point is in FIX(), which libjpeg also evaluates in double at table-build time.

/** Fixed-point precision of libjpeg's colour converters (jccolor.c, jdcolor.c). */
export const SCALEBITS = 16;
/** 0.5 in fixed point: added before a right shift to round to nearest. */
export const ONE_HALF = 1 << (SCALEBITS - 1);
/** The centre sample value for 8-bit JPEG; chroma is stored offset by it. */
const CENTERJSAMPLE = 128;
/** 128 in fixed point: jccolor.c adds it so that Cb and Cr come out centred on 128. */
export const CBCR_OFFSET = CENTERJSAMPLE << SCALEBITS;

/** libjpeg's FIX(x): x in 16-bit fixed point, rounded to nearest. */
export function fix(x: number): number {
  return Math.floor(x * (1 << SCALEBITS) + 0.5);
}

// Integer constants, computed as libjpeg computes them (FIX(1.40200) = 91881 and so on).
const FIX_1_40200 = fix(1.402);
const FIX_1_77200 = fix(1.772);
const FIX_0_71414 = fix(0.71414);
const FIX_0_34414 = fix(0.34414);
const FIX_0_29900 = fix(0.299);
const FIX_0_58700 = fix(0.587);
const FIX_0_11400 = fix(0.114);
const FIX_0_16874 = fix(0.16874);
const FIX_0_33126 = fix(0.33126);
const FIX_0_50000 = fix(0.5);
const FIX_0_41869 = fix(0.41869);
const FIX_0_08131 = fix(0.08131);

/** libjpeg's range_limit[]: the sum of luma and a chroma term can leave 0–255 and is clamped back. */
function clampSample(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

// jdcolor.c precomputes four tables indexed by the stored chroma sample c (x = c − 128). We keep the same
// tables so that a port can be checked table against table, not only pixel against pixel:
//   Cr_r_tab[c] = (FIX(1.40200)·x + ONE_HALF) >> 16        the rounded R offset from Cr
//   Cb_b_tab[c] = (FIX(1.77200)·x + ONE_HALF) >> 16        the rounded B offset from Cb
//   Cr_g_tab[c] = −FIX(0.71414)·x                          G offset from Cr, still scaled by 2^16
//   Cb_g_tab[c] = −FIX(0.34414)·x + ONE_HALF               G offset from Cb, scaled, carrying the rounding half
// G adds the two scaled terms before one shift so it is rounded once, not twice. `>>` on these int32 values
// is an arithmetic shift (floor), as libjpeg's RIGHT_SHIFT.
const CR_R = new Int32Array(256);
const CB_B = new Int32Array(256);
const CR_G = new Int32Array(256);
const CB_G = new Int32Array(256);
for (let c = 0; c < 256; c++) {
  const x = c - CENTERJSAMPLE;
  CR_R[c] = (FIX_1_40200 * x + ONE_HALF) >> SCALEBITS;
  CB_B[c] = (FIX_1_77200 * x + ONE_HALF) >> SCALEBITS;
  CR_G[c] = -FIX_0_71414 * x;
  CB_G[c] = -FIX_0_34414 * x + ONE_HALF;
}

/** The four chroma tables of jdcolor.c's build_ycc_rgb_table, each indexed by the stored sample 0–255. */
export function ycbcrToRgbTables(): { crR: Int32Array; cbB: Int32Array; crG: Int32Array; cbG: Int32Array } {
  return { crR: CR_R.slice(), cbB: CB_B.slice(), crG: CR_G.slice(), cbG: CB_G.slice() };
}

/**
 * One YCbCr pixel (JFIF, full range, chroma centred on 128) to RGB, as jdcolor.c's ycc_rgb_convert:
 * R = y + Cr_r_tab[cr], G = y + ((Cb_g_tab[cb] + Cr_g_tab[cr]) >> 16), B = y + Cb_b_tab[cb], each clamped to 0–255.
 */
export function ycbcrToRgb(y: number, cb: number, cr: number): [number, number, number] {
  return [
    clampSample(y + CR_R[cr]!),
    clampSample(y + ((CB_G[cb]! + CR_G[cr]!) >> SCALEBITS)),
    clampSample(y + CB_B[cb]!),
  ];
}

/**
 * One RGB pixel to YCbCr, as jccolor.c's rgb_ycc_convert:
 * Y  = ( FIX(0.29900)·R + FIX(0.58700)·G + FIX(0.11400)·B + ONE_HALF) >> 16
 * Cb = (−FIX(0.16874)·R − FIX(0.33126)·G + FIX(0.5)·B + CBCR_OFFSET + ONE_HALF − 1) >> 16
 * Cr = ( FIX(0.5)·R − FIX(0.41869)·G − FIX(0.08131)·B + CBCR_OFFSET + ONE_HALF − 1) >> 16
 * The "− 1" makes the rounding half 0.5 − ε so that the largest Cb/Cr (pure blue/red: 128 + 127.5) rounds to 255
 * rather than 256, which lets libjpeg skip range limiting; every result is already in 0–255.
 */
export function rgbToYcbcr(r: number, g: number, b: number): [number, number, number] {
  const y = (FIX_0_29900 * r + FIX_0_58700 * g + FIX_0_11400 * b + ONE_HALF) >> SCALEBITS;
  const cb = (-FIX_0_16874 * r - FIX_0_33126 * g + FIX_0_50000 * b + CBCR_OFFSET + ONE_HALF - 1) >> SCALEBITS;
  const cr = (FIX_0_50000 * r - FIX_0_41869 * g - FIX_0_08131 * b + CBCR_OFFSET + ONE_HALF - 1) >> SCALEBITS;
  return [y, cb, cr];
}

/**
 * One CMYK pixel as stored in an Adobe JPEG (inverted: 0 = full ink, 255 = no ink) to RGB, the way
 * libjpeg-turbo's djpeg writes a PPM from CMYK (cmyk.h, cmyk_to_rgb): in double precision,
 * R = trunc(C·K / 255 + 0.5), G from M, B from Y. Because the samples are inverted, C·K/255 is already
 * "(1 − cyan)(1 − black)", the naive subtractive model with no colour management.
 */
export function cmykToRgb(c: number, m: number, y: number, k: number): [number, number, number] {
  return [Math.trunc((c * k) / 255 + 0.5), Math.trunc((m * k) / 255 + 0.5), Math.trunc((y * k) / 255 + 0.5)];
}

/**
 * One YCCK pixel (Adobe transform 2) to the inverted CMYK libjpeg stores, as jdcolor.c's ycck_cmyk_convert:
 * the Y, Cb, Cr samples are converted like YCbCr → RGB, then C = 255 − R, M = 255 − G, Y = 255 − B
 * (clamped, as the RGB would be); K is passed through unchanged.
 */
export function ycckToCmyk(y: number, cb: number, cr: number, k: number): [number, number, number, number] {
  const [r, g, b] = ycbcrToRgb(y, cb, cr);
  return [255 - r, 255 - g, 255 - b, k];
}

/** Allocates the output of a whole-buffer helper, or checks that the caller's one is large enough. */
function outputBuffer(pixels: number, channels: number, out: Uint8Array | undefined): Uint8Array {
  const need = pixels * channels;
  if (out === undefined) return new Uint8Array(need);
  if (out.length < need) throw new RangeError(`output buffer holds ${out.length} bytes, need ${need}`);
  return out;
}

/** Interleaved YCbCr (3 bytes a pixel) to interleaved RGB; `out` may be `src` itself (in-place). */
export function ycbcrToRgbBuffer(src: Uint8Array, out?: Uint8Array): Uint8Array {
  const n = Math.floor(src.length / 3);
  const dst = outputBuffer(n, 3, out);
  for (let i = 0; i < n * 3; i += 3) {
    const y = src[i]!;
    const cb = src[i + 1]!;
    const cr = src[i + 2]!;
    dst[i] = clampSample(y + CR_R[cr]!);
    dst[i + 1] = clampSample(y + ((CB_G[cb]! + CR_G[cr]!) >> SCALEBITS));
    dst[i + 2] = clampSample(y + CB_B[cb]!);
  }
  return dst;
}

/** Interleaved RGB (3 bytes a pixel) to interleaved YCbCr; `out` may be `src` itself (in-place). */
export function rgbToYcbcrBuffer(src: Uint8Array, out?: Uint8Array): Uint8Array {
  const n = Math.floor(src.length / 3);
  const dst = outputBuffer(n, 3, out);
  for (let i = 0; i < n * 3; i += 3) {
    const [y, cb, cr] = rgbToYcbcr(src[i]!, src[i + 1]!, src[i + 2]!);
    dst[i] = y;
    dst[i + 1] = cb;
    dst[i + 2] = cr;
  }
  return dst;
}

/** Interleaved inverted CMYK (4 bytes a pixel) to interleaved RGB (3 bytes a pixel), as djpeg's PPM output. */
export function cmykToRgbBuffer(src: Uint8Array, out?: Uint8Array): Uint8Array {
  const n = Math.floor(src.length / 4);
  const dst = outputBuffer(n, 3, out);
  for (let i = 0; i < n; i++) {
    const [r, g, b] = cmykToRgb(src[i * 4]!, src[i * 4 + 1]!, src[i * 4 + 2]!, src[i * 4 + 3]!);
    dst[i * 3] = r;
    dst[i * 3 + 1] = g;
    dst[i * 3 + 2] = b;
  }
  return dst;
}

/** Interleaved YCCK (4 bytes a pixel) to interleaved inverted CMYK; `out` may be `src` itself (in-place). */
export function ycckToCmykBuffer(src: Uint8Array, out?: Uint8Array): Uint8Array {
  const n = Math.floor(src.length / 4);
  const dst = outputBuffer(n, 4, out);
  for (let i = 0; i < n * 4; i += 4) {
    const [c, m, y, k] = ycckToCmyk(src[i]!, src[i + 1]!, src[i + 2]!, src[i + 3]!);
    dst[i] = c;
    dst[i + 1] = m;
    dst[i + 2] = y;
    dst[i + 3] = k;
  }
  return dst;
}
