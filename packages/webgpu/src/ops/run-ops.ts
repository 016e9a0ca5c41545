import {
  OP_NAMES,
  PIXEL_FORMATS,
  checkInteger,
  checkObject,
  checkOneOf,
  invalidArgument,
} from '@jpegkit/core';
import type { OpStep } from '@jpegkit/core';
import { pixelBufferBytes, PIXEL_BUFFER_USAGE } from '../gpu-pixels.js';
import type { GpuPixels } from '../gpu-pixels.js';
import type { GpuContext } from '../gpu-context.js';
import { adjustPixels } from './adjust.js';
import { convertPixels, CONVERT_MODE } from './convert.js';
import { cropPixels } from './crop.js';
import { flipPixels, flopPixels } from './flip.js';
import { GpuFrame } from './gpu-frame.js';
import { orientPixels } from './remap.js';
import { resizePixels } from './resize.js';
import { rotatePixels } from './rotate.js';
import { sharpenPixels } from './sharpen.js';

export interface RunOpsOptions {
  /**
   * Whether the A byte of the input is an alpha channel (an rgba/bgra image): resize then filters colour
   * premultiplied by it, as core does. Default false: A is unused, and every result keeps it at 255.
   */
  alpha?: boolean;
}

/** Whether A is alpha after `steps` on an image whose A is alpha iff `alpha`: the last convert decides. */
export function alphaAfter(steps: readonly OpStep[], alpha: boolean): boolean {
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i]!;
    if (step.op === 'convert') return step.format === 'rgba' || step.format === 'bgra';
  }
  return alpha;
}

/**
 * Runs pipeline steps on GPU pixels: every step a compute kernel (or two), all recorded into one command buffer
 * and submitted once, nothing read back. Results agree with core's reference ops (applyOp) within ±1 per
 * channel: resize (every filter and fit mode, linear light, premultiplied alpha) and sharpen sum in float32
 * where core sums in double; crop, rotate, flip, flop, orient, adjust and convert are exact. Arguments are
 * checked as applyOp checks them (E_INVALID_ARGUMENT; E_UNSUPPORTED when an intermediate would not fit a
 * storage binding of the device).
 *
 * `convert` changes what the pixels hold, not their layout: to 'gray' computes libjpeg's luma into R, G and B and
 * sets `gray`; colour formats clear `gray`; formats without alpha set A to 255. Channel order and planarity are a
 * matter of the read-back. Pipelines, intermediates and the result come from `ctx` (its kernel cache and buffer
 * pool). The input is left as it is; the result is a new buffer that the caller owns — hand it back with
 * `ctx.buffers.release(buffer)` (or destroy it) when done. Buffers are never created in steady state: a repeated
 * pipeline reuses them.
 *
 * @example
 * ```ts
 * const ctx = new GpuContext(device);
 * const thumb = await runOps(ctx, pixels, [
 *   { op: 'resize', width: 200, height: 200, fit: 'cover', filter: 'lanczos3', linear: false,
 *     background: [0, 0, 0, 255] },
 *   { op: 'sharpen', sigma: 0.8, amount: 1, threshold: 0 },
 * ]);
 * ```
 */
export async function runOps(
  ctx: GpuContext,
  input: GpuPixels,
  steps: readonly OpStep[],
  options: RunOpsOptions = {},
): Promise<GpuPixels> {
  if (!Array.isArray(steps)) throw invalidArgument('an array of steps', 'steps', steps);
  const frame = await GpuFrame.open(ctx);
  let alpha = options.alpha ?? false;
  let current = input;
  try {
    for (const step of steps) {
      checkObject(step, 'step');
      checkOneOf(step.op, 'step.op', OP_NAMES);
      const next = await runStep(frame, current, step, alpha);
      if (step.op === 'convert') alpha = alphaAfter([step], alpha);
      // An intermediate between two steps goes back to the pool once the work is submitted.
      if (next.buffer !== current.buffer && current.buffer !== input.buffer) {
        frame.releaseAfterSubmit(current.buffer);
      }
      current = next;
    }
    if (current.buffer === input.buffer) {
      // Nothing changed the pixels (no steps, orient 1, a format relabel): the caller still gets its own buffer.
      const bytes = pixelBufferBytes(current.width, current.height);
      const copy = ctx.buffers.acquire(bytes, PIXEL_BUFFER_USAGE, 'jpegkit pixels');
      frame.copy(input.buffer, copy, bytes);
      current = { ...current, buffer: copy };
    }
  } catch (error) {
    if (current.buffer !== input.buffer) frame.releaseAfterSubmit(current.buffer);
    await frame.abandon();
    throw error;
  }
  try {
    await frame.submit();
  } catch (error) {
    ctx.buffers.release(current.buffer);
    throw error;
  }
  return current;
}

/** Records one step; returns the input itself when the step leaves the pixels as they are. */
function runStep(frame: GpuFrame, input: GpuPixels, step: OpStep, alpha: boolean): Promise<GpuPixels> {
  switch (step.op) {
    case 'resize':
      return resizePixels(frame, input, step, alpha);
    case 'sharpen':
      return sharpenPixels(frame, input, step);
    case 'crop':
      return cropPixels(frame, input, step);
    case 'rotate':
      return rotatePixels(frame, input, step.angle);
    case 'flip':
      return flipPixels(frame, input);
    case 'flop':
      return flopPixels(frame, input);
    case 'orient': {
      const orientation = checkInteger(step.orientation, 'orientation', 1, 8);
      return orientation === 1 ? Promise.resolve(input) : orientPixels(frame, input, orientation);
    }
    case 'adjust':
      return adjustPixels(frame, input, step);
    case 'convert': {
      const format = checkOneOf(step.format, 'format', PIXEL_FORMATS);
      if (format === 'gray') {
        return input.gray ? Promise.resolve(input) : convertPixels(frame, input, CONVERT_MODE.gray);
      }
      const keepsAlpha = format === 'rgba' || format === 'bgra';
      if (alpha && !keepsAlpha) return convertPixels(frame, { ...input, gray: false }, CONVERT_MODE.opaque);
      // Gray pixels already hold the value in R, G and B; opaque pixels already have A = 255.
      return Promise.resolve({ ...input, gray: false });
    }
  }
}
