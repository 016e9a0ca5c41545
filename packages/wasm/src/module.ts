/**
 * The low-level layer of @jpegkit/wasm: loads the Emscripten module (codec/src, libjpeg-turbo 2.1.5) and wraps
 * its C API (codec/src/jk.h) in typed calls that copy buffers into and out of wasm memory. Scratch buffers in
 * wasm memory are kept and reused between calls; `dispose()` frees them.
 */
import { ERROR_CODES, PIXEL_FORMATS, bytesPerPixel, imageByteLength as imageBytes } from '@jpegkit/core';
import type { ErrorCode, PixelFormat } from '@jpegkit/core';
import createJpegkitModule from '../wasm/jpegkit.mjs';
import { WasmCodecError } from './codec-error.js';
import { Scratch } from './scratch.js';
import { cString, errorCode, fail, formatIndex, scaleNum } from './c-api.js';
import type { JpegkitGlueOptions, JpegkitWasmExports } from '../wasm/jpegkit.mjs';

/** Must equal JK_ABI_VERSION in codec/src/jk.h. */
export const ABI_VERSION = 1;

/** Pixel formats, in the order of the C enum jk_format (and of @jpegkit/core's PIXEL_FORMATS). */
export const WASM_FORMATS = PIXEL_FORMATS;
export type WasmPixelFormat = PixelFormat;

/** Chroma subsampling names and their jk_subsampling values. */
export const WASM_SUBSAMPLING = {
  '4:4:4': 444,
  '4:2:2': 422,
  '4:2:0': 420,
  '4:4:0': 440,
  '4:1:1': 411,
  gray: 400,
} as const;
export type WasmSubsampling = keyof typeof WASM_SUBSAMPLING;

/** Error codes by C status: status -n is WASM_ERROR_CODES[n - 1] (the same list as @jpegkit/core's). */
export const WASM_ERROR_CODES = ERROR_CODES;
export type WasmErrorCode = ErrorCode;

export { WasmCodecError } from './codec-error.js';

