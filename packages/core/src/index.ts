/**
 * @jpegkit/core — the public API: createCodec, inspect, the image model, errors, the backend registry, and
 * the reference pixel operations every backend is checked against.
 *
 * @example
 * ```ts
 * import { createCodec, inspect, JpegError } from '@jpegkit/core';
 * const codec = await createCodec();
 * const img = await codec.decode(bytes, { format: 'rgba' });
 * ```
 */
export { Codec, createCodec } from './codec.js';
export type { CodecOptions, DecodeResult, SkippedBackend } from './codec.js';
export { Pipeline } from './pipeline-builder.js';
export { inspect } from './inspect.js';
export type {
  CodingProcess,
  ColorSpace,
  ComponentInfo,
  JfifInfo,
  JpegHeader,
  ScanInfo,
  Subsampling,
} from './header.js';
export { ERROR_CODES, JpegError, isJpegError } from './errors.js';
export type { ErrorCode, JpegErrorOptions } from './errors.js';
export {
  checkBoolean,
  checkBytes,
  checkInteger,
  checkNumber,
  checkObject,
  checkOneOf,
  invalidArgument,
} from './args.js';
export {
  PIXEL_FORMATS,
  bytesPerPixel,
  channelCount,
  checkHostImage,
  createHostImage,
  imageByteLength,
  isDeviceImage,
  isPlanar,
  pixelOffset,
} from './image.js';
export type {
  CreateHostImageOptions,
  DeviceImage,
  DeviceLocation,
  HostImage,
  Orientation,
  PixelFormat,
} from './image.js';
export {
  DEFAULT_MAX_PIXELS,
  SUBSAMPLINGS,
  resolveDecodeOptions,
  resolveEncodeOptions,
  resolveResizeStep,
} from './options.js';
export type { DecodeOptions, EncodeOptions } from './options.js';
export { checkIntoCapacity, decodedSize, scaledSize } from './geometry.js';
export { FIT_MODES, OP_NAMES, RESIZE_FILTERS } from './pipeline.js';
export type {
  AdjustOptions,
  CropRect,
  FitMode,
  OpName,
  OpStep,
  ResizeFilter,
  ResizeOptions,
  SharpenOptions,
} from './pipeline.js';
export {
  BACKEND_PACKAGES,
  BACKEND_PRIORITY,
  DCT_SCALES,
  KNOWN_BACKENDS,
  planDecodeOptions,
  resultOrientation,
  shrinkOnLoadScale,
} from './backend.js';
export type {
  Backend,
  BackendCaps,
  BackendInitOptions,
  BackendName,
  DctScale,
  KnownBackendName,
  PipelinePlan,
  PlanInput,
  PlanOutput,
  PlanResult,
  ResolvedDecodeOptions,
  ResolvedEncodeOptions,
} from './backend.js';
export {
  initBackend,
  loadBackend,
  registerBackend,
  registeredBackends,
  resetBackend,
  setBackendImporter,
  unregisterBackend,
} from './registry.js';
export type { BackendImporter } from './registry.js';
export { readPnm, writePnm } from './pnm.js';
export { exifSegment, iccSegments, insertAfterHeader, insertMetadata } from './jpeg-segments.js';
export { resolveTransformOptions } from './transform.js';
export type { ResolvedTransformOptions, TransformOptions } from './transform.js';
/** The reference pixel operations (plain TypeScript): the oracle every backend is checked against. */
export * as ops from './ops/index.js';
