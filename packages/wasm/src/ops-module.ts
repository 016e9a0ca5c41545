/**
 * Typed wrappers over the pixel ops of the wasm codec (codec/src/ops_*.c, declared in codec/src/jk_ops.h): the
 * reference ops of @jpegkit/core (`ops.applyOp`) run in C inside the module, within ±1 per channel of the
 * TypeScript reference (bit-exact in practice), plus whole pipelines — decode at a DCT scale, ops, encode — in
 * one module call, so a thumbnail never crosses to JavaScript in between.
 *
 * Resize geometry (fit modes) is resolved here with core's `ops.resolveResize`; the C side only executes it.
 * Scratch buffers in wasm memory are kept per codec and reused between calls (`releaseOpsScratch` frees them);
 * everything the C side allocates is freed before a call returns.
 */
import {
  bytesPerPixel,
  checkHostImage,
  checkInteger,
  checkNumber,
  checkObject,
  checkOneOf,
  imageByteLength,
  invalidArgument,
  ops,
  PIXEL_FORMATS,
  RESIZE_FILTERS,
} from '@jpegkit/core';
import type {
  HostImage,
  OpStep,
  Orientation,
  PixelFormat,
  ResizeFilter,
  ResolvedEncodeOptions,
} from '@jpegkit/core';
import type { JpegkitWasmExports } from '../wasm/jpegkit.mjs';
import { WASM_FORMATS, WASM_SUBSAMPLING, WasmCodecError } from './module.js';
import type { JpegkitWasm } from './module.js';
import { Scratch } from './scratch.js';
import { fail, formatIndex, scaleNum } from './c-api.js';

/** The C exports of codec/src/jk_ops.h. Pointers and sizes are wasm32 numbers. */
export interface JpegkitOpsExports {
  _jk_ops_resize(
    src: number,
    width: number,
    height: number,
    stride: number,
    format: number,
    dst: number,
    dstStride: number,
    filter: number,
    linear: number,
    resizeWidth: number,
    resizeHeight: number,
    outWidth: number,
    outHeight: number,
    cropX: number,
    cropY: number,
    padX: number,
    padY: number,
    background: number,
  ): number;
  _jk_ops_sharpen(
    src: number,
    width: number,
    height: number,
    stride: number,
    format: number,
    dst: number,
    dstStride: number,
    sigma: number,
    amount: number,
    threshold: number,
  ): number;
  _jk_ops_crop(
    src: number,
    width: number,
    height: number,
    stride: number,
    format: number,
    dst: number,
    dstStride: number,
    x: number,
    y: number,
    cropWidth: number,
    cropHeight: number,
  ): number;
  _jk_ops_rotate(
    src: number,
    width: number,
    height: number,
    stride: number,
    format: number,
    dst: number,
    dstStride: number,
    angle: number,
  ): number;
  _jk_ops_flip(
    src: number,
    width: number,
    height: number,
    stride: number,
    format: number,
    dst: number,
    dstStride: number,
  ): number;
  _jk_ops_flop(
    src: number,
    width: number,
    height: number,
    stride: number,
    format: number,
    dst: number,
    dstStride: number,
  ): number;
  _jk_ops_orient(
    src: number,
    width: number,
    height: number,
    stride: number,
    format: number,
    dst: number,
    dstStride: number,
    orientation: number,
  ): number;
  _jk_ops_adjust(
    src: number,
    width: number,
    height: number,
    stride: number,
    format: number,
    dst: number,
    dstStride: number,
    brightness: number,
    contrast: number,
  ): number;
  _jk_ops_convert(
    src: number,
    width: number,
    height: number,
    stride: number,
    format: number,
    dst: number,
    dstStride: number,
    dstFormat: number,
  ): number;
  _jk_ops_run(
    src: number,
    width: number,
    height: number,
    stride: number,
    format: number,
    ops: number,
    nOps: number,
    encode: number,
    icc: number,
    iccLen: number,
    exif: number,
    exifLen: number,
    out: number,
    outLen: number,
    outInfo: number,
  ): number;
  _jk_pipeline(
    jpeg: number,
    len: number,
    scaleNum: number,
    format: number,
    ops: number,
    nOps: number,
    encode: number,
    icc: number,
    iccLen: number,
    exif: number,
    exifLen: number,
    out: number,
    outLen: number,
    outInfo: number,
  ): number;
}