export interface LoadModuleOptions {
  /** A precompiled module (e.g. from `WebAssembly.compileStreaming`), instantiated as is. */
  module?: WebAssembly.Module;
  /** The bytes of jpegkit.wasm. */
  wasmBinary?: Uint8Array | ArrayBuffer;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type JpegColorSpace = 'unknown' | 'gray' | 'rgb' | 'ycbcr' | 'cmyk' | 'ycck';
const COLOR_SPACES: readonly JpegColorSpace[] = ['unknown', 'gray', 'rgb', 'ycbcr', 'cmyk', 'ycck'];

export interface GeometryOptions {
  /** Output scale: a multiple of 1/8 from 1/8 to 1 (libjpeg's DCT scaling). Default 1. */
  scale?: number;
  /** Region to decode, in scaled coordinates. */
  crop?: Rect;
}

export interface DecodeInfo {
  /** Size of the output `decode` produces with the same scale and crop. */
  width: number;
  height: number;
  /** The whole image at this scale (the space crop coordinates live in). */
  scaledWidth: number;
  scaledHeight: number;
  imageWidth: number;
  imageHeight: number;
  components: number;
  colorSpace: JpegColorSpace;
  progressive: boolean;
  arithmetic: boolean;
  precision: number;
  /** libjpeg warnings while reading the header. */
  warnings: number;
}

export interface DecodeOptions extends GeometryOptions {
  format: WasmPixelFormat;
  /** Row pitch of the result in bytes (per plane for planar formats); default tightly packed. */
  stride?: number;
  /** Return what was decoded from corrupt or truncated data (with `partial` set) instead of throwing. */
  partial?: boolean;
  /** Write the pixels here instead of a new array (at least `imageBytes(...)` long). */
  into?: Uint8Array;
}

export interface DecodeResult {
  width: number;
  height: number;
  format: WasmPixelFormat;
  stride: number;
  data: Uint8Array;
  /** Set when `partial` was asked for and the data was corrupt or truncated. */
  partial?: { code: WasmErrorCode; message: string; rows: number };
}

export interface EncodeOptions {
  width: number;
  height: number;
  format: WasmPixelFormat;
  /** Row pitch of `pixels` in bytes (per plane for planar formats); default tightly packed. */
  stride?: number;
  /** 1..100, default 75 (cjpeg's default). */
  quality?: number;
  /** Default '4:2:0'. */
  subsampling?: WasmSubsampling;
  progressive?: boolean;
  optimize?: boolean;
  /** In MCUs; 0 (default) for none. */
  restartInterval?: number;
  arithmetic?: boolean;
  icc?: Uint8Array;
  /** The EXIF TIFF structure (APP1 payload after "Exif\0\0"; a leading "Exif\0\0" is accepted too). */
  exif?: Uint8Array;
}

export interface JpegkitWasm {
  /** "jpegkit-wasm <abi> libjpeg-turbo <version>" */
  readonly version: string;
  decodeInfo(jpeg: Uint8Array, options?: GeometryOptions): DecodeInfo;
  decode(jpeg: Uint8Array, options: DecodeOptions): DecodeResult;
  encode(pixels: Uint8Array, options: EncodeOptions): Uint8Array;
  /** Bytes malloc has handed out and not taken back (scratch buffers included). */
  heapUsed(): number;
  /** The raw module (heap views and `_jk_*` exports), for the typed wrappers of other C files. */
  readonly exports: JpegkitWasmExports;
  /** Frees the scratch buffers; the module stays usable and allocates them again when needed. */
  releaseScratch(): void;
  dispose(): void;
}

export { bytesPerPixel, imageByteLength as imageBytes } from '@jpegkit/core';

/** Loads and instantiates the codec: in Node from the .wasm next to the glue, in browsers with fetch. */
export async function loadModule(options: LoadModuleOptions = {}): Promise<JpegkitWasm> {
  let failed: (error: unknown) => void = () => {};
  const failure = new Promise<never>((_, reject) => (failed = reject));
  const glue = await glueOptions(options, (error) => failed(error));
  const m = await Promise.race([createJpegkitModule(glue), failure]);
  const abi = m._jk_abi_version();
  if (abi !== ABI_VERSION) {
    throw new WasmCodecError(
      'E_BACKEND_INIT',
      `jpegkit.wasm has ABI ${abi}, this loader expects ${ABI_VERSION}`,
    );
  }
  return new Codec(m);
}

const WASM_URL = new URL('../wasm/jpegkit.wasm', import.meta.url);

type NodeProcess = { getBuiltinModule?: (id: string) => unknown };
type NodeFs = { promises: { readFile(path: URL): Promise<Uint8Array> } };

/** Glue options for the module; `fail` reports an instantiation error the glue itself would swallow. */
async function glueOptions(
  options: LoadModuleOptions,
  fail: (error: unknown) => void,
): Promise<JpegkitGlueOptions> {
  if (options.module !== undefined) return instantiateFrom(options.module, fail);
  if (options.wasmBinary !== undefined) return { wasmBinary: options.wasmBinary };
  const proc = (globalThis as { process?: NodeProcess }).process;
  if (WASM_URL.protocol === 'file:' && typeof proc?.getBuiltinModule === 'function') {
    const fs = proc.getBuiltinModule('fs') as NodeFs;
    return { wasmBinary: await fs.promises.readFile(WASM_URL) };
  }
  if (typeof WebAssembly.compileStreaming === 'function') {
    try {
      return instantiateFrom(await WebAssembly.compileStreaming(fetch(WASM_URL)), fail);
    } catch {
      // e.g. served without the application/wasm type: compile from the bytes instead
    }
  }
  const response = await fetch(WASM_URL);
  if (!response.ok)
    throw new WasmCodecError('E_BACKEND_INIT', `cannot fetch ${WASM_URL.href}: ${response.status}`);
  return { wasmBinary: new Uint8Array(await response.arrayBuffer()) };
}

function instantiateFrom(module: WebAssembly.Module, fail: (error: unknown) => void): JpegkitGlueOptions {
  return {
    instantiateWasm(imports, receiveInstance) {
      WebAssembly.instantiate(module, imports)
        .then((instance) => receiveInstance(instance, module))
        .catch(fail);
      return {};
    },
  };
}

const INFO_FIELDS = 16;

class Codec implements JpegkitWasm {
  readonly version: string;
  #m: JpegkitWasmExports | undefined;
  /** Compressed input / encoded pixels, decoded pixels, ICC + EXIF. */
  readonly #input: Scratch;
  readonly #output: Scratch;
  readonly #meta: Scratch;
  /** info[16] for jk_decode_info, then out + out_len for jk_encode. */
  readonly #slots: number;

  constructor(m: JpegkitWasmExports) {
    this.#m = m;
    this.#input = new Scratch(m);
    this.#output = new Scratch(m);
    this.#meta = new Scratch(m);
    this.#slots = m._malloc(INFO_FIELDS * 4 + 8) >>> 0;
    this.version = this.#string(m._jk_version());
  }

  decodeInfo(jpeg: Uint8Array, options: GeometryOptions = {}): DecodeInfo {
    const m = this.#module();
    const src = this.#copyIn(this.#input, jpeg);
    return this.#info(m, src, jpeg.length, options);
  }

