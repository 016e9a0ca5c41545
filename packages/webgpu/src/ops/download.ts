import { createHostImage, ops } from '@jpegkit/core';
import type { PixelFormat, HostImage } from '@jpegkit/core';
import { pixelBufferBytes } from '../gpu-pixels.js';
import type { GpuPixels } from '../gpu-pixels.js';
import { bufferPoolFor } from './buffer-pool.js';
import { mapForReading, USAGE } from './gpu-frame.js';

/**
 * Reads GPU pixels back into a tightly packed host image of `format` (core's convertImage from RGBA8, so gray is
 * the R byte, which equals G and B for gray pixels, and formats without alpha drop A). Waits for the queue.
 *
 * @example
 * ```ts
 * const img = await downloadHostImage(device, pixels, 'rgb');
 * ```
 */
export async function downloadHostImage(
  device: GPUDevice,
  pixels: GpuPixels,
  format: PixelFormat,
): Promise<HostImage> {
  const bytes = pixelBufferBytes(pixels.width, pixels.height);
  const pool = bufferPoolFor(device);
  const staging = pool.acquire(bytes, USAGE.MAP_READ | USAGE.COPY_DST, 'jpegkit read-back');
  try {
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(pixels.buffer, 0, staging, 0, bytes);
    device.queue.submit([encoder.finish()]);
    const data = new Uint8Array(await mapForReading(staging), 0, bytes);
    const rgba = createHostImage(pixels.width, pixels.height, 'rgba', { data });
    if (format === 'gray') {
      // The stored value itself (R), not a luma recomputed from it.
      const gray = createHostImage(pixels.width, pixels.height, 'gray');
      for (let i = 0; i < gray.data.length; i++) gray.data[i] = data[i * 4]!;
      return gray;
    }
    return ops.convertImage(rgba, format);
  } finally {
    pool.release(staging);
  }
}
