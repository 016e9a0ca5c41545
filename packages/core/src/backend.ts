import type { JpegError } from './errors.js';
import type { JpegHeader } from './header.js';
import type { DeviceImage, HostImage, Orientation, PixelFormat } from './image.js';
import type { CropRect, OpName, OpStep } from './pipeline.js';
import type { ResolvedTransformOptions } from './transform.js';
import { resolveResize } from './ops/fit.js';

/** Names of the backends jpegkit ships; third-party backends may use other names. */
export const KNOWN_BACKENDS = ['cuda', 'webgpu', 'wasm'] as const;
export type KnownBackendName = (typeof KNOWN_BACKENDS)[number];
export type BackendName = KnownBackendName | (string & {});

/** Priorities of the shipped backends: the higher one wins when several are available. */
export const BACKEND_PRIORITY: Readonly<Record<KnownBackendName, number>> = {
  cuda: 30,
  webgpu: 20,
  wasm: 10,
};

/** The package each shipped backend lives in; core imports it at run time, never at build time. */
export const BACKEND_PACKAGES: Readonly<Record<KnownBackendName, string>> = {
  cuda: '@jpegkit/native-cuda',
  webgpu: '@jpegkit/webgpu',
  wasm: '@jpegkit/wasm',
};

export const DCT_SCALES = [1, 0.5, 0.25, 0.125] as const;
export type DctScale = (typeof DCT_SCALES)[number];

/** What an initialised backend can do, reported by `init()`. */
export interface BackendCaps {
  /** Human-readable device or runtime, e.g. "NVIDIA H200 (nvJPEG 13.0, hardware decoder)". */
  device: string;
  formats: readonly PixelFormat[];
  scales: readonly number[];
  /** Whether `decode` can return images that stay on the device. */
  deviceImages: boolean;
  encode: boolean;
  /** Whether `transform` (lossless DCT-domain transforms) is there. */
  transform?: boolean;
  /** Pixel ops `run` executes. */
  ops: readonly OpName[];
  /** Free-form facts worth showing a user (versions, limits, what goes to the fallback). */
  notes?: readonly string[];
}

export interface BackendInitOptions {
  /** GPU ordinal, for backends that have one. */
  device?: number;
  /** Precompiled module or other backend-specific input (e.g. a `WebAssembly.Module`). */
  [key: string]: unknown;
}

/** Decode options after defaults and checks. */
export interface ResolvedDecodeOptions {
  format: PixelFormat;
  scale: DctScale;
  crop?: CropRect;
  /** Apply the EXIF orientation so the result is upright. */
  orient: boolean;
  into?: HostImage;
  location: 'host' | 'device';
  /** Return what was decoded from corrupt or truncated data instead of rejecting. */
  partial: boolean;
}

export interface ResolvedEncodeOptions {
  quality: number;
  subsampling: '4:4:4' | '4:2:2' | '4:2:0' | '4:4:0' | '4:1:1' | 'gray';
  progressive: boolean;
  restartInterval: number;
  optimize: boolean;
  arithmetic: boolean;
  icc?: Uint8Array;
  exif?: Uint8Array;
}

/** Where a plan's pixels come from. */
export type PlanInput =
  { kind: 'jpeg'; bytes: Uint8Array; header: JpegHeader } | { kind: 'image'; image: HostImage | DeviceImage };

/** What a plan produces. */
export type PlanOutput =
  | { kind: 'jpeg'; encode: ResolvedEncodeOptions }
  | { kind: 'image'; format: PixelFormat; location: 'host' | 'device' };

/** A whole pipeline, handed to a backend in one call so it can fuse steps and keep data on the device. */
export interface PipelinePlan {
  input: PlanInput;
  /** Auto-orient from EXIF before the steps (JPEG input only). */
  orient: boolean;
  /**
   * JPEG input only, opt-in: a backend may decode at a reduced DCT scale when the first step shrinks (libjpeg's
   * scaled IDCT, as sharp's fastShrinkOnLoad). Faster, but the pixels then differ from a full-size decode — and
   * between backends that do not do it — so the default is off. Absent means off.
   */
  shrinkOnLoad?: boolean;
  steps: OpStep[];
  output: PlanOutput;
}

export type PlanResult = Uint8Array | HostImage | DeviceImage;

/**
 * Shrink-on-load ({@link PipelinePlan.shrinkOnLoad}): the smallest of `scales` at which a `width`×`height` JPEG
 * still decodes to at least the pixels its first step — a resize — needs in each direction (after orientation),
 * else 1. libjpeg decodes at any M/8 (the default list); a backend passes the scales its decoder has.
 */
export function shrinkOnLoadScale(
  width: number,
  height: number,
  orientation: Orientation,
  steps: readonly OpStep[],
  orient: boolean,
  scales: readonly number[] = [1, 2, 3, 4, 5, 6, 7, 8].map((m) => m / 8),
): number {
  const first = steps[0];
  if (!first || first.op !== 'resize') return 1;
  const swap = orient && orientation >= 5;
  const [w, h] = swap ? [height, width] : [width, height];
  const geometry = resolveResize(w, h, first);
  for (const s of [...scales].sort((a, b) => a - b)) {
    if (Math.ceil(w * s) >= geometry.resizeWidth && Math.ceil(h * s) >= geometry.resizeHeight) return s;
  }
  return 1;
}

/** How a backend decodes a plan's JPEG input: rgb, full scale, kept on the device, oriented as the plan says. */
export function planDecodeOptions(plan: Pick<PipelinePlan, 'orient'>): ResolvedDecodeOptions {
  return { format: 'rgb', scale: 1, orient: plan.orient, location: 'device', partial: false };
}

/**
 * The contract every engine implements. Core calls `init` once (the promise is cached), asks `canDecode`
 * per image, and falls back to the next backend when it answers with a reason.
 */
export interface Backend {
  readonly name: BackendName;
  readonly priority: number;
  /** Resolves with the capabilities; rejects (with the reason) when the backend cannot run here. */
  init(options: BackendInitOptions): Promise<BackendCaps>;
  /** `true`, or a sentence saying why this image must go to another backend. */
  canDecode(header: JpegHeader, options: ResolvedDecodeOptions): true | string;
  decode(
    bytes: Uint8Array,
    header: JpegHeader,
    options: ResolvedDecodeOptions,
  ): Promise<HostImage | DeviceImage>;
  /** Optional batched decode; results in input order, failures in place. */
  decodeBatch?(
    items: readonly { bytes: Uint8Array; header: JpegHeader }[],
    options: ResolvedDecodeOptions,
  ): Promise<(HostImage | DeviceImage | JpegError)[]>;
  encode?(image: HostImage | DeviceImage, options: ResolvedEncodeOptions): Promise<Uint8Array>;
  /** Optional batched encode; results in input order, failures in place. */
  encodeBatch?(
    images: readonly (HostImage | DeviceImage)[],
    options: ResolvedEncodeOptions,
  ): Promise<(Uint8Array | JpegError)[]>;
  run?(plan: PipelinePlan): Promise<PlanResult>;
  /** Lossless DCT-domain transform (jpegtran's job). */
  transform?(bytes: Uint8Array, header: JpegHeader, options: ResolvedTransformOptions): Promise<Uint8Array>;
  dispose(): Promise<void>;
}

/** The orientation a decode result reports: 1 once oriented, the stored one otherwise. */
export function resultOrientation(header: JpegHeader, orient: boolean): Orientation {
  return orient ? 1 : header.orientation;
}