  decode(jpeg: Uint8Array, options: DecodeOptions): DecodeResult {
    const m = this.#module();
    const format = formatIndex(options.format);
    const src = this.#copyIn(this.#input, jpeg);
    const info = this.#info(m, src, jpeg.length, options);
    const { width, height } = info;
    const stride = options.stride ?? width * bytesPerPixel(options.format);
    const size = imageBytes(width, height, options.format, stride);
    const dst = this.#output.ensure(size);
    const crop = options.crop;
    const status = m._jk_decode(
      src,
      jpeg.length,
      format,
      scaleNum(options.scale),
      crop?.x ?? 0,
      crop?.y ?? 0,
      crop?.width ?? 0,
      crop?.height ?? 0,
      dst,
      size,
      stride,
      options.partial ? 1 : 0,
    );
    if (status < 0) this.#fail(status);
    let data: Uint8Array;
    if (options.into !== undefined) {
      if (options.into.length < size) {
        throw new WasmCodecError(
          'E_INVALID_ARGUMENT',
          `into holds ${options.into.length} bytes, ${size} needed`,
        );
      }
      options.into.set(m.HEAPU8.subarray(dst, dst + size));
      data = options.into;
    } else {
      data = m.HEAPU8.slice(dst, dst + size);
    }
    const result: DecodeResult = { width, height, format: options.format, stride, data };
    if (status === 1) {
      result.partial = {
        code: errorCode(m._jk_last_error_code()),
        message: this.#string(m._jk_last_error()),
        rows: m._jk_last_rows(),
      };
    }
    return result;
  }

  encode(pixels: Uint8Array, options: EncodeOptions): Uint8Array {
    const m = this.#module();
    const { width, height } = options;
    const format = formatIndex(options.format);
    const stride = options.stride ?? width * bytesPerPixel(options.format);
    const size = imageBytes(width, height, options.format, stride);
    if (!(size > 0) || pixels.length < size) {
      throw new WasmCodecError('E_INVALID_ARGUMENT', `pixels hold ${pixels.length} bytes, ${size} needed`);
    }
    const subsampling = WASM_SUBSAMPLING[options.subsampling ?? '4:2:0'];
    if (subsampling === undefined) {
      throw new WasmCodecError('E_INVALID_ARGUMENT', `unknown subsampling ${String(options.subsampling)}`);
    }
    const src = this.#copyIn(this.#input, pixels.subarray(0, size));
    const icc = options.icc ?? new Uint8Array(0);
    const exif = options.exif ?? new Uint8Array(0);
    const meta = this.#meta.ensure(icc.length + exif.length);
    m.HEAPU8.set(icc, meta);
    m.HEAPU8.set(exif, meta + icc.length);
    const outSlot = this.#slots + INFO_FIELDS * 4;
    const status = m._jk_encode(
      src,
      width,
      height,
      stride,
      format,
      options.quality ?? 75,
      subsampling,
      options.progressive ? 1 : 0,
      options.optimize ? 1 : 0,
      options.restartInterval ?? 0,
      options.arithmetic ? 1 : 0,
      meta,
      icc.length,
      meta + icc.length,
      exif.length,
      outSlot,
      outSlot + 4,
    );
    if (status < 0) this.#fail(status);
    const out = m.HEAPU32[outSlot >>> 2]! >>> 0;
    const outLen = m.HEAPU32[(outSlot >>> 2) + 1]! >>> 0;
    const jpeg = m.HEAPU8.slice(out, out + outLen);
    m._jk_free(out);
    return jpeg;
  }

  heapUsed(): number {
    return this.#module()._jk_heap_used() >>> 0;
  }

  get exports(): JpegkitWasmExports {
    return this.#module();
  }

  releaseScratch(): void {
    this.#input.release();
    this.#output.release();
    this.#meta.release();
  }

  dispose(): void {
    if (this.#m === undefined) return;
    this.releaseScratch();
    this.#m._free(this.#slots);
    this.#m = undefined;
  }

  #module(): JpegkitWasmExports {
    if (this.#m === undefined) throw new WasmCodecError('E_INVALID_ARGUMENT', 'the wasm codec was disposed');
    return this.#m;
  }

  #copyIn(scratch: Scratch, bytes: Uint8Array): number {
    const ptr = scratch.ensure(bytes.length);
    this.#module().HEAPU8.set(bytes, ptr); // after ensure: malloc may have grown (and replaced) HEAPU8
    return ptr;
  }

  #info(m: JpegkitWasmExports, src: number, len: number, options: GeometryOptions): DecodeInfo {
    const crop = options.crop;
    const status = m._jk_decode_info(
      src,
      len,
      scaleNum(options.scale),
      crop?.x ?? 0,
      crop?.y ?? 0,
      crop?.width ?? 0,
      crop?.height ?? 0,
      this.#slots,
    );
    if (status < 0) this.#fail(status);
    const f = m.HEAP32.subarray(this.#slots >>> 2, (this.#slots >>> 2) + INFO_FIELDS);
    return {
      width: f[0]!,
      height: f[1]!,
      scaledWidth: f[2]!,
      scaledHeight: f[3]!,
      imageWidth: f[4]!,
      imageHeight: f[5]!,
      components: f[6]!,
      colorSpace: COLOR_SPACES[f[7]!] ?? 'unknown',
      progressive: f[8] === 1,
      arithmetic: f[9] === 1,
      precision: f[10]!,
      warnings: f[11]!,
    };
  }

  #fail(status: number): never {
    fail(this.#module(), status);
  }

  #string(ptr: number): string {
    return cString(this.#module(), ptr);
  }
}
