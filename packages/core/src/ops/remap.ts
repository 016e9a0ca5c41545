import { channelLayouts, blankLike } from './layout.js';
import type { HostImage } from '../image.js';

/**
 * Says, for output pixel (x, y), which input pixel it copies: returns the input column and row through
 * `into` (a two-slot array reused across calls so that walking a large image allocates nothing).
 */
export type PixelMap = (x: number, y: number, into: [number, number]) => void;

/**
 * Builds a `width`×`height` image whose every pixel is a copy of the input pixel `map` names. Crop, rotate,
 * flip, flop, transpose, transverse and orientation are all such pure copies, so they share this loop and
 * differ only in their map; the mapped coordinates must lie inside the input.
 */
export function remapPixels(img: HostImage, width: number, height: number, map: PixelMap): HostImage {
  const out = blankLike(img, width, height);
  const src = channelLayouts(img);
  const dst = channelLayouts(out);
  const at: [number, number] = [0, 0];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      map(x, y, at);
      const [sx, sy] = at;
      for (let c = 0; c < src.length; c++) {
        const s = src[c]!;
        const d = dst[c]!;
        out.data[d.base + y * d.rowStride + x * d.step] = img.data[s.base + sy * s.rowStride + sx * s.step]!;
      }
    }
  }
  return out;
}
