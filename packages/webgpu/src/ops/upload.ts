import { checkHostImage, ops } from '@jpegkit/core';
import type { HostImage } from '@jpegkit/core';
import { PIXEL_BUFFER_USAGE, pixelBufferBytes } from '../gpu-pixels.js';
import type { GpuPixels } from '../gpu-pixels.js';
import { bufferPoolFor } from './buffer-pool.js';
import type { GpuBufferPool } from './buffer-pool.js';
import { checkBindingSize } from './pixels-out.js';

/** GPU pixels made from a host image, and whether their A byte is an alpha channel (rgba and bgra inputs). */
export interface UploadedPixels {
  pixels: GpuPixels;
  alpha: boolean;
}

/**
 * Copies a host image of any format and stride into {@link GpuPixels} (packed RGBA8 on the host with core's
 * convertImage, then one queue write): gray images set `gray`, formats without alpha get A = 255. The buffer
 * comes from `pool` (default the device's shared pool); the caller owns it.
 *
 * @example
 * ```ts
 * const { pixels, alpha } = uploadHostImage(device, img);
 * const out = await runOps(kernels, pixels, steps, { alpha });
 * ```
 */
export function uploadHostImage(
  device: GPUDevice,
  image: HostImage,
  pool: GpuBufferPool = bufferPoolFor(device),
): UploadedPixels {
  checkHostImage(image);
  const rgba = ops.convertImage(image, 'rgba');
  const bytes = pixelBufferBytes(image.width, image.height);
  checkBindingSize(device, bytes, `a ${image.width}x${image.height} image`);
  const buffer = pool.acquire(bytes, PIXEL_BUFFER_USAGE, 'jpegkit pixels');
  device.queue.writeBuffer(buffer, 0, rgba.data.buffer, rgba.data.byteOffset, bytes);
  return {
    pixels: { buffer, width: image.width, height: image.height, gray: image.format === 'gray' },
    alpha: image.format === 'rgba' || image.format === 'bgra',
  };
}
