import { USAGE } from './buffer-pool.js';

/**
 * The one in-GPU pixel layout every kernel of this package reads and writes: one u32 per pixel, RGBA8 with R in
 * the low byte (what `unpack4x8unorm` / `pack4x8unorm` and byte shifts in WGSL expect), rows tightly packed
 * (`width` words per row). Gray images keep the value in R, G and B (alpha 255) and set `gray`, so colour and gray
 * share every kernel; host formats (rgb, bgr, planar, gray …) are produced only when an image is read back.
 */
export interface GpuPixels {
  buffer: GPUBuffer;
  width: number;
  height: number;
  /** One channel of information (R = G = B). */
  gray: boolean;
}

/** Buffer usage for pixel buffers: kernels read and write them, copies move them in and out. */
export const PIXEL_BUFFER_USAGE = USAGE.STORAGE | USAGE.COPY_SRC | USAGE.COPY_DST;

/** Bytes a {@link GpuPixels} buffer of this size needs. */
export function pixelBufferBytes(width: number, height: number): number {
  return width * height * 4;
}
