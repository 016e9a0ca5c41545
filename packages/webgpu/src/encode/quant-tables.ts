import { checkInteger } from '@jpegkit/core';

// The sample quantisation tables of the JPEG standard (ITU-T T.81 Annex K, tables K.1 and K.2), in natural
// (row-major) order — the tables libjpeg's jpeg_set_quality scales.

/** Annex K.1: luminance. */
export const STD_LUMINANCE_QUANT: readonly number[] = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22,
  29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103,
  121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];

/** Annex K.2: chrominance. */
export const STD_CHROMINANCE_QUANT: readonly number[] = [
  17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99,
  99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
];

/** libjpeg's jpeg_quality_scaling: quality 1–100 to a percentage (5000 / q below 50, 200 − 2q from 50). */
export function qualityScaling(quality: number): number {
  const q = Math.min(Math.max(Math.trunc(quality), 1), 100);
  return q < 50 ? Math.trunc(5000 / q) : 200 - q * 2;
}

/**
 * libjpeg's jpeg_add_quant_table: each entry (basic · scale + 50) / 100 in integers, at least 1, at most 32767,
 * or at most 255 with `forceBaseline` (cjpeg and our encoders pass false, so low qualities get 16-bit tables).
 */
export function scaleQuantTable(basic: readonly number[], scale: number, forceBaseline = false): Uint16Array {
  return Uint16Array.from(basic, (value) => {
    let q = Math.trunc((value * scale + 50) / 100);
    if (q <= 0) q = 1;
    if (q > 32767) q = 32767;
    if (forceBaseline && q > 255) q = 255;
    return q;
  });
}

/**
 * The luminance and chrominance tables of jpeg_set_quality(quality, force_baseline = FALSE), natural order —
 * the tables @jpegkit/wasm's encoder (and cjpeg -quality Q) writes.
 */
export function quantTablesForQuality(quality: number): { luminance: Uint16Array; chrominance: Uint16Array } {
  checkInteger(quality, 'quality', 1, 100);
  const scale = qualityScaling(quality);
  return {
    luminance: scaleQuantTable(STD_LUMINANCE_QUANT, scale),
    chrominance: scaleQuantTable(STD_CHROMINANCE_QUANT, scale),
  };
}
