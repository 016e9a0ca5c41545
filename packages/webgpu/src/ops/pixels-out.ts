import { JpegError } from '@jpegkit/core';
import { PIXEL_BUFFER_USAGE, pixelBufferBytes } from '../gpu-pixels.js';
import type { GpuPixels } from '../gpu-pixels.js';
import type { GpuFrame } from './gpu-frame.js';

/**
 * Throws E_UNSUPPORTED when one buffer of `bytes` would not fit a storage binding of this device: the image is
 * too large for this GPU, not for jpegkit, so core hands the work to the next backend.
 */
export function checkBindingSize(device: GPUDevice, bytes: number, what: string): void {
  const limit = device.limits.maxStorageBufferBindingSize;
  if (bytes > limit) {
    throw new JpegError(
      'E_UNSUPPORTED',
      `${what} needs a ${bytes}-byte GPU buffer; this device binds at most ${limit} bytes`,
      { backend: 'webgpu' },
    );
  }
}

/** A new pooled pixel buffer for a `width`×`height` result of a kernel (the caller owns it). */
export function outputPixels(frame: GpuFrame, width: number, height: number, gray: boolean): GpuPixels {
  const bytes = pixelBufferBytes(width, height);
  checkBindingSize(frame.context.device, bytes, `a ${width}x${height} image`);
  const buffer = frame.context.buffers.acquire(bytes, PIXEL_BUFFER_USAGE, 'jpegkit pixels');
  return { buffer, width, height, gray };
}

/** Workgroups [x, y] of a 256-wide 1-D kernel over `count` items (x capped at the 65535 dispatch limit). */
export function linearGroups(count: number): [number, number] {
  const total = Math.max(1, Math.ceil(count / 256));
  const x = Math.min(total, 65535);
  return [x, Math.ceil(total / x)];
}
