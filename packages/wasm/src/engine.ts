/**
 * What one wasm module instance does for the backend — decode, encode and whole pipelines — with
 * @jpegkit/core's semantics (formats, orientation, errors). The same functions run on the calling thread and
 * inside each pool worker, so both paths give the same bytes.
 */
import { JpegError, ops, shrinkOnLoadScale } from '@jpegkit/core';
import type {
  ErrorCode,
  HostImage,
  OpStep,
  Orientation,
  PixelFormat,
  ResolvedEncodeOptions,
  ResolvedTransformOptions,
} from '@jpegkit/core';
import { WasmCodecError } from './module.js';
import type { JpegkitWasm } from './module.js';
import { applyOpWasm, runOpsWasm, runPipelineWasm } from './ops-module.js';
import type { WasmPipelineOutput } from './ops-module.js';
import { readCoefficients, transformJpeg } from './transform-module.js';
import type { DctCoefficients } from './transform-module.js';

export const BACKEND_NAME = 'wasm';

/** Decode request as it crosses to a worker: no functions, no caller buffers. */
export interface DecodeJob {
  format: PixelFormat;
  scale: number;
  crop?: { x: number; y: number; width: number; height: number };
  orient: boolean;
  orientation: Orientation;
  partial: boolean;
  /** Row pitch wanted for the result (so the caller can copy it into its own image in one go). */
  stride?: number;
}

/** A pipeline as it crosses to a worker. */
export interface RunJob {
  input:
    | { kind: 'jpeg'; bytes: Uint8Array; orientation: Orientation; width: number; height: number }
    | { kind: 'image'; image: HostImage };
  orient: boolean;
  /** Decode a JPEG input at the smallest DCT scale the first resize allows (PipelinePlan.shrinkOnLoad). */
  shrinkOnLoad: boolean;
  steps: OpStep[];
  output: { kind: 'jpeg'; encode: ResolvedEncodeOptions } | { kind: 'image'; format: PixelFormat };
}

/** Turns the C codec's errors (and anything unexpected) into JpegErrors that name this backend. */
export function toJpegError(error: unknown): JpegError {
  if (error instanceof JpegError) return error;
  if (error instanceof WasmCodecError)
    return new JpegError(error.code as ErrorCode, error.message, { backend: BACKEND_NAME });
  if (error instanceof RangeError || /out of memory|Cannot enlarge memory/i.test(String(error))) {
    return new JpegError('E_OUT_OF_MEMORY', `wasm memory exhausted: ${String(error)}`, {
      backend: BACKEND_NAME,
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new JpegError('E_CORRUPT', `wasm codec failed: ${message}`, { backend: BACKEND_NAME, cause: error });
}

/** Decodes with libjpeg-turbo (accurate islow IDCT, fancy upsampling), then orients if asked. */
export function decodeWith(codec: JpegkitWasm, bytes: Uint8Array, job: DecodeJob): HostImage {
  const orienting = job.orient && job.orientation !== 1;
  const result = codec.decode(bytes, {
    format: job.format,
    scale: job.scale,
    ...(job.crop ? { crop: job.crop } : {}),
    ...(job.stride !== undefined && !orienting ? { stride: job.stride } : {}),
    partial: job.partial,
  });
  let image: HostImage = {
    width: result.width,
    height: result.height,
    format: result.format,
    stride: result.stride,
    data: result.data,
    orientation: job.orientation,
    backend: BACKEND_NAME,
  };
  if (orienting) {
    image = applyOpWasm(codec, image, { op: 'orient', orientation: job.orientation });
    if (job.stride !== undefined && job.stride !== image.stride)
      image = ops.convertImage(image, image.format, { stride: job.stride });
  }
  image.orientation = job.orient ? 1 : job.orientation;
  if (result.partial) {
    image.partial = {
      code: result.partial.code as ErrorCode,
      message: result.partial.message,
      rows: result.partial.rows,
    };
  }
  return image;
}

/** Encodes a host image with a loaded module and core's resolved encode options (what the backend's encode runs). */
export function encodeWith(codec: JpegkitWasm, image: HostImage, options: ResolvedEncodeOptions): Uint8Array {
  return codec.encode(image.data, {
    width: image.width,
    height: image.height,
    format: image.format,
    stride: image.stride,
    quality: options.quality,
    subsampling: options.subsampling,
    progressive: options.progressive,
    optimize: options.optimize,
    restartInterval: options.restartInterval,
    arithmetic: options.arithmetic,
    ...(options.icc ? { icc: options.icc } : {}),
    ...(options.exif ? { exif: options.exif } : {}),
  });
}

/** Runs a whole pipeline in one module call: (scaled) decode → orient → C pixel ops → encode or pixels. */
export function runWith(codec: JpegkitWasm, job: RunJob): Uint8Array | HostImage {
  const output: WasmPipelineOutput =
    job.output.kind === 'jpeg'
      ? { kind: 'jpeg', encode: job.output.encode }
      : { kind: 'image', format: job.output.format };
  const result =
    job.input.kind === 'jpeg'
      ? runPipelineWasm(codec, job.input.bytes, {
          scale: job.shrinkOnLoad
            ? shrinkOnLoadScale(
                job.input.width,
                job.input.height,
                job.input.orientation,
                job.steps,
                job.orient,
              )
            : 1,
          orient: job.orient,
          orientation: job.input.orientation,
          steps: job.steps,
          output,
        })
      : runOpsWasm(codec, job.input.image, job.steps, output);
  if (!(result instanceof Uint8Array)) result.backend = BACKEND_NAME;
  return result;
}

/** A request as the pool and the calling thread both carry it out. */
export type EngineRequest =
  | { op: 'decode'; bytes: Uint8Array; job: DecodeJob }
  | { op: 'encode'; image: HostImage; options: ResolvedEncodeOptions }
  | { op: 'run'; job: RunJob }
  | { op: 'transform'; bytes: Uint8Array; options: ResolvedTransformOptions }
  | { op: 'coefficients'; bytes: Uint8Array }
  | { op: 'heap' };

/** Carries out one request on a module instance (in a pool worker, or on the calling thread). */
export function serve(
  codec: JpegkitWasm,
  request: EngineRequest,
): Uint8Array | HostImage | DctCoefficients | number {
  switch (request.op) {
    case 'decode':
      return decodeWith(codec, request.bytes, request.job);
    case 'encode':
      return encodeWith(codec, request.image, request.options);
    case 'run':
      return runWith(codec, request.job);
    case 'transform':
      return transformJpeg(codec, request.bytes, request.options);
    case 'coefficients':
      return readCoefficients(codec, request.bytes);
    case 'heap':
      return codec.heapUsed();
  }
}