type OpsModule = JpegkitWasmExports & JpegkitOpsExports;

/** Op kinds of the C op records (enum jk_op_kind). */
const OP_KIND = {
  resize: 1,
  sharpen: 2,
  crop: 3,
  rotate: 4,
  flip: 5,
  flop: 6,
  orient: 7,
  adjust: 8,
  convert: 9,
} as const;
/** Doubles per op record (JK_OP_FIELDS). */
const OP_FIELDS = 12;

/** Whether this module instance has the pixel ops (a jpegkit.wasm built with codec/src/ops_*.c). */
export function hasWasmOps(codec: JpegkitWasm): boolean {
  return typeof (codec.exports as Partial<OpsModule>)._jk_pipeline === 'function';
}

/** Where a pipeline's result goes: a JPEG (encode options as core resolves them; defaults as jk_encode's) or
 * pixels in a format. */
export type WasmPipelineOutput =
  { kind: 'jpeg'; encode?: Partial<ResolvedEncodeOptions> } | { kind: 'image'; format?: PixelFormat };

export interface WasmPipelineOptions {
  /** DCT scale of the decode: a multiple of 1/8 from 1/8 to 1. Default 1. */
  scale?: number;
  /** Make the pixels upright from `orientation` before the steps. Default false. */
  orient?: boolean;
  /** The JPEG's EXIF orientation (e.g. core's `inspect(bytes).orientation`). Default 1. */
  orientation?: Orientation;
  /** Format the JPEG is decoded into and the steps work on. Default 'rgb'. */
  format?: PixelFormat;
  steps?: readonly OpStep[];
  /** Default: a JPEG with jk_encode's defaults (quality 75, 4:2:0). */
  output?: WasmPipelineOutput;
}

/** Frees this codec's op scratch buffers (they are allocated again when needed). */
export function releaseOpsScratch(codec: JpegkitWasm): void {
  const state = states.get(codec);
  if (state === undefined) return;
  for (const s of state.all) s.release();
  states.delete(codec);
}

/**
 * Runs one pipeline step in wasm: the same result as core's `ops.applyOp(image, step)` (±1 per channel), a new
 * tightly packed image carrying over the input's orientation (orient sets 1), ICC profile and backend.
 */
export function applyOpWasm(codec: JpegkitWasm, image: HostImage, step: OpStep): HostImage {
  checkHostImage(image);
  checkObject(step, 'step');
  const m = opsModule(codec);
  const st = state(codec, m);
  const format = formatIndex(image.format);
  const { width, height, stride } = image;
  const planned = planStep(image.width, image.height, image.format, step);
  const outFormat = planned.format;
  const outStride = planned.width * bytesPerPixel(outFormat);
  const outSize = imageByteLength(planned.width, planned.height, outFormat, outStride);

  const inSize = imageByteLength(width, height, image.format, stride);
  const src = st.input.ensure(inSize);
  const dst = st.output.ensure(outSize);
  m.HEAPU8.set(image.data.subarray(0, inSize), src); // after both ensures: malloc may replace HEAPU8
  const args = [src, width, height, stride, format, dst, outStride] as const;
  let status: number;
  const r = planned.record;
  switch (step.op) {
    case 'resize':
      status = m._jk_ops_resize(
        ...args,
        r[1]!,
        r[2]!,
        r[3]!,
        r[4]!,
        r[5]!,
        r[6]!,
        r[7]!,
        r[8]!,
        r[9]!,
        r[10]!,
        r[11]!,
      );
      break;
    case 'sharpen':
      status = m._jk_ops_sharpen(...args, r[1]!, r[2]!, r[3]!);
      break;
    case 'crop':
      status = m._jk_ops_crop(...args, r[1]!, r[2]!, r[3]!, r[4]!);
      break;
    case 'rotate':
      status = m._jk_ops_rotate(...args, r[1]!);
      break;
    case 'flip':
      status = m._jk_ops_flip(...args);
      break;
    case 'flop':
      status = m._jk_ops_flop(...args);
      break;
    case 'orient':
      status = m._jk_ops_orient(...args, r[1]!);
      break;
    case 'adjust':
      status = m._jk_ops_adjust(...args, r[1]!, r[2]!);
      break;
    case 'convert':
      status = m._jk_ops_convert(...args, r[1]!);
      break;
  }
  if (status < 0) fail(m, status);
  const out: HostImage = {
    width: planned.width,
    height: planned.height,
    format: outFormat,
    stride: outStride,
    data: m.HEAPU8.slice(dst, dst + outSize),
    orientation: step.op === 'orient' ? 1 : image.orientation,
  };
  if (image.icc !== undefined) out.icc = image.icc;
  if (image.backend !== undefined) out.backend = image.backend;
  return out;
}

