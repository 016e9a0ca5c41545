/**
 * Moving pixels between the host and the GPU: host images of any format and stride become {@link GpuPixels},
 * and GpuPixels come back as host images of any format (laid out by pack-pixels.wgsl on the GPU, so only the
 * bytes of the requested format cross the bus).
 */
import { checkHostImage, ops } from '@jpegkit/core';
import type { HostImage, Orientation, PixelFormat } from '@jpegkit/core';
import { BACKEND_NAME } from './gpu-context.js';
import type { GpuContext } from './gpu-context.js';
import { PIXEL_BUFFER_USAGE, pixelBufferBytes } from './gpu-pixels.js';
import type { GpuPixels } from './gpu-pixels.js';
import { checkBindingSize } from './ops/pixels-out.js';
import { PACK_SHADER, deliver, fullView, recordPack } from './pack/record-pack.js';
import { submitAndRead } from './pack/submit-and-read.js';

/** GPU pixels made from a host image, and whether their A byte is an alpha channel (rgba and bgra inputs). */
export interface UploadedPixels {
  pixels: GpuPixels;
  alpha: boolean;
}

/**
 * Copies a host image of any format and stride into {@link GpuPixels} (packed RGBA8 on the host with core's
 * convertImage, then one queue write): gray images set `gray`, formats without alpha get A = 255. The buffer
 * comes from the context's pool; the caller owns it.
 *
 * @example
 * ```ts
 * const { pixels, alpha } = uploadHostImage(ctx, img);
 * const out = await runOps(ctx, pixels, steps, { alpha });
 * ```
 */
export function uploadHostImage(ctx: GpuContext, image: HostImage): UploadedPixels {
  checkHostImage(image);
  const rgba = ops.convertImage(image, 'rgba');
  const bytes = pixelBufferBytes(image.width, image.height);
  checkBindingSize(ctx.device, bytes, `a ${image.width}x${image.height} image`);
  const buffer = ctx.upload(rgba.data.subarray(0, bytes), 'jpegkit pixels', PIXEL_BUFFER_USAGE);
  return {
    pixels: { buffer, width: image.width, height: image.height, gray: image.format === 'gray' },
    alpha: image.format === 'rgba' || image.format === 'bgra',
  };
}

export interface DownloadOptions {
  /** The orientation the host image reports. Default 1. */
  orientation?: Orientation;
  /** Write into this image (its stride; same format, large enough — checked by the caller). */
  into?: HostImage;
}

/**
 * Reads GPU pixels back as a host image of `format`: gray takes the R byte (equal to G and B for gray pixels),
 * formats without alpha drop A. `pixels` may be a getter, read once the pack kernel is ready, so that a buffer
 * released meanwhile is never read.
 *
 * @example
 * ```ts
 * const img = await downloadPixels(ctx, pixels, 'rgb');
 * ```
 */
export async function downloadPixels(
  ctx: GpuContext,
  pixels: GpuPixels | (() => GpuPixels),
  format: PixelFormat,
  options: DownloadOptions = {},
): Promise<HostImage> {
  const pipeline = await ctx.kernels.pipeline(PACK_SHADER);
  const source = typeof pixels === 'function' ? pixels() : pixels;
  const image = await submitAndRead(
    ctx,
    (encoder) => {
      const packed = recordPack(ctx, pipeline, encoder, source, fullView(source), format);
      return {
        reads: [{ buffer: packed.output, bytes: packed.bytes }],
        scratch: [...packed.scratch, packed.output],
      };
    },
    ([bytes]) => deliver(bytes!, source.width, source.height, format, options.orientation ?? 1, options.into),
  );
  image.backend = BACKEND_NAME;
  return image;
}
