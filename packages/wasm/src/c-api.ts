/**
 * Conventions of our C API (codec/src/jk.h) shared by every typed wrapper: format and scale arguments, and
 * status codes turned into WasmCodecErrors with the C side's message.
 */
import { ERROR_CODES, PIXEL_FORMATS } from '@jpegkit/core';
import type { ErrorCode, PixelFormat } from '@jpegkit/core';
import { WasmCodecError } from './codec-error.js';

/** The part of the module the error path reads. */
export interface ErrorSource {
  readonly HEAPU8: Uint8Array;
  _jk_last_error(): number;
}

const decoder = new TextDecoder();

/** The C enum jk_format value of a pixel format (the order of core's PIXEL_FORMATS). */
export function formatIndex(format: PixelFormat): number {
  const index = PIXEL_FORMATS.indexOf(format);
  if (index < 0) throw new WasmCodecError('E_INVALID_ARGUMENT', `unknown pixel format ${String(format)}`);
  return index;
}

/** The numerator M of a libjpeg scale M/8. */
export function scaleNum(scale = 1): number {
  const num = scale * 8;
  if (!Number.isInteger(num) || num < 1 || num > 8) {
    throw new WasmCodecError(
      'E_INVALID_ARGUMENT',
      `scale must be a multiple of 1/8 in [1/8, 1], got ${scale}`,
    );
  }
  return num;
}

/** A negative C status as core's error code: status -n is ERROR_CODES[n - 1]. */
export function errorCode(status: number): ErrorCode {
  return ERROR_CODES[-status - 1] ?? 'E_CORRUPT';
}

/** The NUL-terminated string at `ptr` in wasm memory. */
export function cString(m: ErrorSource, ptr: number): string {
  const heap = m.HEAPU8;
  const start = ptr >>> 0;
  let end = start;
  while (end < heap.length && heap[end] !== 0) end++;
  return decoder.decode(heap.subarray(start, end));
}

/** Throws the failure a C call reported, with the message it left in jk_last_error(). */
export function fail(m: ErrorSource, status: number): never {
  throw new WasmCodecError(errorCode(status), cString(m, m._jk_last_error()));
}
