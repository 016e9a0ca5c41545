import { RESIZE_FILTERS, checkBoolean, checkInteger, checkOneOf, invalidArgument, ops } from '@jpegkit/core';
import type { OpStep, ResizeFilter } from '@jpegkit/core';
import { groups } from './gpu-frame.js';
import type { GpuFrame } from './gpu-frame.js';
import { ParamWriter } from './params.js';
import { checkBindingSize, outputPixels } from './pixels-out.js';
import type { GpuPixels } from '../gpu-pixels.js';
import { USAGE } from '../buffer-pool.js';

const SHADER = new URL('../shaders/ops-resize.wgsl', import.meta.url);

const LINEAR = 1;
const ALPHA = 2;
const COPY = 4;

/** Packed tables kept between calls: computing them costs more than the kernels for large images. */
const TABLE_CACHE_ENTRIES = 16;
const packedTables = new Map<string, Uint32Array<ArrayBuffer>>();

/**
 * core's contribution table for one axis as ops-resize.wgsl reads it: start[], count[], then the f32 weights'
 * bits tap-major (weight k of output d at 2n + k·n + d, zero past count[d]). Recently used tables are reused.
 */
function packedTable(srcSize: number, dstSize: number, filter: ResizeFilter): Uint32Array<ArrayBuffer> {
  const key = `${srcSize}:${dstSize}:${filter}`;
  let words = packedTables.get(key);
  if (words) {
    packedTables.delete(key); // re-inserted below: the Map's order is the least recently used first
  } else {
    const table = ops.computeContributions(srcSize, dstSize, filter);
    const n = table.dstSize;
    const weights = new Uint32Array(table.weights.buffer, table.weights.byteOffset, table.weights.length);
    words = new Uint32Array(2 * n + table.taps * n);
    words.set(table.start, 0);
    words.set(table.count, n);
    for (let d = 0; d < n; d++) {
      for (let k = 0; k < table.taps; k++) words[(2 + k) * n + d] = weights[d * table.taps + k]!;
    }
    if (packedTables.size >= TABLE_CACHE_ENTRIES) packedTables.delete(packedTables.keys().next().value!);
  }
  packedTables.set(key, words);
  return words;
}

const srgbTables = new WeakMap<GPUDevice, GPUBuffer>();

/** core's SRGB_TO_LINEAR_TABLE in float32, uploaded once per device. */
function srgbToLinearBuffer(device: GPUDevice): GPUBuffer {
  let buffer = srgbTables.get(device);
  if (!buffer) {
    buffer = device.createBuffer({
      size: 256 * 4,
      usage: USAGE.STORAGE | USAGE.COPY_DST,
      label: 'jpegkit sRGB to linear',
    });
    device.queue.writeBuffer(buffer, 0, Float32Array.from(ops.SRGB_TO_LINEAR_TABLE));
    srgbTables.set(device, buffer);
  }
  return buffer;
}

/** The padding colour of contain as a pixel: core's backgroundSamples for the image's kind, packed RGBA8. */
function backgroundPixel(background: readonly number[], gray: boolean, alpha: boolean): number {
  const [r = 0, g = 0, b = 0, a = 255] = background;
  if (gray) {
    const y = ops.rgbToGray(r, g, b);
    return (y | (y << 8) | (y << 16) | (255 << 24)) >>> 0;
  }
  return (r | (g << 8) | (b << 16) | ((alpha ? a : 255) << 24)) >>> 0;
}

/**
 * Records a resize step (core's applyOp for `resize`: resolveResize's geometry, the resampling of resize.ts with
 * core's own contribution tables, then fit's crop or padding) and returns the new image. `alpha` says whether A
 * is an alpha channel (premultiplied while filtering, as core does for rgba/bgra) or unused (written as 255).
 * Bad arguments throw E_INVALID_ARGUMENT as core's checks do.
 */
export async function resizePixels(
  frame: GpuFrame,
  input: GpuPixels,
  step: Extract<OpStep, { op: 'resize' }>,
  alpha: boolean,
): Promise<GpuPixels> {
  const { width: w, height: h } = input;
  const geometry = ops.resolveResize(w, h, step);
  const filter = checkOneOf(step.filter, 'filter', RESIZE_FILTERS);
  const linear = checkBoolean(step.linear, 'linear');
  if (!Array.isArray(step.background) || step.background.length !== 4) {
    throw invalidArgument('an array of 4 integers', 'background', step.background);
  }
  step.background.forEach((v, i) => checkInteger(v, `background[${i}]`, 0, 255));

  const device = frame.context.device;
  const kernels = frame.context.kernels;
  const copy = geometry.resizeWidth === w && geometry.resizeHeight === h;
  const hTable = copy ? undefined : packedTable(w, geometry.resizeWidth, filter);
  const vTable = copy ? undefined : packedTable(h, geometry.resizeHeight, filter);
  const midBytes = copy ? 16 : h * geometry.resizeWidth * 16;
  checkBindingSize(device, midBytes, `resizing ${w}x${h} to ${geometry.resizeWidth} columns`);

  const params = new ParamWriter()
    .u32(w)
    .u32(h)
    .u32(geometry.resizeWidth)
    .u32(geometry.resizeHeight)
    .u32(geometry.width)
    .u32(geometry.height)
    .i32(geometry.cropX - geometry.padX)
    .i32(geometry.cropY - geometry.padY)
    .u32(0) // padding
    .u32(0)
    .u32((linear ? LINEAR : 0) | (alpha ? ALPHA : 0) | (copy ? COPY : 0))
    .u32(backgroundPixel(step.background, input.gray, alpha))
    .finish();
  const [horizontal, vertical] = await Promise.all([
    kernels.pipeline(SHADER, 'horizontal'),
    kernels.pipeline(SHADER, 'vertical'),
  ]);
  const uniform = frame.uniform(params);
  const mid = frame.scratch(midBytes);
  const out = outputPixels(frame, geometry.width, geometry.height, input.gray);
  if (hTable && vTable) {
    const srgb = srgbToLinearBuffer(device);
    frame.dispatch(
      horizontal,
      [uniform, input.buffer, frame.table(hTable), srgb, mid],
      groups(geometry.resizeWidth),
      groups(h),
    );
    frame.dispatch(
      vertical,
      [uniform, input.buffer, frame.table(vTable), null, mid, out.buffer],
      groups(geometry.width),
      groups(geometry.height),
    );
  } else {
    // Only fit's window over the source itself; the table is not read, but the binding must exist.
    const unused = frame.table(new Uint32Array(4));
    frame.dispatch(
      vertical,
      [uniform, input.buffer, unused, null, mid, out.buffer],
      groups(geometry.width),
      groups(geometry.height),
    );
  }
  return out;
}
