/**
 * A malloc'ed region of wasm memory reused across calls while it is large enough — every typed wrapper over
 * the C API (module, ops, transforms) keeps its buffers in these.
 */
import { WasmCodecError } from './codec-error.js';

/** The most a wasm32 heap can hold; larger buffers are E_TOO_LARGE before anything is allocated. */
export const MAX_WASM_BYTES = 2 ** 32 - 2 ** 26;

/** The part of the Emscripten module a scratch buffer needs. */
export interface Allocator {
  _malloc(size: number): number;
  _free(ptr: number): void;
}

export class Scratch {
  ptr = 0;
  size = 0;
  constructor(private readonly m: Allocator) {}

  /** A pointer to at least `bytes` bytes (the old contents are not kept when it grows). */
  ensure(bytes: number): number {
    if (bytes <= this.size && this.ptr !== 0) return this.ptr;
    if (!(bytes <= MAX_WASM_BYTES)) {
      throw new WasmCodecError('E_TOO_LARGE', `${bytes} bytes do not fit in wasm memory`);
    }
    this.release();
    const size = Math.max(64, Math.ceil(bytes / 65536) * 65536);
    const ptr = this.m._malloc(size) >>> 0;
    if (ptr === 0)
      throw new WasmCodecError('E_OUT_OF_MEMORY', `cannot allocate ${size} bytes of wasm memory`);
    this.ptr = ptr;
    this.size = size;
    return ptr;
  }

  release(): void {
    if (this.ptr !== 0) this.m._free(this.ptr);
    this.ptr = 0;
    this.size = 0;
  }
}
