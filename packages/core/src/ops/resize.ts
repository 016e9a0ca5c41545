import { checkBoolean, checkInteger, checkOneOf } from '../args.js';
import { channelCount } from '../image.js';
import { RESIZE_FILTERS } from '../pipeline.js';
import { computeContributions } from './contributions.js';
import { alphaChannel, blankLike, channelLayouts, roundToByte } from './layout.js';
import { linearToSrgb, SRGB_TO_LINEAR_TABLE } from './srgb.js';
import type { HostImage } from '../image.js';
import type { ResizeFilter } from '../pipeline.js';

export { computeContributions } from './contributions.js';
export type { ContributionTable } from './contributions.js';

/** How {@link resizeImage} resamples. */
export interface ResampleOptions {
  /** Default 'lanczos3'. */
  filter?: ResizeFilter;
  /** Filter in linear light instead of on the sRGB-encoded values. Default false. */
  linear?: boolean;
}

/**
 * Resamples an image to exactly `width`×`height` (no aspect handling — see fit.ts for that). This is the
 * reference every backend's resize kernel is held to, ±1 per channel. The algorithm, step by step:
 *
 * 1. Weights: one {@link computeContributions} table per axis (pixel-centre mapping
 *    src = (dst + 0.5) · srcSize/dstSize − 0.5, kernel stretched by the factor when shrinking, edges
 *    replicated, weights summing to 1). Every channel uses the same tables.
 * 2. Decode each sample to float: with `linear`, colour samples go through the exact sRGB curve
 *    (0–255 units, see srgb.ts); alpha never does. With alpha (rgba, bgra), colour is then premultiplied:
 *    c · a / 255, so transparent pixels do not bleed their colour into their neighbours.
 * 3. Horizontal pass first: every input row is filtered to the output width into a Float32Array holding
 *    srcHeight × width × channels (interleaved, whatever the input layout).
 * 4. Vertical pass: each output sample is the weighted sum down that intermediate.
 * 5. Encode: alpha is the filtered alpha; colour is un-premultiplied by the filtered alpha clamped to 0–255
 *    (c · 255 / a), except that where the alpha rounds to 0 (a < 0.5) the colour is 0 — a fully transparent
 *    result is (0, 0, 0, 0). With `linear`, colour is clamped to 0–255 and re-encoded with the sRGB curve.
 * 6. Round half up (floor(x + 0.5)) and clamp to 0–255. Overshoot of the negative-lobed filters (lanczos3,
 *    catmull-rom, mitchell) is clamped only here, never in the float intermediate.
 *
 * Planar formats resample each plane; the result is tightly packed, in the input's format and metadata.
 */
export function resizeImage(
  img: HostImage,
  width: number,
  height: number,
  options: ResampleOptions = {},
): HostImage {
  checkInteger(width, 'width', 1, 2 ** 30);
  checkInteger(height, 'height', 1, 2 ** 30);
  const filter = checkOneOf(options.filter ?? 'lanczos3', 'filter', RESIZE_FILTERS);
  const linear = checkBoolean(options.linear ?? false, 'linear');

  const channels = channelCount(img.format);
  const alpha = alphaChannel(img.format);
  const srcW = img.width;
  const srcH = img.height;
  const hTable = computeContributions(srcW, width, filter);
  const vTable = computeContributions(srcH, height, filter);
  const src = channelLayouts(img);

  // Steps 2 and 3, a row at a time: decode into `row`, then filter horizontally into `mid`.
  const row = new Float32Array(srcW * channels);
  const mid = new Float32Array(srcH * width * channels);
  for (let y = 0; y < srcH; y++) {
    for (let c = 0; c < channels; c++) {
      const l = src[c]!;
      let i = l.base + y * l.rowStride;
      for (let x = 0; x < srcW; x++, i += l.step) {
        const v = img.data[i]!;
        row[x * channels + c] = linear && c !== alpha ? SRGB_TO_LINEAR_TABLE[v]! : v;
      }
    }
    if (alpha >= 0) {
      for (let x = 0; x < srcW; x++) {
        const a = row[x * channels + alpha]! / 255;
        for (let c = 0; c < channels; c++) if (c !== alpha) row[x * channels + c]! *= a;
      }
    }
    const midRow = y * width * channels;
    for (let dx = 0; dx < width; dx++) {
      const start = hTable.start[dx]!;
      const count = hTable.count[dx]!;
      const w0 = dx * hTable.taps;
      for (let c = 0; c < channels; c++) {
        let sum = 0;
        for (let k = 0; k < count; k++) sum += hTable.weights[w0 + k]! * row[(start + k) * channels + c]!;
        mid[midRow + dx * channels + c] = sum;
      }
    }
  }

  // Steps 4 to 6.
  const out = blankLike(img, width, height);
  const dst = channelLayouts(out);
  const px = new Float64Array(channels);
  for (let dy = 0; dy < height; dy++) {
    const start = vTable.start[dy]!;
    const count = vTable.count[dy]!;
    const w0 = dy * vTable.taps;
    for (let dx = 0; dx < width; dx++) {
      for (let c = 0; c < channels; c++) {
        let sum = 0;
        for (let k = 0; k < count; k++)
          sum += vTable.weights[w0 + k]! * mid[((start + k) * width + dx) * channels + c]!;
        px[c] = sum;
      }
      if (alpha >= 0) {
        const a = Math.min(Math.max(px[alpha]!, 0), 255);
        for (let c = 0; c < channels; c++) if (c !== alpha) px[c] = a < 0.5 ? 0 : (px[c]! * 255) / a;
      }
      for (let c = 0; c < channels; c++) {
        const v = linear && c !== alpha ? linearToSrgb(px[c]!) : px[c]!;
        const l = dst[c]!;
        out.data[l.base + dy * l.rowStride + dx * l.step] = roundToByte(v);
      }
    }
  }
  return out;
}