/**
 * Decodes a JPEG at a DCT scale, orients it, runs the steps and encodes (or returns the pixels) in one call into
 * the module: the decoded and intermediate images never leave wasm memory. Equals `codec.decode` at the same
 * scale, then `applyOpWasm` step by step, then `codec.encode`.
 */
export function runPipelineWasm(
  codec: JpegkitWasm,
  jpeg: Uint8Array,
  options: WasmPipelineOptions & {
    output: { kind: 'image'; format?: PixelFormat };
  },
): HostImage;
export function runPipelineWasm(
  codec: JpegkitWasm,
  jpeg: Uint8Array,
  options?: WasmPipelineOptions & {
    output?: { kind: 'jpeg'; encode?: Partial<ResolvedEncodeOptions> };
  },
): Uint8Array;
export function runPipelineWasm(
  codec: JpegkitWasm,
  jpeg: Uint8Array,
  options?: WasmPipelineOptions,
): Uint8Array | HostImage;
export function runPipelineWasm(
  codec: JpegkitWasm,
  jpeg: Uint8Array,
  options: WasmPipelineOptions = {},
): Uint8Array | HostImage {
  const m = opsModule(codec);
  const st = state(codec, m);
  const scaleM = scaleNum(options.scale ?? 1);
  const format = checkOneOf(options.format ?? 'rgb', 'format', PIXEL_FORMATS);
  const orientation = checkInteger(options.orientation ?? 1, 'orientation', 1, 8) as Orientation;
  const src = st.input.ensure(jpeg.length);
  const slots = st.slots.ensure(SLOT_BYTES);
  m.HEAPU8.set(jpeg, src);
  const status = m._jk_decode_info(src, jpeg.length, scaleM, 0, 0, 0, 0, slots + SLOT_INFO);
  if (status < 0) fail(m, status);
  const info = m.HEAP32.subarray((slots + SLOT_INFO) >>> 2, ((slots + SLOT_INFO) >>> 2) + 2);
  const [width, height] = [info[0]!, info[1]!];
  const pre: OpStep[] = options.orient && orientation !== 1 ? [{ op: 'orient', orientation }] : [];
  return execute(m, st, [...pre, ...(options.steps ?? [])], width, height, format, options.output, (call) =>
    m._jk_pipeline(src, jpeg.length, scaleM, formatIndex(format), ...call),
  );
}

/** Runs steps on a host image in one module call, then encodes or returns the pixels (no decode). */
export function runOpsWasm(
  codec: JpegkitWasm,
  image: HostImage,
  steps: readonly OpStep[],
  output: WasmPipelineOutput = { kind: 'image' },
): Uint8Array | HostImage {
  checkHostImage(image);
  const m = opsModule(codec);
  const st = state(codec, m);
  const inSize = imageByteLength(image.width, image.height, image.format, image.stride);
  const src = st.input.ensure(inSize);
  m.HEAPU8.set(image.data.subarray(0, inSize), src);
  const result = execute(m, st, steps, image.width, image.height, image.format, output, (call) =>
    m._jk_ops_run(src, image.width, image.height, image.stride, formatIndex(image.format), ...call),
  );
  if (!(result instanceof Uint8Array)) {
    result.orientation = steps.some((s) => s.op === 'orient') ? 1 : image.orientation;
    if (image.icc !== undefined) result.icc = image.icc;
    if (image.backend !== undefined) result.backend = image.backend;
  }
  return result;
}

