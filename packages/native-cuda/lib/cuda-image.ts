/**
 * A decoded image that stays in GPU memory (core's DeviceImage, location 'cuda').
 */
import { JpegError, bytesPerPixel, createHostImage, imageByteLength } from '@jpegkit/core';
import type { DeviceImage, HostImage, Orientation, PixelFormat } from '@jpegkit/core';
import type { NativeImageHandle } from './native.js';

/**
 * A CUDA device image: pixels in a pooled device block with rows `pitch` bytes apart. `download()` copies
 * them to host memory; `release()` gives the block back to the pool (idempotent; garbage collection does it
 * too, later).
 *
 * @example
 * ```ts
 * const dev = (await codec.decode(bytes, { location: 'device' })) as CudaImage;
 * const host = await dev.download();
 * dev.release();
 * ```
 */
export class CudaImage implements DeviceImage {
  readonly location = 'cuda' as const;
  readonly backend = 'cuda';
  readonly width: number;
  readonly height: number;
  readonly format: PixelFormat;
  readonly orientation: Orientation;
  /** @internal The native handle (encode and pipelines read the device block through it). */
  readonly handle: NativeImageHandle;

  constructor(handle: NativeImageHandle, orientation: Orientation) {
    this.handle = handle;
    this.width = handle.width;
    this.height = handle.height;
    this.format = handle.format;
    this.orientation = orientation;
  }

  /** Bytes between the starts of two rows in device memory. */
  get pitch(): number {
    return this.handle.pitch;
  }

  get released(): boolean {
    return this.handle.released;
  }

  /** Copies the pixels into `into` (same format, its stride honoured) or a new host image. */
  async download(into?: HostImage): Promise<HostImage> {
    if (this.released) {
      throw new JpegError('E_INVALID_ARGUMENT', 'this device image has been released', { backend: 'cuda' });
    }
    let target: HostImage;
    if (into) {
      const minStride = this.width * bytesPerPixel(this.format);
      const needed = imageByteLength(this.width, this.height, this.format, Math.max(into.stride, minStride));
      if (into.format !== this.format || into.stride < minStride || into.data.length < needed) {
        throw new JpegError(
          'E_INVALID_ARGUMENT',
          `Expected an image that holds ${this.width}×${this.height} ${this.format} (stride ≥ ${minStride}, ${needed} bytes) for into but received ${into.format}, stride ${into.stride} and ${into.data.length} bytes`,
        );
      }
      target = { ...into, width: this.width, height: this.height };
    } else {
      target = createHostImage(this.width, this.height, this.format);
    }
    try {
      await this.handle.download(target.data, target.stride);
    } catch (error) {
      throw toJpegError(error);
    }
    target.orientation = this.orientation;
    target.backend = 'cuda';
    return target;
  }

  release(): void {
    this.handle.release();
  }
}

/** A native rejection (an Error with a jpegkit `code`) as a JpegError from the cuda backend. */
export function toJpegError(error: unknown): JpegError {
  if (error instanceof JpegError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const known = typeof code === 'string' && code.startsWith('E_');
  return new JpegError(known ? (code as JpegError['code']) : 'E_DEVICE_LOST', message, {
    backend: 'cuda',
    cause: error,
  });
}
