import { bytesPerPixel, channelCount, isPlanar } from '../image.js';
import type { HostImage, PixelFormat } from '../image.js';

/**
 * Where one channel's samples lie in an image's buffer: sample (x, y) of the channel is at
 * `base + y * rowStride + x * step`. Interleaved and planar formats both reduce to this, so every op can walk
 * channels the same way without asking which layout it has.
 */
export interface ChannelLayout {
  base: number;
  step: number;
  rowStride: number;
}

/** The layout of every channel of an image, in the format's channel order. */
export function channelLayouts(img: HostImage): ChannelLayout[] {
  const channels = channelCount(img.format);
  const layouts: ChannelLayout[] = [];
  for (let c = 0; c < channels; c++) {
    layouts.push(
      isPlanar(img.format)
        ? { base: c * img.stride * img.height, step: 1, rowStride: img.stride }
        : { base: c, step: channels, rowStride: img.stride },
    );
  }
  return layouts;
}

/** The index of the alpha channel of a format, or -1 when it has none (rgba and bgra keep alpha last). */
export function alphaChannel(format: PixelFormat): number {
  return format === 'rgba' || format === 'bgra' ? 3 : -1;
}

/**
 * A new, zero-filled image, tightly packed (stride = width · bytesPerPixel) unless `stride` says otherwise,
 * that carries over the metadata of `like`: orientation, ICC profile and backend. Ops build their results with it so they never share or
 * modify the input's buffer.
 */
export function blankLike(
  like: HostImage,
  width: number,
  height: number,
  format: PixelFormat = like.format,
  stride: number = width * bytesPerPixel(format),
): HostImage {
  const planes = isPlanar(format) ? 3 : 1;
  const out: HostImage = {
    width,
    height,
    format,
    stride,
    data: new Uint8Array(stride * height * planes),
    orientation: like.orientation,
  };
  if (like.icc !== undefined) out.icc = like.icc;
  if (like.backend !== undefined) out.backend = like.backend;
  return out;
}

/**
 * Rounds half up and clamps to 0–255, the one rounding rule of every reference op (backends use
 * `floor(x + 0.5)` then clamp, never banker's rounding or truncation).
 */
export function roundToByte(x: number): number {
  if (!(x > 0)) return 0; // also maps NaN to 0
  if (x >= 254.5) return 255;
  return Math.floor(x + 0.5);
}
