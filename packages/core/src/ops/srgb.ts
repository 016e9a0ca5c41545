// The exact sRGB transfer curve (IEC 61966-2-1), used by resize's `linear: true`. Values here are in
// 0–255 units on both sides so that linear-light samples can go through the same filters and rounding as
// gamma-encoded ones.

/** sRGB-encoded sample (0–255, may be fractional) to linear light in 0–255 units. */
export function srgbToLinear(v: number): number {
  const s = v / 255;
  const l = s <= 0.04045 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
  return l * 255;
}

/** Linear light in 0–255 units to an sRGB-encoded sample in 0–255 units, not rounded; clamps to 0–255 first. */
export function linearToSrgb(v: number): number {
  const l = v <= 0 ? 0 : v >= 255 ? 1 : v / 255;
  const s = l <= 0.0031308 ? l * 12.92 : 1.055 * Math.pow(l, 1 / 2.4) - 0.055;
  return s * 255;
}

/** srgbToLinear of each byte value 0–255, for decoding whole images with one lookup a sample. */
export const SRGB_TO_LINEAR_TABLE: Float64Array = (() => {
  const t = new Float64Array(256);
  for (let v = 0; v < 256; v++) t[v] = srgbToLinear(v);
  return t;
})();
