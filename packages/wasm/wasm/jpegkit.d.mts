// Types for the Emscripten glue jpegkit.mjs (built by codec/build.sh); the C side is codec/src/jk.h.
// Pointers and sizes are wasm32 values: numbers, unsigned once read back with `>>> 0`.

export interface JpegkitWasmExports {
  readonly HEAPU8: Uint8Array;
  readonly HEAP32: Int32Array;
  readonly HEAPU32: Uint32Array;
  _malloc(size: number): number;
  _free(ptr: number): void;
  _jk_abi_version(): number;
  _jk_version(): number;
  _jk_last_error(): number;
  _jk_last_error_code(): number;
  _jk_last_rows(): number;
  _jk_decode_info(
    src: number,
    len: number,
    scaleNum: number,
    cropX: number,
    cropY: number,
    cropW: number,
    cropH: number,
    info: number,
  ): number;
  _jk_decode(
    src: number,
    len: number,
    format: number,
    scaleNum: number,
    cropX: number,
    cropY: number,
    cropW: number,
    cropH: number,
    dst: number,
    dstLen: number,
    dstStride: number,
    partial: number,
  ): number;
  _jk_encode(
    pixels: number,
    width: number,
    height: number,
    stride: number,
    format: number,
    quality: number,
    subsampling: number,
    progressive: number,
    optimize: number,
    restartInterval: number,
    arithmetic: number,
    icc: number,
    iccLen: number,
    exif: number,
    exifLen: number,
    out: number,
    outLen: number,
  ): number;
  _jk_free(ptr: number): void;
  _jk_heap_used(): number;
}

export interface JpegkitGlueOptions {
  wasmBinary?: ArrayBuffer | Uint8Array;
  instantiateWasm?(
    imports: WebAssembly.Imports,
    receiveInstance: (instance: WebAssembly.Instance, module?: WebAssembly.Module) => void,
  ): object;
  locateFile?(path: string, prefix: string): string;
  print?(text: string): void;
  printErr?(text: string): void;
}

declare function createJpegkitModule(options?: JpegkitGlueOptions): Promise<JpegkitWasmExports>;
export default createJpegkitModule;
