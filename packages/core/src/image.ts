import { checkInteger, checkOneOf, invalidArgument } from './args.js';
import type { ErrorCode } from './errors.js';

/** Pixel layouts jpegkit reads and writes. Interleaved formats store a row's pixels side by side; planar
 * formats store each channel as its own plane of `stride * height` bytes, planes back to back. */
export const PIXEL_FORMATS = ['rgb', 'rgba', 'bgr', 'bgra', 'gray', 'rgb-planar', 'bgr-planar'] as const;
export type PixelFormat = (typeof PIXEL_FORMATS)[number];

/** EXIF orientation 1–8 (1 = stored as displayed). */
export type Orientation = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

/**
 * An image in host memory.
 *
 * `stride` is the distance in bytes between the starts of two rows (of one plane for planar formats);
 * it is at least `width * bytesPerPixel(format)` and may be larger when decoding into a caller's buffer.
 *
 * @example
 * ```ts
 * const img = createHostImage(640, 480, 'rgb');
 * img.data[(y * img.stride) + x * 3] = 255; // red of pixel (x, y)
 * ```
 */
export interface HostImage {
  width: number;
  height: number;
  format: PixelFormat;
  stride: number;
  data: Uint8Array;
  /** The EXIF orientation still to apply for display (1 once auto-oriented). */
  orientation: Orientation;
  icc?: Uint8Array;
  /** The backend that produced the pixels. */
  backend?: string;
  /** Set by a `partial: true` decode of damaged data: what went wrong and how many rows are real. */
  partial?: { code: ErrorCode; message: string; rows: number };
}

/** Where a device image lives. */
export type DeviceLocation = 'cuda' | 'webgpu';

/**
 * An image that stays in GPU memory until asked for. GPU backends implement it; `download()` copies it into a
 * host image and `release()` gives its memory back to the backend's pool (idempotent).
 *
 * @example
 * ```ts
 * const dev = await codec.decode(bytes, { location: 'device' }) as DeviceImage;
 * const host = await dev.download();
 * dev.release();
 * ```
 */
export interface DeviceImage {
  readonly width: number;
  readonly height: number;
  readonly format: PixelFormat;
  readonly location: DeviceLocation;
  readonly backend: string;
  readonly orientation: Orientation;
  readonly released: boolean;
  download(into?: HostImage): Promise<HostImage>;
  release(): void;
}

export function isDeviceImage(value: unknown): value is DeviceImage {
  return (
    typeof value === 'object' &&
    value !== null &&
    'location' in value &&
    'download' in value &&
    typeof (value as DeviceImage).download === 'function'
  );
}

/** Channels per pixel of a format. */
export function channelCount(format: PixelFormat): number {
  switch (format) {
    case 'gray':
      return 1;
    case 'rgba':
    case 'bgra':
      return 4;
    default:
      return 3;
  }
}

export function isPlanar(format: PixelFormat): boolean {
  return format === 'rgb-planar' || format === 'bgr-planar';
}

/** Bytes one pixel takes in a row: the channel count for interleaved formats, 1 for planar ones. */
export function bytesPerPixel(format: PixelFormat): number {
  return isPlanar(format) ? 1 : channelCount(format);
}

/** Bytes needed to hold an image of this geometry (the last row of each plane need not be padded). */
export function imageByteLength(width: number, height: number, format: PixelFormat, stride: number): number {
  if (width === 0 || height === 0) return 0;
  const plane = stride * (height - 1) + width * bytesPerPixel(format);
  return isPlanar(format) ? stride * height * 2 + plane : plane;
}

export interface CreateHostImageOptions {
  stride?: number;
  orientation?: Orientation;
  data?: Uint8Array;
}

/** Allocates (or wraps) a host image, checking that the buffer is large enough for the geometry. */
export function createHostImage(
  width: number,
  height: number,
  format: PixelFormat,
  options: CreateHostImageOptions = {},
): HostImage {
  checkInteger(width, 'width', 1, 2 ** 30);
  checkInteger(height, 'height', 1, 2 ** 30);
  checkOneOf(format, 'format', PIXEL_FORMATS);
  const minStride = width * bytesPerPixel(format);
  const stride = options.stride ?? minStride;
  checkInteger(stride, 'stride', minStride, 2 ** 31);
  const needed = imageByteLength(width, height, format, stride);
  const data = options.data ?? new Uint8Array(isPlanar(format) ? stride * height * 3 : stride * height);
  if (data.length < needed) {
    throw invalidArgument(`a buffer of at least ${needed} bytes`, 'data', data);
  }
  return { width, height, format, stride, data, orientation: options.orientation ?? 1 };
}

/** Checks a caller-supplied image's fields; returns it typed. */
export function checkHostImage(value: unknown, name = 'image'): HostImage {
  if (typeof value !== 'object' || value === null) throw invalidArgument('HostImage', name, value);
  const img = value as Partial<HostImage>;
  checkInteger(img.width, `${name}.width`, 1, 2 ** 30);
  checkInteger(img.height, `${name}.height`, 1, 2 ** 30);
  const format = checkOneOf(img.format, `${name}.format`, PIXEL_FORMATS);
  const stride = checkInteger(img.stride, `${name}.stride`, img.width! * bytesPerPixel(format), 2 ** 31);
  if (!(img.data instanceof Uint8Array)) throw invalidArgument('Uint8Array', `${name}.data`, img.data);
  const needed = imageByteLength(img.width!, img.height!, format, stride);
  if (img.data.length < needed) {
    throw invalidArgument(`a buffer of at least ${needed} bytes`, `${name}.data`, img.data);
  }
  return img as HostImage;
}

/** Byte offset of channel `c` of pixel (x, y). */
export function pixelOffset(img: HostImage, x: number, y: number, c: number): number {
  if (isPlanar(img.format)) return c * img.stride * img.height + y * img.stride + x;
  return y * img.stride + x * channelCount(img.format) + c;
}
