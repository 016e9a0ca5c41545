import type { ResolvedDecodeOptions } from './backend.js';
import { JpegError } from './errors.js';
import type { JpegHeader } from './header.js';
import { bytesPerPixel, imageByteLength } from './image.js';

/** Size of a DCT-scaled decode, rounded up as libjpeg does (jdiv_round_up(size · M, 8)). */
export function scaledSize(size: number, scale: number): number {
  return Math.ceil(size * scale);
}

/**
 * The width and height a decode produces: scaled, then cropped (crop is given in scaled, stored-orientation
 * coordinates), then turned upright when `orient` is set (orientations 5–8 swap the axes).
 */
export function decodedSize(
  header: JpegHeader,
  options: ResolvedDecodeOptions,
): { width: number; height: number } {
  let width = scaledSize(header.width, options.scale);
  let height = scaledSize(header.height, options.scale);
  if (options.crop) {
    const { x, y, width: w, height: h } = options.crop;
    if (x + w > width || y + h > height) {
      throw new JpegError(
        'E_INVALID_ARGUMENT',
        `Expected a region inside ${width}×${height} for crop but received ${w}×${h} at (${x}, ${y})`,
      );
    }
    width = w;
    height = h;
  }
  if (options.orient && header.orientation >= 5) [width, height] = [height, width];
  return { width, height };
}

/** Checks that a caller's `into` image can hold the decode; rejects with E_INVALID_ARGUMENT otherwise. */
export function checkIntoCapacity(header: JpegHeader, options: ResolvedDecodeOptions): void {
  const into = options.into;
  if (!into) return;
  const { width, height } = decodedSize(header, options);
  const minStride = width * bytesPerPixel(into.format);
  const needed = imageByteLength(width, height, into.format, Math.max(into.stride, minStride));
  if (into.stride < minStride || into.data.length < needed) {
    throw new JpegError(
      'E_INVALID_ARGUMENT',
      `Expected an image that holds ${width}×${height} ${into.format} (stride ≥ ${minStride}, ${needed} bytes) for into but received stride ${into.stride} and ${into.data.length} bytes`,
    );
  }
}
