import { ops } from '@jpegkit/core';
import type { OpStep } from '@jpegkit/core';
import type { GpuFrame } from './gpu-frame.js';
import { ParamWriter } from './params.js';
import { linearGroups, outputPixels } from './pixels-out.js';
import type { GpuPixels } from '../gpu-pixels.js';

const SHADER = new URL('../shaders/ops-adjust.wgsl', import.meta.url);

/** Records brightness/contrast through core's adjustTable (exactly core's result; A copied). */
export async function adjustPixels(
  frame: GpuFrame,
  input: GpuPixels,
  step: Extract<OpStep, { op: 'adjust' }>,
): Promise<GpuPixels> {
  const table = Uint32Array.from(ops.adjustTable(step.brightness, step.contrast));
  const pipeline = await frame.context.kernels.pipeline(SHADER);
  const count = input.width * input.height;
  const out = outputPixels(frame, input.width, input.height, input.gray);
  frame.dispatch(
    pipeline,
    [frame.uniform(new ParamWriter().u32(count).finish()), input.buffer, frame.table(table), out.buffer],
    ...linearGroups(count),
  );
  return out;
}
