/**
 * Op programs: a pipeline's steps flattened into one Float64Array for the native side (src/ops-program.h, which
 * documents the layout), with every table computed here by core's own functions — computeContributions,
 * gaussianWeights, adjustTable, SRGB_TO_LINEAR_TABLE, resolveResize, backgroundSamples — so the CUDA kernels use
 * core's weights bit for bit. Arguments are checked as core's applyOp checks them (E_INVALID_ARGUMENT).
 */
import {
  OP_NAMES,
  PIXEL_FORMATS,
  RESIZE_FILTERS,
  checkBoolean,
  checkInteger,
  checkNumber,
  checkOneOf,
  invalidArgument,
  ops,
} from '@jpegkit/core';
import type { OpStep, PixelFormat } from '@jpegkit/core';

const MAGIC = 0x4a4b4f50;
const VERSION = 1;
const OPCODE = { resize: 1, sharpen: 2, remap: 3, adjust: 4, convert: 5 } as const;

/** Pixel formats as the native side numbers them (its PixelFormat enum). */
export const NATIVE_FORMATS: readonly PixelFormat[] = [
  'rgb',
  'rgba',
  'bgr',
  'bgra',
  'gray',
  'rgb-planar',
  'bgr-planar',
];

/** The ops `run` executes on the device: all of them. */
export const DEVICE_OPS = OP_NAMES;

export interface OpsProgram {
  program: Float64Array;
  /** The result's size and format. */
  width: number;
  height: number;
  format: PixelFormat;
}

function formatIndex(format: PixelFormat): number {
  return NATIVE_FORMATS.indexOf(format);
}

/**
 * Encodes `steps` for a `width`×`height` image of `format`. Throws E_INVALID_ARGUMENT for a bad step, as applyOp
 * would.
 */
export function encodeOpsProgram(
  steps: readonly OpStep[],
  width: number,
  height: number,
  format: PixelFormat,
): OpsProgram {
  const out: number[] = [MAGIC, VERSION, steps.length, width, height, formatIndex(format)];
  let w = width;
  let h = height;
  let f = format;
  const emit = (opcode: number, payload: ArrayLike<number>[]): void => {
    const length = payload.reduce((n, part) => n + part.length, 0);
    out.push(opcode, length);
    for (const part of payload) for (let i = 0; i < part.length; i++) out.push(part[i]!);
  };
  const remap = (mode: number, x: number, y: number, ow: number, oh: number): void => {
    emit(OPCODE.remap, [[mode, x, y, ow, oh]]);
    w = ow;
    h = oh;
  };
  const orient = (mode: number): void => {
    if (mode >= 5) remap(mode, 0, 0, h, w);
    else remap(mode, 0, 0, w, h);
  };

  for (const step of steps) {
    switch (step.op) {
      case 'resize': {
        const geometry = ops.resolveResize(w, h, step);
        const filter = checkOneOf(step.filter, 'filter', RESIZE_FILTERS);
        const linear = checkBoolean(step.linear, 'linear');
        if (!Array.isArray(step.background) || step.background.length !== 4) {
          throw invalidArgument('an array of 4 integers', 'background', step.background);
        }
        step.background.forEach((v, i) => checkInteger(v, `background[${i}]`, 0, 255));
        const bg = ops.backgroundSamples(step.background, f);
        while (bg.length < 4) bg.push(0);
        const copy = geometry.resizeWidth === w && geometry.resizeHeight === h;
        const hTable = copy ? undefined : ops.computeContributions(w, geometry.resizeWidth, filter);
        const vTable = copy ? undefined : ops.computeContributions(h, geometry.resizeHeight, filter);
        const head = [
          geometry.resizeWidth,
          geometry.resizeHeight,
          geometry.width,
          geometry.height,
          geometry.cropX - geometry.padX,
          geometry.cropY - geometry.padY,
          linear ? 1 : 0,
          copy ? 1 : 0,
          ...bg,
          hTable?.taps ?? 0,
          vTable?.taps ?? 0,
        ];
        const payload: ArrayLike<number>[] = [head];
        if (hTable && vTable) {
          payload.push(
            hTable.start,
            hTable.count,
            hTable.weights,
            vTable.start,
            vTable.count,
            vTable.weights,
          );
          if (linear) payload.push(ops.SRGB_TO_LINEAR_TABLE);
        }
        emit(OPCODE.resize, payload);
        w = geometry.width;
        h = geometry.height;
        break;
      }
      case 'sharpen': {
        const weights = ops.gaussianWeights(step.sigma);
        checkNumber(step.amount, 'amount', 0, 10);
        checkNumber(step.threshold, 'threshold', 0, 255);
        emit(OPCODE.sharpen, [[(weights.length - 1) / 2, step.amount, step.threshold], weights]);
        break;
      }
      case 'crop': {
        const rect = ops.checkCropRect(step, w, h);
        remap(0, rect.x, rect.y, rect.width, rect.height);
        break;
      }
      case 'rotate': {
        const angle = checkOneOf(step.angle, 'angle', ops.ROTATE_ANGLES);
        orient(angle === 90 ? 6 : angle === 180 ? 3 : 8);
        break;
      }
      case 'flip':
        orient(4);
        break;
      case 'flop':
        orient(2);
        break;
      case 'orient':
        orient(checkInteger(step.orientation, 'orientation', 1, 8));
        break;
      case 'adjust':
        emit(OPCODE.adjust, [ops.adjustTable(step.brightness, step.contrast)]);
        break;
      case 'convert': {
        f = checkOneOf(step.format, 'format', PIXEL_FORMATS);
        emit(OPCODE.convert, [[formatIndex(f)]]);
        break;
      }
      default:
        throw invalidArgument('a known op', 'step.op', (step as { op: unknown }).op);
    }
  }
  return { program: Float64Array.from(out), width: w, height: h, format: f };
}

const PROGRAM_CACHE_SIZE = 64;
const programCache = new Map<string, OpsProgram>();

/**
 * {@link encodeOpsProgram}, remembered for the last {@link PROGRAM_CACHE_SIZE} (steps, size, format) seen: a resize
 * service asks for the same few shapes over and over, and the weight tables take milliseconds of JS to compute —
 * longer than the kernels that use them. Programs are never written to after they are made, so sharing one is safe.
 */
export function cachedOpsProgram(
  steps: readonly OpStep[],
  width: number,
  height: number,
  format: PixelFormat,
): OpsProgram {
  const key = `${width}x${height}:${format}:${JSON.stringify(steps)}`;
  const hit = programCache.get(key);
  if (hit) {
    programCache.delete(key); // most recently used goes last
    programCache.set(key, hit);
    return hit;
  }
  const made = encodeOpsProgram(steps, width, height, format);
  programCache.set(key, made);
  if (programCache.size > PROGRAM_CACHE_SIZE) programCache.delete(programCache.keys().next().value!);
  return made;
}
