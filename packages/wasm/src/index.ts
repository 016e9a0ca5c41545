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
export { WasmBackend, createBackend } from './backend.js';
export { encodeWith } from './engine.js';
export { readCoefficients, transformJpeg, writeCoefficients } from './transform-module.js';
export type { DctCoefficients } from './transform-module.js';
export { applyOpWasm, runOpsWasm, runPipelineWasm } from './ops-module.js';
export type { WasmBackendOptions } from './backend.js';

import { registerBackend } from '@jpegkit/core';
import { createBackend } from './backend.js';

// Importing the package makes the backend available to createCodec (in bundlers too).
registerBackend(createBackend());
