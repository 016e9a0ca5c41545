import {
  checkBoolean,
  checkBytes,
  checkInteger,
  checkNumber,
  checkObject,
  checkOneOf,
  invalidArgument,
} from './args.js';
import { DCT_SCALES } from './backend.js';
import type { ResolvedDecodeOptions, ResolvedEncodeOptions } from './backend.js';
import { PIXEL_FORMATS, checkHostImage } from './image.js';
import type { HostImage, Orientation, PixelFormat } from './image.js';
import { FIT_MODES, RESIZE_FILTERS } from './pipeline.js';
import type { AdjustOptions, CropRect, OpStep, ResizeOptions, SharpenOptions } from './pipeline.js';

/** The largest image accepted by default: 16383 × 16383, as sharp's `limitInputPixels`. */
export const DEFAULT_MAX_PIXELS = 268_402_689;

export interface DecodeOptions {
  /** Default 'rgb'. */
  format?: PixelFormat;
  /** DCT-domain scaling. Default 1. */
  scale?: 1 | 0.5 | 0.25 | 0.125;
  /** Region of the (stored, unrotated) image to decode. */
  crop?: CropRect;
  /** Apply the EXIF orientation. Default false for decode (raw stored orientation). */
  orient?: boolean;
  /** Decode into this image, reusing its buffer (its stride is honoured). */
  into?: HostImage;
  /** 'device' keeps the pixels on the GPU (GPU backends only). Default 'host'. */
  location?: 'host' | 'device';
  /** Return what could be decoded from damaged data instead of rejecting. Default false. */
  partial?: boolean;
}

export const SUBSAMPLINGS = ['4:4:4', '4:2:2', '4:2:0', '4:4:0', '4:1:1', 'gray'] as const;

export interface EncodeOptions {
  /** 1–100, default 90. */
  quality?: number;
  /** Default '4:2:0'. */
  subsampling?: (typeof SUBSAMPLINGS)[number];
  progressive?: boolean;
  /** MCUs between restart markers, 0 = none. */
  restartInterval?: number;
  /** Optimised Huffman tables. */
  optimize?: boolean;
  arithmetic?: boolean;
  icc?: Uint8Array;
  exif?: Uint8Array;
}

export function checkCrop(value: unknown, name = 'crop'): CropRect {
  const o = checkObject(value, name);
  return {
    x: checkInteger(o.x, `${name}.x`, 0, 65535),
    y: checkInteger(o.y, `${name}.y`, 0, 65535),
    width: checkInteger(o.width, `${name}.width`, 1, 65535),
    height: checkInteger(o.height, `${name}.height`, 1, 65535),
  };
}

/** Checks decode options and fills in defaults; throws E_INVALID_ARGUMENT synchronously. */
export function resolveDecodeOptions(options: DecodeOptions = {}): ResolvedDecodeOptions {
  const o = checkObject(options, 'options');
  const resolved: ResolvedDecodeOptions = {
    format: o.format === undefined ? 'rgb' : checkOneOf(o.format, 'format', PIXEL_FORMATS),
    scale: o.scale === undefined ? 1 : checkOneOf(o.scale, 'scale', DCT_SCALES),
    orient: o.orient === undefined ? false : checkBoolean(o.orient, 'orient'),
    location:
      o.location === undefined ? 'host' : checkOneOf(o.location, 'location', ['host', 'device'] as const),
    partial: o.partial === undefined ? false : checkBoolean(o.partial, 'partial'),
  };
  if (o.crop !== undefined) resolved.crop = checkCrop(o.crop);
  if (o.into !== undefined) {
    const into = checkHostImage(o.into, 'into');
    if (o.format !== undefined && into.format !== resolved.format) {
      throw invalidArgument(`an image of format "${resolved.format}"`, 'into', into.format);
    }
    resolved.format = into.format;
    resolved.into = into;
    if (resolved.location === 'device') throw invalidArgument('"host" with into', 'location', 'device');
  }
  return resolved;
}

/** Checks encode options and fills in defaults; throws E_INVALID_ARGUMENT synchronously. */
export function resolveEncodeOptions(options: EncodeOptions = {}): ResolvedEncodeOptions {
  const o = checkObject(options, 'options');
  const resolved: ResolvedEncodeOptions = {
    quality: o.quality === undefined ? 90 : checkInteger(o.quality, 'quality', 1, 100),
    subsampling:
      o.subsampling === undefined ? '4:2:0' : checkOneOf(o.subsampling, 'subsampling', SUBSAMPLINGS),
    progressive: o.progressive === undefined ? false : checkBoolean(o.progressive, 'progressive'),
    restartInterval:
      o.restartInterval === undefined ? 0 : checkInteger(o.restartInterval, 'restartInterval', 0, 65535),
    optimize: o.optimize === undefined ? false : checkBoolean(o.optimize, 'optimize'),
    arithmetic: o.arithmetic === undefined ? false : checkBoolean(o.arithmetic, 'arithmetic'),
  };
  if (o.icc !== undefined) resolved.icc = checkBytes(o.icc, 'icc');
  if (o.exif !== undefined) resolved.exif = checkBytes(o.exif, 'exif');
  return resolved;
}

export function resolveResizeStep(options: ResizeOptions): Extract<OpStep, { op: 'resize' }> {
  const o = checkObject(options, 'resize options');
  if (o.width === undefined && o.height === undefined) {
    throw invalidArgument('width, height or both', 'resize', o);
  }
  const width = o.width === undefined ? 0 : checkInteger(o.width, 'width', 1, 65535);
  const height = o.height === undefined ? 0 : checkInteger(o.height, 'height', 1, 65535);
  let background: [number, number, number, number] = [0, 0, 0, 255];
  if (o.background !== undefined) {
    const bg = o.background;
    if (!Array.isArray(bg) || bg.length !== 4) throw invalidArgument('[r, g, b, a]', 'background', bg);
    background = bg.map((c, i) => checkInteger(c, `background[${i}]`, 0, 255)) as typeof background;
  }
  return {
    op: 'resize',
    width,
    height,
    fit: o.fit === undefined ? 'cover' : checkOneOf(o.fit, 'fit', FIT_MODES),
    filter: o.filter === undefined ? 'lanczos3' : checkOneOf(o.filter, 'filter', RESIZE_FILTERS),
    linear: o.linear === undefined ? false : checkBoolean(o.linear, 'linear'),
    background,
  };
}

export function resolveSharpenStep(options: SharpenOptions): Extract<OpStep, { op: 'sharpen' }> {
  const o = checkObject(options, 'sharpen options');
  return {
    op: 'sharpen',
    sigma: checkNumber(o.sigma, 'sigma', 0.3, 10),
    amount: o.amount === undefined ? 1 : checkNumber(o.amount, 'amount', 0, 10),
    threshold: o.threshold === undefined ? 0 : checkNumber(o.threshold, 'threshold', 0, 255),
  };
}

export function resolveAdjustStep(options: AdjustOptions): Extract<OpStep, { op: 'adjust' }> {
  const o = checkObject(options, 'adjust options');
  return {
    op: 'adjust',
    brightness: o.brightness === undefined ? 0 : checkNumber(o.brightness, 'brightness', -1, 1),
    contrast: o.contrast === undefined ? 1 : checkNumber(o.contrast, 'contrast', 0, 4),
  };
}

export function checkOrientation(value: unknown, name = 'orientation'): Orientation {
  return checkInteger(value, name, 1, 8) as Orientation;
}
