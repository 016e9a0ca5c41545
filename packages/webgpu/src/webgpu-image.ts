import { JpegError, bytesPerPixel, imageByteLength } from '@jpegkit/core';
import type { DeviceImage, HostImage, Orientation, PixelFormat } from '@jpegkit/core';
import { BACKEND_NAME } from './gpu-context.js';
import type { GpuContext } from './gpu-context.js';
import type { GpuPixels } from './gpu-pixels.js';
import { downloadPixels } from './pixel-transfer.js';

/**
 * A decoded image that stays on the GPU: {@link GpuPixels} (one RGBA8 word per pixel) that WebGPU kernels can
 * keep working on, in `format` once downloaded.
 *
 * @example
 * ```ts
 * const img = (await codec.decode(bytes, { location: 'device' })) as WebGPUImage;
 * const host = await img.download(); // rgb bytes
 * img.release();                      // the buffer goes back to the backend's pool
 * ```
 */
export class WebGPUImage implements DeviceImage {
  readonly location = 'webgpu' as const;
  readonly backend = BACKEND_NAME;
  readonly width: number;
  readonly height: number;
  #pixels: GpuPixels | undefined;

  /** @internal Made by the webgpu backend. */
  constructor(
    readonly context: GpuContext,
    pixels: GpuPixels,
    readonly format: PixelFormat,
    readonly orientation: Orientation,
  ) {
    this.#pixels = pixels;
    this.width = pixels.width;
    this.height = pixels.height;
  }

  get released(): boolean {
    return this.#pixels === undefined;
  }

  /** The pixels on the GPU (throws once released). */
  get pixels(): GpuPixels {
    if (!this.#pixels) throw new JpegError('E_INVALID_ARGUMENT', 'this WebGPUImage has been released');
    return this.#pixels;
  }

  /** Copies the image to the host in its format, into `into` when given (same format, large enough). */
  async download(into?: HostImage): Promise<HostImage> {
    if (this.released) throw new JpegError('E_INVALID_ARGUMENT', 'this WebGPUImage has been released');
    if (into) {
      const minStride = this.width * bytesPerPixel(this.format);
      if (
        into.format !== this.format ||
        into.stride < minStride ||
        into.data.length < imageByteLength(this.width, this.height, this.format, into.stride)
      ) {
        throw new JpegError(
          'E_INVALID_ARGUMENT',
          `Expected an image that holds ${this.width}×${this.height} ${this.format} for into but received ${into.format} with stride ${into.stride} and ${into.data.length} bytes`,
        );
      }
    }
    // The pixels are read once the pack kernel is ready: a release() meanwhile must not leave us packing a
    // buffer the pool handed on.
    return downloadPixels(this.context, () => this.pixels, this.format, {
      orientation: this.orientation,
      ...(into ? { into } : {}),
    });
  }

  /** Gives the GPU buffer back to the backend's pool; idempotent. */
  release(): void {
    if (!this.#pixels) return;
    this.context.buffers.release(this.#pixels.buffer);
    this.#pixels = undefined;
  }
}