// ---- internals ----------------------------------------------------------------------------------------------

/** The tail of jk_ops_run / jk_pipeline's arguments: ops, n_ops, encode, icc, icc_len, exif, exif_len, out,
 * out_len, out_info. */
type CallTail = [number, number, number, number, number, number, number, number, number, number];

/** Slots: out pointer, out length, out_info[4], info[16] (jk_decode_info), encode[6]. */
const SLOT_OUT = 0;
const SLOT_OUT_INFO = 8;
const SLOT_INFO = 24;
const SLOT_ENCODE = 88;
const SLOT_BYTES = 112;

function execute(
  m: OpsModule,
  st: OpsState,
  steps: readonly OpStep[],
  width: number,
  height: number,
  format: PixelFormat,
  output: WasmPipelineOutput | undefined,
  call: (tail: CallTail) => number,
): Uint8Array | HostImage {
  const out = output ?? { kind: 'jpeg' };
  // Plan every step on the sizes it will see, so that C needs no fit logic.
  const records: number[][] = [];
  let w = width;
  let h = height;
  let f = format;
  for (const step of steps) {
    const planned = planStep(w, h, f, step);
    records.push(planned.record);
    ({ width: w, height: h, format: f } = planned);
  }
  if (out.kind === 'image' && out.format !== undefined && out.format !== f) {
    records.push(planStep(w, h, f, { op: 'convert', format: out.format }).record);
  }
  const opsPtr = st.ops.ensure(Math.max(8, records.length * OP_FIELDS * 8));
  let icc: Uint8Array = new Uint8Array(0);
  let exif: Uint8Array = new Uint8Array(0);
  let encodePtr = 0;
  if (out.kind === 'jpeg') {
    const e = out.encode ?? {};
    icc = e.icc ?? icc;
    exif = e.exif ?? exif;
  }
  const meta = st.meta.ensure(icc.length + exif.length);
  const slots = st.slots.ensure(SLOT_BYTES);
  // Views after every ensure (malloc may have grown memory).
  const f64 = new Float64Array(m.HEAPU8.buffer, opsPtr, records.length * OP_FIELDS);
  records.forEach((rec, i) => f64.set(rec, i * OP_FIELDS));
  m.HEAPU8.set(icc, meta);
  m.HEAPU8.set(exif, meta + icc.length);
  if (out.kind === 'jpeg') {
    const e = out.encode ?? {};
    const subsampling = WASM_SUBSAMPLING[e.subsampling ?? '4:2:0'];
    if (subsampling === undefined) throw invalidArgument('a subsampling', 'subsampling', e.subsampling);
    encodePtr = slots + SLOT_ENCODE;
    m.HEAP32.set(
      [
        e.quality ?? 75,
        subsampling,
        e.progressive ? 1 : 0,
        e.optimize ? 1 : 0,
        e.restartInterval ?? 0,
        e.arithmetic ? 1 : 0,
      ],
      encodePtr >>> 2,
    );
  }
  const status = call([
    opsPtr,
    records.length,
    encodePtr,
    meta,
    icc.length,
    meta + icc.length,
    exif.length,
    slots + SLOT_OUT,
    slots + SLOT_OUT + 4,
    slots + SLOT_OUT_INFO,
  ]);
  if (status < 0) fail(m, status);
  const ptr = m.HEAPU32[(slots + SLOT_OUT) >>> 2]! >>> 0;
  const len = m.HEAPU32[((slots + SLOT_OUT) >>> 2) + 1]! >>> 0;
  const outInfo = m.HEAP32.subarray((slots + SLOT_OUT_INFO) >>> 2, ((slots + SLOT_OUT_INFO) >>> 2) + 4);
  const bytes = m.HEAPU8.slice(ptr, ptr + len);
  const result: Uint8Array | HostImage =
    out.kind === 'jpeg'
      ? bytes
      : {
          width: outInfo[0]!,
          height: outInfo[1]!,
          format: WASM_FORMATS[outInfo[2]!]!,
          stride: outInfo[3]!,
          data: bytes,
          orientation: 1,
        };
  m._jk_free(ptr);
  return result;
}

