/**
 * Typed wrappers for the lossless transforms and DCT-coefficient planes of the wasm codec
 * (codec/src/transform.c, codec/src/coefficients.c, declared in codec/src/jk_transform.h).
 *
 * They take a loaded {@link JpegkitWasm} and call its raw exports; input buffers and result slots in wasm memory
 * are kept per module and reused between calls ({@link releaseTransformScratch} frees them).
 */
import type { ResolvedTransformOptions } from '@jpegkit/core';
import type { JpegkitWasmExports } from '../wasm/jpegkit.mjs';
import { WasmCodecError } from './module.js';
import type { JpegColorSpace, JpegkitWasm } from './module.js';
import { Scratch } from './scratch.js';
import { fail } from './c-api.js';

/** Must equal JK_TRANSFORM_ABI_VERSION in codec/src/jk_transform.h. */
export const TRANSFORM_ABI_VERSION = 1;

/** The exports of codec/src/jk_transform.h. */
export interface JpegkitTransformExports {
  _jk_transform_abi_version(): number;
  _jk_transform(
    src: number,
    len: number,
    op: number,
    cropX: number,
    cropY: number,
    cropW: number,
    cropH: number,
    flags: number,
    restartInterval: number,
    restartRows: number,
    copy: number,
    out: number,
    outLen: number,
  ): number;
  _jk_coef_read(src: number, len: number, out: number, outLen: number): number;
  _jk_coef_write(
    frame: number,
    frameLen: number,
    optimize: number,
    progressive: number,
    restartInterval: number,
    out: number,
    outLen: number,
  ): number;
}

type Exports = JpegkitWasmExports & JpegkitTransformExports;

/** jk_xform_op: transupp's JXFORM_CODE. */
const OP = {
  none: 0,
  flipH: 1,
  flipV: 2,
  transpose: 3,
  transverse: 4,
  rot90: 5,
  rot180: 6,
  rot270: 7,
} as const;
/** jk_xform_flag */
const FLAG = { trim: 1, gray: 2, optimize: 4, progressive: 8, sequential: 16 } as const;
const COPY = { none: 0, icc: 1, all: 2 } as const;

const HEADER_FIELDS = 16;
const COMP_FIELDS = 16;
const COMP_RECORD = COMP_FIELDS + 64;
const COLOR_SPACES: readonly JpegColorSpace[] = ['unknown', 'gray', 'rgb', 'ycbcr', 'cmyk', 'ycck'];

/** One component's quantised DCT coefficients, ready to hand to a GPU as one buffer. */
export interface DctComponent {
  /** Component id from the SOF. */
  id: number;
  /** Sampling factors. */
  h: number;
  v: number;
  /** Blocks that cover the component's samples (what the image needs). */
  widthInBlocks: number;
  heightInBlocks: number;
  /**
   * The stored grid, padded to whole MCUs: `blocksPerRow` ≥ widthInBlocks, `blockRows` ≥ heightInBlocks. Block
   * (row, col) starts at `coefficients[(row * blocksPerRow + col) * 64]` (a row of blocks is `blocksPerRow * 64`
   * values); blocks past widthInBlocks / heightInBlocks lie outside the image.
   */
  blocksPerRow: number;
  blockRows: number;
  /** The quantisation table the component is coded with: 64 values in natural (row-major) order. */
  quantTable: Uint16Array;
  /** Quantised coefficients, 64 per block in natural order (multiply by quantTable to dequantise). */
  coefficients: Int16Array;
}

/** The quantised DCT coefficients of a JPEG frame. */
export interface DctCoefficients {
  width: number;
  height: number;
  colorSpace: JpegColorSpace;
  progressive: boolean;
  arithmetic: boolean;
  /** In MCUs (0: none), from the last DRI. */
  restartInterval: number;
  maxH: number;
  maxV: number;
  components: DctComponent[];
}

