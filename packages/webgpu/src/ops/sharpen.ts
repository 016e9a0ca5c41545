import { checkNumber, ops } from '@jpegkit/core';
import type { OpStep } from '@jpegkit/core';
import { groups } from './gpu-frame.js';
import type { GpuFrame } from './gpu-frame.js';
import { ParamWriter } from './params.js';
import { checkBindingSize, outputPixels } from './pixels-out.js';
import type { GpuPixels } from '../gpu-pixels.js';

const SHADER = new URL('../shaders/ops-sharpen.wgsl', import.meta.url);

/**
 * Records an unsharp mask (core's sharpenImage: core's gaussianWeights, replicated edges, threshold, half-up
 * rounding; A copied) and returns the new image. Bad arguments throw E_INVALID_ARGUMENT as core's checks do.
 */
export async function sharpenPixels(
  frame: GpuFrame,
  input: GpuPixels,
  step: Extract<OpStep, { op: 'sharpen' }>,
): Promise<GpuPixels> {
  const weights = ops.gaussianWeights(step.sigma);
  checkNumber(step.amount, 'amount', 0, 10);
  checkNumber(step.threshold, 'threshold', 0, 255);
  const { width, height } = input;
  const midBytes = width * height * 16;
  checkBindingSize(frame.context.device, midBytes, `sharpening ${width}x${height}`);
  const params = new ParamWriter()
    .u32(width)
    .u32(height)
    .i32((weights.length - 1) / 2)
    .u32(0)
    .f32(step.amount)
    .f32(step.threshold)
    .finish();
  const kernels = frame.context.kernels;
  const [horizontal, vertical] = await Promise.all([
    kernels.pipeline(SHADER, 'horizontal'),
    kernels.pipeline(SHADER, 'vertical'),
  ]);
  const uniform = frame.uniform(params);
  const table = frame.table(weights as Float32Array<ArrayBuffer>);
  const mid = frame.scratch(midBytes);
  const out = outputPixels(frame, width, height, input.gray);
  frame.dispatch(horizontal, [uniform, input.buffer, table, mid, null], groups(width), groups(height));
  frame.dispatch(vertical, [uniform, input.buffer, table, mid, out.buffer], groups(width), groups(height));
  return out;
}
