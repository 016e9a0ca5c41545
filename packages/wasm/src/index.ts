export {
  ABI_VERSION,
  WASM_ERROR_CODES,
  WASM_FORMATS,
  WASM_SUBSAMPLING,
  WasmCodecError,
  bytesPerPixel,
  imageBytes,
  loadModule,
} from './module.js';
export type {
  DecodeInfo,
  DecodeOptions,
  DecodeResult,
  EncodeOptions,
  GeometryOptions,
  JpegColorSpace,
  JpegkitWasm,
  LoadModuleOptions,
  Rect,
  WasmErrorCode,
  WasmPixelFormat,
  WasmSubsampling,
} from './module.js';