export interface WriteCoefficientsOptions {
  /** Optimised Huffman tables; default true. */
  optimize?: boolean;
  /** Simple progression (jpeg_simple_progression); default false. */
  progressive?: boolean;
  /** Restart markers every N MCUs; default 0 (none). */
  restartInterval?: number;
}

/** Wasm memory kept per module between calls: the input, and the out pointer + out length slots. */
class TransformScratch {
  readonly #input: Scratch;
  readonly #slots: Scratch;
  constructor(readonly m: Exports) {
    this.#input = new Scratch(m);
    this.#slots = new Scratch(m);
  }

  ensureInput(bytes: number): number {
    return this.#input.ensure(bytes);
  }

  ensureSlots(): number {
    return this.#slots.ensure(8);
  }

  release(): void {
    this.#input.release();
    this.#slots.release();
  }
}

const scratches = new WeakMap<object, TransformScratch>();

function exportsOf(codec: JpegkitWasm): { m: Exports; scratch: TransformScratch } {
  const m = codec.exports as Exports;
  if (typeof m._jk_transform_abi_version !== 'function') {
    throw new WasmCodecError('E_UNSUPPORTED', 'this jpegkit.wasm has no lossless transforms (jk_transform)');
  }
  const abi = m._jk_transform_abi_version();
  if (abi !== TRANSFORM_ABI_VERSION) {
    throw new WasmCodecError(
      'E_BACKEND_INIT',
      `jpegkit.wasm has transform ABI ${abi}, this loader expects ${TRANSFORM_ABI_VERSION}`,
    );
  }
  let scratch = scratches.get(m);
  if (scratch === undefined) {
    scratch = new TransformScratch(m);
    scratches.set(m, scratch);
  }
  return { m, scratch };
}

/** Frees the wasm memory the functions of this module keep for `codec` (they allocate it again when needed). */
export function releaseTransformScratch(codec: JpegkitWasm): void {
  const m = codec.exports as object;
  scratches.get(m)?.release();
  scratches.delete(m);
}

function copyIn(m: Exports, scratch: TransformScratch, bytes: Uint8Array): number {
  const ptr = scratch.ensureInput(bytes.length);
  m.HEAPU8.set(bytes, ptr); // after malloc: memory growth replaces HEAPU8
  return ptr;
}

/** Takes the buffer a C call returned through the slots: copies it out and frees it. */
function takeOutput(m: Exports, slots: number): Uint8Array {
  const ptr = m.HEAPU32[slots >>> 2]! >>> 0;
  const len = m.HEAPU32[(slots >>> 2) + 1]! >>> 0;
  const bytes = m.HEAPU8.slice(ptr, ptr + len);
  m._jk_free(ptr);
  return bytes;
}

function geometricOp(o: ResolvedTransformOptions): number {
  if (o.rotate === 90) return OP.rot90;
  if (o.rotate === 180) return OP.rot180;
  if (o.rotate === 270) return OP.rot270;
  if (o.flip === 'horizontal') return OP.flipH;
  if (o.flip === 'vertical') return OP.flipV;
  if (o.transpose) return OP.transpose;
  if (o.transverse) return OP.transverse;
  return OP.none;
}

/**
 * Transforms a JPEG losslessly, byte for byte like jpegtran (libjpeg-turbo 2.1.5) with the equivalent switches:
 * rotate → `-rotate`, flip → `-flip`, transpose/transverse, trim → `-trim` (without it an imperfect transform
 * is E_UNSUPPORTED, as `-perfect`), gray → `-grayscale`, progressive true → `-progressive` (unset: progressive
 * iff the input is), optimize → `-optimize`, restartInterval N → `-restart NB` (unset: none, like jpegtran),
 * metadata → `-copy all|icc|none`. The crop rectangle is in input coordinates (it applies before the rotation);
 * it is mapped to the output and handed to transupp as `-crop`, so its top-left corner moves to the enclosing
 * iMCU boundary. Corrupt or truncated input throws (E_CORRUPT / E_TRUNCATED, as `jpegtran -strict` fails).
 */
