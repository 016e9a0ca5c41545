import { checkNumber } from '../args.js';
import { alphaChannel, blankLike, channelLayouts, roundToByte } from './layout.js';
import type { HostImage } from '../image.js';

/**
 * The 1-D Gaussian of the unsharp mask: radius r = ceil(3σ), weights exp(−k² / 2σ²) for k = −r … r, normalised
 * to sum to 1. Index k + r holds the weight of offset k.
 */
export function gaussianWeights(sigma: number): Float32Array {
  checkNumber(sigma, 'sigma', 0.3, 10);
  const radius = Math.ceil(3 * sigma);
  const weights = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let k = -radius; k <= radius; k++) {
    const w = Math.exp(-(k * k) / (2 * sigma * sigma));
    weights[k + radius] = w;
    sum += w;
  }
  return Float32Array.from(weights, (w) => w / sum);
}

/**
 * Unsharp mask. Per colour channel, on the stored (gamma-encoded) values:
 *
 * 1. blur = the image blurred by {@link gaussianWeights}(sigma), separably — horizontal pass first into a
 *    Float32Array, then vertical — with edges replicated (an offset past the border reads the border sample)
 *    and the blur never rounded;
 * 2. out = v + amount · (v − blur) where |v − blur| > threshold, else v (threshold in 0–255 sample units, so
 *    0 sharpens everything that differs at all);
 * 3. round half up and clamp to 0–255.
 *
 * Alpha is copied untouched. `sigma` 0.3–10, `amount` 0–10, `threshold` 0–255.
 *
 * @example
 * ```ts
 * sharpenImage(img, 1, 0.8, 2);
 * ```
 */
export function sharpenImage(img: HostImage, sigma: number, amount = 1, threshold = 0): HostImage {
  const weights = gaussianWeights(sigma);
  checkNumber(amount, 'amount', 0, 10);
  checkNumber(threshold, 'threshold', 0, 255);
  const radius = (weights.length - 1) / 2;
  const { width, height } = img;
  const out = blankLike(img, width, height);
  const src = channelLayouts(img);
  const dst = channelLayouts(out);
  const alpha = alphaChannel(img.format);
  const plane = new Float32Array(width * height);
  const mid = new Float32Array(width * height);

  for (let c = 0; c < src.length; c++) {
    const s = src[c]!;
    const d = dst[c]!;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) plane[y * width + x] = img.data[s.base + y * s.rowStride + x * s.step]!;
    }
    if (c === alpha) {
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++)
          out.data[d.base + y * d.rowStride + x * d.step] = plane[y * width + x]!;
      }
      continue;
    }
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let sum = 0;
        for (let k = -radius; k <= radius; k++) {
          const sx = Math.min(Math.max(x + k, 0), width - 1);
          sum += weights[k + radius]! * plane[y * width + sx]!;
        }
        mid[y * width + x] = sum;
      }
    }
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let blur = 0;
        for (let k = -radius; k <= radius; k++) {
          const sy = Math.min(Math.max(y + k, 0), height - 1);
          blur += weights[k + radius]! * mid[sy * width + x]!;
        }
        const v = plane[y * width + x]!;
        const diff = v - blur;
        out.data[d.base + y * d.rowStride + x * d.step] = roundToByte(
          Math.abs(diff) > threshold ? v + amount * diff : v,
        );
      }
    }
  }
  return out;
}
