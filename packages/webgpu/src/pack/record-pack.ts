/**
 * Reading GpuPixels out: pack-pixels.wgsl lays them out as a host pixel format (or as new GpuPixels) with a crop
 * and an EXIF orientation applied, and the host copies the packed rows into a HostImage with its stride.
 */
import { bytesPerPixel, isPlanar } from '@jpegkit/core';
import type { HostImage, Orientation, PixelFormat } from '@jpegkit/core';
import type { GpuContext } from '../gpu-context.js';
import { PIXEL_BUFFER_USAGE, pixelBufferBytes } from '../gpu-pixels.js';
import type { GpuPixels } from '../gpu-pixels.js';
import { USAGE } from '../buffer-pool.js';

export const PACK_SHADER = new URL('../shaders/pack-pixels.wgsl', import.meta.url);

const WORKGROUP = 64;
const LAYOUT = { interleaved: 0, planar: 1, pixels: 2 } as const;

/** Which bytes of a GpuPixels word (0 R, 1 G, 2 B, 3 A) each channel of a format takes. */
const CHANNELS: Record<PixelFormat, readonly number[]> = {
  rgb: [0, 1, 2],
  rgba: [0, 1, 2, 3],
  bgr: [2, 1, 0],
  bgra: [2, 1, 0, 3],
  gray: [0],
  'rgb-planar': [0, 1, 2],
  'bgr-planar': [2, 1, 0],
};

/** The part of a GpuPixels image to read, in stored orientation, and the orientation to undo on the way. */
export interface PixelView {
  x: number;
  y: number;
  width: number;
  height: number;
  orientation: Orientation;
}

export function fullView(pixels: GpuPixels): PixelView {
  return { x: 0, y: 0, width: pixels.width, height: pixels.height, orientation: 1 };
}

/** Size of a view once oriented (orientations 5–8 swap the axes). */
export function orientedSize(view: PixelView): { width: number; height: number } {
  return view.orientation >= 5
    ? { width: view.height, height: view.width }
    : { width: view.width, height: view.height };
}

export interface RecordedPack {
  output: GPUBuffer;
  /** Bytes written (a multiple of 4 covering the tightly packed image). */
  bytes: number;
  width: number;
  height: number;
  scratch: GPUBuffer[];
}

function writeParams(ctx: GpuContext, pixels: GpuPixels, view: PixelView, target: PixelFormat | 'pixels') {
  const { width, height } = orientedSize(view);
  const params = new Uint32Array(16);
  let words: number;
  if (target === 'pixels') {
    words = width * height;
    params.set([LAYOUT.pixels, words, 4, 0], 8);
  } else {
    const planar = isPlanar(target);
    const bytes = width * height * (planar ? 3 : bytesPerPixel(target));
    words = Math.ceil(bytes / 4);
    params.set(
      [
        planar ? LAYOUT.planar : LAYOUT.interleaved,
        words,
        planar ? 1 : bytesPerPixel(target),
        width * height,
      ],
      8,
    );
    params.set(CHANNELS[target], 12);
  }
  params.set([width, height, view.x, view.y, view.width, view.height, pixels.width, view.orientation], 0);
  const buffer = ctx.upload(params, 'jpegkit pack params');
  return { buffer, words, width, height };
}

/** Records the pack of `view` of `pixels` into `target` (a host format, or 'pixels' for new GpuPixels). */
export function recordPack(
  ctx: GpuContext,
  pipeline: GPUComputePipeline,
  encoder: GPUCommandEncoder,
  pixels: GpuPixels,
  view: PixelView,
  target: PixelFormat | 'pixels',
): RecordedPack {
  const params = writeParams(ctx, pixels, view, target);
  const bytes = params.words * 4;
  const output =
    target === 'pixels'
      ? ctx.buffers.acquire(
          pixelBufferBytes(params.width, params.height),
          PIXEL_BUFFER_USAGE,
          'jpegkit pixels',
        )
      : ctx.buffers.acquire(bytes, USAGE.STORAGE | USAGE.COPY_SRC, 'jpegkit packed pixels');
  ctx.dispatch(
    encoder,
    pipeline,
    [pixels.buffer, params.buffer, output],
    ctx.linearGroups(params.words, WORKGROUP),
  );
  return { output, bytes, width: params.width, height: params.height, scratch: [params.buffer] };
}

/** A mappable buffer for `bytes` of results. */
export function acquireReadback(ctx: GpuContext, bytes: number): GPUBuffer {
  return ctx.buffers.acquire(bytes, USAGE.MAP_READ | USAGE.COPY_DST, 'jpegkit readback');
}

/**
 * Copies tightly packed pixels into a host image: `into` (its stride, padding between rows left alone) or a
 * new one.
 */
export function deliver(
  packed: Uint8Array,
  width: number,
  height: number,
  format: PixelFormat,
  orientation: Orientation,
  into?: HostImage,
): HostImage {
  const rowBytes = width * bytesPerPixel(format);
  const planes = isPlanar(format) ? 3 : 1;
  if (!into) {
    return {
      width,
      height,
      format,
      stride: rowBytes,
      data: packed.slice(0, rowBytes * height * planes),
      orientation,
    };
  }
  const stride = into.stride;
  for (let p = 0; p < planes; p++) {
    for (let y = 0; y < height; y++) {
      const from = (p * height + y) * rowBytes;
      into.data.set(packed.subarray(from, from + rowBytes), (p * height + y) * stride);
    }
  }
  return { ...into, width, height, format, orientation };
}
