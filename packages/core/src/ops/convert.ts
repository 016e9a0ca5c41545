import { checkInteger, checkOneOf } from '../args.js';
import { bytesPerPixel, PIXEL_FORMATS } from '../image.js';
import { blankLike, channelLayouts } from './layout.js';
import type { HostImage, PixelFormat } from '../image.js';

/** What each channel of a format holds, in storage order ('y' is the single grey channel). */
const CHANNEL_ROLES: Record<PixelFormat, readonly ('r' | 'g' | 'b' | 'a' | 'y')[]> = {
  rgb: ['r', 'g', 'b'],
  rgba: ['r', 'g', 'b', 'a'],
  bgr: ['b', 'g', 'r'],
  bgra: ['b', 'g', 'r', 'a'],
  gray: ['y'],
  'rgb-planar': ['r', 'g', 'b'],
  'bgr-planar': ['b', 'g', 'r'],
};

/**
 * Luma of an sRGB pixel exactly as libjpeg computes Y when it turns RGB into greyscale (jccolor.c): the
 * weights 0.299, 0.587, 0.114 in 16-bit fixed point, FIX(x) = round(x · 65536), plus one half for rounding.
 * The three weights sum to exactly 65536, so grey (v, v, v) maps back to v.
 */
export function rgbToGray(r: number, g: number, b: number): number {
  return (19595 * r + 38470 * g + 7471 * b + 32768) >> 16;
}

/** Options of {@link convertImage}. */
export interface ConvertOptions {
  /** Row stride of the result in bytes (per plane for planar formats). Default: width · bytesPerPixel. */
  stride?: number;
}

/**
 * Converts between any two of the seven pixel formats; the input's stride is honoured and the result has
 * `options.stride` (default tight). The rules:
 * - colour → colour: channels reordered (rgb ↔ bgr, interleaved ↔ planar);
 * - an alpha channel is added as 255 (opaque) or dropped (not composited onto anything);
 * - colour → gray: {@link rgbToGray}, libjpeg's fixed-point luma (alpha ignored);
 * - gray → colour: the grey value replicated into R, G and B.
 * Converting to the same format is a copy (re-packed to the requested stride).
 */
export function convertImage(img: HostImage, format: PixelFormat, options: ConvertOptions = {}): HostImage {
  checkOneOf(format, 'format', PIXEL_FORMATS);
  const minStride = img.width * bytesPerPixel(format);
  const stride = checkInteger(options.stride ?? minStride, 'stride', minStride, 2 ** 31);
  const out = blankLike(img, img.width, img.height, format, stride);
  out.format = format;

  const src = channelLayouts(img);
  const dst = channelLayouts(out);
  const srcRoles = CHANNEL_ROLES[img.format];
  // For gray input, R, G and B all read the one channel; a missing alpha reads as -1 and becomes 255.
  const find = (role: 'r' | 'g' | 'b' | 'a'): number => {
    const i = srcRoles.indexOf(role);
    return i >= 0 || role === 'a' ? i : 0;
  };
  const from = { r: find('r'), g: find('g'), b: find('b'), a: find('a') };
  const at = (c: number, x: number, y: number): number => {
    const l = src[c]!;
    return img.data[l.base + y * l.rowStride + x * l.step]!;
  };

  const dstRoles = CHANNEL_ROLES[format];
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const r = at(from.r, x, y);
      const g = at(from.g, x, y);
      const b = at(from.b, x, y);
      for (let c = 0; c < dstRoles.length; c++) {
        const role = dstRoles[c]!;
        let v: number;
        if (role === 'y') v = img.format === 'gray' ? r : rgbToGray(r, g, b);
        else if (role === 'a') v = from.a >= 0 ? at(from.a, x, y) : 255;
        else v = role === 'r' ? r : role === 'g' ? g : b;
        const l = dst[c]!;
        out.data[l.base + y * l.rowStride + x * l.step] = v;
      }
    }
  }
  return out;
}
