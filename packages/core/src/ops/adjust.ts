import { checkNumber } from '../args.js';
import { alphaChannel, blankLike, channelLayouts, roundToByte } from './layout.js';
import type { HostImage } from '../image.js';

/**
 * The 256-entry table of brightness/contrast: entry v is
 * `clamp(floor((v − 128) · contrast + 128 + brightness · 255 + 0.5), 0, 255)`.
 * Contrast pivots on 128 (not 127.5) so that mid-grey 128 stays exactly 128 at brightness 0; rounding is half
 * up. Backends may apply the formula directly or upload this table — the results are identical.
 */
export function adjustTable(brightness: number, contrast: number): Uint8Array {
  checkNumber(brightness, 'brightness', -1, 1);
  checkNumber(contrast, 'contrast', 0, 4);
  const table = new Uint8Array(256);
  for (let v = 0; v < 256; v++) table[v] = roundToByte((v - 128) * contrast + 128 + brightness * 255);
  return table;
}

/**
 * Brightness/contrast on every colour channel; alpha is copied untouched (a brighter picture must not become
 * more opaque). `brightness` is −1 … 1 in units of full scale, `contrast` 0 … 4 (1 = unchanged).
 *
 * @example
 * ```ts
 * adjustImage(img, 0.1, 1.2); // a little brighter, 20 % more contrast
 * ```
 */
export function adjustImage(img: HostImage, brightness: number, contrast: number): HostImage {
  const table = adjustTable(brightness, contrast);
  const out = blankLike(img, img.width, img.height);
  const src = channelLayouts(img);
  const dst = channelLayouts(out);
  const alpha = alphaChannel(img.format);
  for (let c = 0; c < src.length; c++) {
    const s = src[c]!;
    const d = dst[c]!;
    for (let y = 0; y < img.height; y++) {
      let si = s.base + y * s.rowStride;
      let di = d.base + y * d.rowStride;
      for (let x = 0; x < img.width; x++, si += s.step, di += d.step) {
        const v = img.data[si]!;
        out.data[di] = c === alpha ? v : table[v]!;
      }
    }
  }
  return out;
}
