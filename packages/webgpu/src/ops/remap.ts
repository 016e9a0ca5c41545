import { groups } from './gpu-frame.js';
import type { GpuFrame } from './gpu-frame.js';
import { ParamWriter } from './params.js';
import { outputPixels } from './pixels-out.js';
import type { GpuPixels } from '../gpu-pixels.js';

const SHADER = new URL('../shaders/ops-remap.wgsl', import.meta.url);

/**
 * How ops-remap.wgsl picks the source of each output pixel: 0 crops at (x, y); 1–8 apply the transform that
 * makes an image stored with that EXIF orientation upright (core's ORIENTATION_TRANSFORMS).
 */
export type RemapMode = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

/** Records a pure pixel copy (crop, rotate, flip, flop, orient) into a new `width`×`height` image. */
export async function remapPixels(
  frame: GpuFrame,
  input: GpuPixels,
  mode: RemapMode,
  width: number,
  height: number,
  x = 0,
  y = 0,
): Promise<GpuPixels> {
  const pipeline = await frame.context.kernels.pipeline(SHADER);
  const params = new ParamWriter()
    .u32(input.width)
    .u32(input.height)
    .u32(width)
    .u32(height)
    .u32(mode)
    .u32(x)
    .u32(y)
    .finish();
  const out = outputPixels(frame, width, height, input.gray);
  frame.dispatch(pipeline, [frame.uniform(params), input.buffer, out.buffer], groups(width), groups(height));
  return out;
}

/** Records the transform that makes an image stored with EXIF `orientation` upright (5–8 swap the sides). */
export function orientPixels(frame: GpuFrame, input: GpuPixels, orientation: number): Promise<GpuPixels> {
  const swap = orientation >= 5;
  return remapPixels(
    frame,
    input,
    orientation as RemapMode,
    swap ? input.height : input.width,
    swap ? input.width : input.height,
  );
}