interface PlannedStep {
  width: number;
  height: number;
  format: PixelFormat;
  /** The C op record (JK_OP_FIELDS doubles). */
  record: number[];
}

/** Checks a step the way core's applyOp does and resolves it into an op record and its output geometry. */
function planStep(width: number, height: number, format: PixelFormat, step: OpStep): PlannedStep {
  checkObject(step, 'step');
  const record = new Array<number>(OP_FIELDS).fill(0);
  const kind = OP_KIND[step.op];
  if (kind === undefined) throw invalidArgument('a known op', 'step.op', step.op);
  record[0] = kind;
  let w = width;
  let h = height;
  let f = format;
  switch (step.op) {
    case 'resize': {
      const g = ops.resolveResize(width, height, step);
      const filter = checkOneOf(step.filter, 'filter', RESIZE_FILTERS) as ResizeFilter;
      if (typeof step.linear !== 'boolean') throw invalidArgument('boolean', 'linear', step.linear);
      const bg = step.background;
      if (!Array.isArray(bg) || bg.length !== 4)
        throw invalidArgument('an array of 4 integers', 'background', bg);
      bg.forEach((v, i) => checkInteger(v, `background[${i}]`, 0, 255));
      const packed = (bg[0] | (bg[1] << 8) | (bg[2] << 16) | (bg[3] << 24)) >>> 0;
      record.splice(
        1,
        11,
        RESIZE_FILTERS.indexOf(filter),
        step.linear ? 1 : 0,
        g.resizeWidth,
        g.resizeHeight,
        g.width,
        g.height,
        g.cropX,
        g.cropY,
        g.padX,
        g.padY,
        packed,
      );
      w = g.width;
      h = g.height;
      break;
    }
    case 'sharpen':
      record[1] = checkNumber(step.sigma, 'sigma', 0.3, 10);
      record[2] = checkNumber(step.amount ?? 1, 'amount', 0, 10);
      record[3] = checkNumber(step.threshold ?? 0, 'threshold', 0, 255);
      break;
    case 'crop':
      ops.checkCropRect(step, width, height);
      record.splice(1, 4, step.x, step.y, step.width, step.height);
      w = step.width;
      h = step.height;
      break;
    case 'rotate':
      record[1] = checkOneOf(step.angle, 'angle', ops.ROTATE_ANGLES);
      if (step.angle !== 180) [w, h] = [height, width];
      break;
    case 'orient':
      record[1] = checkInteger(step.orientation, 'orientation', 1, 8);
      if (step.orientation >= 5) [w, h] = [height, width];
      break;
    case 'adjust':
      record[1] = checkNumber(step.brightness, 'brightness', -1, 1);
      record[2] = checkNumber(step.contrast, 'contrast', 0, 4);
      break;
    case 'convert':
      f = checkOneOf(step.format, 'format', PIXEL_FORMATS);
      record[1] = formatIndex(f);
      break;
    case 'flip':
    case 'flop':
      break;
  }
  return { width: w, height: h, format: f, record };
}

interface OpsState {
  m: OpsModule;
  input: Scratch;
  output: Scratch;
  ops: Scratch;
  meta: Scratch;
  slots: Scratch;
  all: Scratch[];
}

const states = new WeakMap<JpegkitWasm, OpsState>();

function state(codec: JpegkitWasm, m: OpsModule): OpsState {
  let st = states.get(codec);
  if (st === undefined || st.m !== m) {
    const all = [0, 1, 2, 3, 4].map(() => new Scratch(m));
    st = {
      m,
      input: all[0]!,
      output: all[1]!,
      ops: all[2]!,
      meta: all[3]!,
      slots: all[4]!,
      all,
    };
    states.set(codec, st);
  }
  return st;
}

function opsModule(codec: JpegkitWasm): OpsModule {
  const m = codec.exports as OpsModule;
  if (typeof m._jk_pipeline !== 'function') {
    throw new WasmCodecError('E_UNSUPPORTED', 'this jpegkit.wasm was built without the pixel ops (jk_ops.h)');
  }
  return m;
}
