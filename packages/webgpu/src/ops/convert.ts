import type { GpuFrame } from './gpu-frame.js';
import { ParamWriter } from './params.js';
import { linearGroups, outputPixels } from './pixels-out.js';
import type { GpuPixels } from '../gpu-pixels.js';

const SHADER = new URL('../shaders/ops-convert.wgsl', import.meta.url);

/** What ops-convert.wgsl does to each pixel. */
export const CONVERT_MODE = {
  /** libjpeg's fixed-point luma into R, G and B; A = 255 (core's rgbToGray). */
  gray: 0,
  /** A = 255: an alpha channel dropped. */
  opaque: 1,
} as const;

/** Records a per-pixel conversion into a new image (gray when `mode` is gray, else the input's kind). */
export async function convertPixels(
  frame: GpuFrame,
  input: GpuPixels,
  mode: (typeof CONVERT_MODE)[keyof typeof CONVERT_MODE],
): Promise<GpuPixels> {
  const pipeline = await frame.context.kernels.pipeline(SHADER);
  const count = input.width * input.height;
  const out = outputPixels(frame, input.width, input.height, input.gray || mode === CONVERT_MODE.gray);
  frame.dispatch(
    pipeline,
    [frame.uniform(new ParamWriter().u32(count).u32(mode).finish()), input.buffer, out.buffer],
    ...linearGroups(count),
  );
  return out;
}