export function transformJpeg(
  codec: JpegkitWasm,
  bytes: Uint8Array,
  options: ResolvedTransformOptions,
): Uint8Array {
  const { m, scratch } = exportsOf(codec);
  let flags = 0;
  if (options.trim) flags |= FLAG.trim;
  if (options.gray) flags |= FLAG.gray;
  if (options.optimize) flags |= FLAG.optimize;
  if (options.progressive === true) flags |= FLAG.progressive;
  if (options.progressive === false) flags |= FLAG.sequential;
  const crop = options.crop;
  const src = copyIn(m, scratch, bytes);
  const slots = scratch.ensureSlots();
  const status = m._jk_transform(
    src,
    bytes.length,
    geometricOp(options),
    crop?.x ?? 0,
    crop?.y ?? 0,
    crop?.width ?? 0,
    crop?.height ?? 0,
    flags,
    options.restartInterval ?? 0,
    0,
    COPY[options.metadata],
    slots,
    slots + 4,
  );
  if (status < 0) fail(m, status);
  return takeOutput(m, slots);
}

/** Reads the quantised DCT coefficients of every component (no IDCT), with the frame facts. */
export function readCoefficients(codec: JpegkitWasm, bytes: Uint8Array): DctCoefficients {
  const { m, scratch } = exportsOf(codec);
  const src = copyIn(m, scratch, bytes);
  const slots = scratch.ensureSlots();
  const status = m._jk_coef_read(src, bytes.length, slots, slots + 4);
  if (status < 0) fail(m, status);
  const ptr = m.HEAPU32[slots >>> 2]! >>> 0;
  try {
    const head = m.HEAP32.subarray(ptr >>> 2, (ptr >>> 2) + HEADER_FIELDS);
    const count = head[2]!;
    const components: DctComponent[] = [];
    for (let ci = 0; ci < count; ci++) {
      const base = (ptr >>> 2) + HEADER_FIELDS + ci * COMP_RECORD;
      const rec = m.HEAP32.subarray(base, base + COMP_RECORD);
      const offset = rec[8]!;
      const values = rec[9]!;
      const start = ptr + offset;
      components.push({
        id: rec[0]!,
        h: rec[1]!,
        v: rec[2]!,
        widthInBlocks: rec[3]!,
        heightInBlocks: rec[4]!,
        blocksPerRow: rec[5]!,
        blockRows: rec[6]!,
        quantTable: Uint16Array.from(rec.subarray(COMP_FIELDS, COMP_RECORD)),
        coefficients: new Int16Array(m.HEAPU8.slice(start, start + values * 2).buffer),
      });
    }
    return {
      width: head[0]!,
      height: head[1]!,
      colorSpace: COLOR_SPACES[head[3]!] ?? 'unknown',
      progressive: head[4] === 1,
      restartInterval: head[5]!,
      arithmetic: head[6] === 1,
      maxH: head[7]!,
      maxV: head[8]!,
      components,
    };
  } finally {
    m._jk_free(ptr);
  }
}

/** Blocks a component needs for this frame, padded to whole MCUs (as jcmaster and the decoder compute them). */
export function componentGrid(
  width: number,
  height: number,
  h: number,
  v: number,
  maxH: number,
  maxV: number,
): { widthInBlocks: number; heightInBlocks: number; blocksPerRow: number; blockRows: number } {
  const widthInBlocks = Math.ceil((width * h) / (maxH * 8));
  const heightInBlocks = Math.ceil((height * v) / (maxV * 8));
  return {
    widthInBlocks,
    heightInBlocks,
    blocksPerRow: Math.ceil(widthInBlocks / h) * h,
    blockRows: Math.ceil(heightInBlocks / v) * v,
  };
}

/**
 * Writes a JPEG from coefficient planes (the layout {@link readCoefficients} returns; maxH/maxV, the block
 * counts and the quant table slots are derived from the components): Huffman coding, optimised by default.
 * read → write gives a file that decodes to the same pixels.
 */
export function writeCoefficients(
  codec: JpegkitWasm,
  frame: DctCoefficients,
  options: WriteCoefficientsOptions = {},
): Uint8Array {
  const { m, scratch } = exportsOf(codec);
  const n = frame.components.length;
  const restart = options.restartInterval ?? 0;
  if (!Number.isInteger(restart) || restart < 0 || restart > 65535) {
    throw new WasmCodecError('E_INVALID_ARGUMENT', `restartInterval must be 0..65535, got ${restart}`);
  }
  if (n < 1 || n > 4) throw new WasmCodecError('E_INVALID_ARGUMENT', `1 to 4 components, got ${n}`);
  const maxH = Math.max(...frame.components.map((c) => c.h));
  const maxV = Math.max(...frame.components.map((c) => c.v));
  const space = COLOR_SPACES.indexOf(frame.colorSpace);
  if (space < 0)
    throw new WasmCodecError('E_INVALID_ARGUMENT', `unknown color space ${String(frame.colorSpace)}`);

  // Header, records, then each plane 16-byte aligned: the layout of jk_transform.h.
  const align = (x: number) => Math.ceil(x / 16) * 16;
  let offset = align((HEADER_FIELDS + n * COMP_RECORD) * 4);
  const offsets: number[] = [];
  for (const c of frame.components) {
    const g = componentGrid(frame.width, frame.height, c.h, c.v, maxH, maxV);
    const values = g.blocksPerRow * g.blockRows * 64;
    if (
      c.blocksPerRow !== g.blocksPerRow ||
      c.blockRows !== g.blockRows ||
      c.coefficients.length !== values
    ) {
      throw new WasmCodecError(
        'E_INVALID_ARGUMENT',
        `component ${c.id}: ${c.blocksPerRow}x${c.blockRows} blocks (${c.coefficients.length} values), ` +
          `the frame needs ${g.blocksPerRow}x${g.blockRows} (${values})`,
      );
    }
    if (c.quantTable.length !== 64) {
      throw new WasmCodecError('E_INVALID_ARGUMENT', `component ${c.id}: the quant table needs 64 values`);
    }
    offsets.push(offset);
    offset = align(offset + values * 2);
  }
  const total = offset;
  const base = scratch.ensureInput(total);
  const slots = scratch.ensureSlots();
  const heap32 = m.HEAP32;
  const b32 = base >>> 2;
  heap32.fill(0, b32, b32 + (offsets[0]! >>> 2));
  heap32[b32] = frame.width;
  heap32[b32 + 1] = frame.height;
  heap32[b32 + 2] = n;
  heap32[b32 + 3] = space;
  heap32[b32 + 9] = total;
  frame.components.forEach((c, ci) => {
    const r = b32 + HEADER_FIELDS + ci * COMP_RECORD;
    heap32[r] = c.id;
    heap32[r + 1] = c.h;
    heap32[r + 2] = c.v;
    heap32[r + 3] = c.widthInBlocks;
    heap32[r + 4] = c.heightInBlocks;
    heap32[r + 5] = c.blocksPerRow;
    heap32[r + 6] = c.blockRows;
    heap32[r + 8] = offsets[ci]!;
    heap32[r + 9] = c.coefficients.length;
    heap32.set(c.quantTable, r + COMP_FIELDS);
    new Int16Array(m.HEAPU8.buffer, base + offsets[ci]!, c.coefficients.length).set(c.coefficients);
  });
  const status = m._jk_coef_write(
    base,
    total,
    options.optimize === false ? 0 : 1,
    options.progressive ? 1 : 0,
    restart,
    slots,
    slots + 4,
  );
  if (status < 0) fail(m, status);
  return takeOutput(m, slots);
}
