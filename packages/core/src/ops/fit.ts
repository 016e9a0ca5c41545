import { checkBoolean, checkInteger, checkOneOf, invalidArgument } from '../args.js';
import { FIT_MODES, RESIZE_FILTERS } from '../pipeline.js';
import { rgbToGray } from './convert.js';
import { blankLike, channelLayouts } from './layout.js';
import { resizeImage } from './resize.js';
import type { HostImage, PixelFormat } from '../image.js';
import type { FitMode, ResizeFilter, ResizeOptions } from '../pipeline.js';

/** The largest target width or height resize accepts (JPEG's own limit is 65535). */
export const MAX_RESIZE_DIMENSION = 65535;

/**
 * Where a resize with a fit mode ends up. The image is first resampled whole to `resizeWidth`×`resizeHeight`,
 * then either cropped (cover: the `width`×`height` window at (cropX, cropY) of the resampled image) or padded
 * (contain: the resampled image placed at (padX, padY) in a `width`×`height` canvas of the background colour).
 * For fill, inside and outside the final size is the resampled size and all offsets are 0.
 */
export interface ResizeGeometry {
  resizeWidth: number;
  resizeHeight: number;
  width: number;
  height: number;
  cropX: number;
  cropY: number;
  padX: number;
  padY: number;
}

/**
 * The geometry of a resize, following sharp (lib/resize.js and ResolveShrink in src/common.cc) exactly:
 *
 * - Shrink factors: hshrink = srcWidth / width, vshrink = srcHeight / height.
 *   fill keeps both; cover and outside use the smaller one for both axes (the image covers the box);
 *   contain and inside use the larger one (the image fits in the box).
 * - Only `width` given: vshrink = hshrink (keep aspect), except fill, which leaves the height alone
 *   (vshrink = 1); likewise for only `height`. A width or height of 0 counts as omitted (an OpStep carries 0).
 * - Each factor is capped at the source size so that nothing shrinks below one pixel; the resampled size is
 *   srcSize / shrink rounded half up, evaluated in double exactly as libvips does (see {@link scaledSize}).
 * - cover then crops the resampled image to width×height (an omitted side: the resampled one) at the centre:
 *   cropX = floor((resizeWidth − width + 1) / 2), as sharp's CalculateCrop;
 *   contain pads it to width×height at the centre: padX = floor((width − resizeWidth) / 2), as sharp's
 *   CalculateEmbedPosition. So an odd leftover goes to the right/bottom margin for contain, and the odd
 *   column cut off is on the left/top for cover.
 * - inside and outside return the resampled image as it is; its size may differ from the box.
 *
 * The geometry does not depend on the filter. (sharp's kernel 'nearest' alone differs for large shrinks: libvips
 * subsamples by an integer factor first, which can leave the result a pixel smaller.)
 *
 * @example
 * ```ts
 * resolveResize(400, 300, { width: 200, height: 200, fit: 'cover' });
 * // { resizeWidth: 267, resizeHeight: 200, width: 200, height: 200, cropX: 34, cropY: 0, padX: 0, padY: 0 }
 * ```
 */
export function resolveResize(srcWidth: number, srcHeight: number, options: ResizeOptions): ResizeGeometry {
  checkInteger(srcWidth, 'srcWidth', 1, 2 ** 30);
  checkInteger(srcHeight, 'srcHeight', 1, 2 ** 30);
  const fit: FitMode = checkOneOf(options.fit ?? 'cover', 'fit', FIT_MODES);
  const width =
    options.width === undefined ? 0 : checkInteger(options.width, 'width', 0, MAX_RESIZE_DIMENSION);
  const height =
    options.height === undefined ? 0 : checkInteger(options.height, 'height', 0, MAX_RESIZE_DIMENSION);
  if (width === 0 && height === 0) throw invalidArgument('a width or a height', 'resize', options);

  let hshrink = 1;
  let vshrink = 1;
  if (width > 0 && height > 0) {
    hshrink = srcWidth / width;
    vshrink = srcHeight / height;
    if (fit === 'cover' || fit === 'outside') hshrink = vshrink = Math.min(hshrink, vshrink);
    else if (fit === 'contain' || fit === 'inside') hshrink = vshrink = Math.max(hshrink, vshrink);
  } else if (width > 0) {
    hshrink = srcWidth / width;
    if (fit !== 'fill') vshrink = hshrink;
  } else {
    vshrink = srcHeight / height;
    if (fit !== 'fill') hshrink = vshrink;
  }
  hshrink = Math.min(hshrink, srcWidth);
  vshrink = Math.min(vshrink, srcHeight);
  const resizeWidth = scaledSize(srcWidth, hshrink);
  const resizeHeight = scaledSize(srcHeight, vshrink);

  const geometry: ResizeGeometry = {
    resizeWidth,
    resizeHeight,
    width: resizeWidth,
    height: resizeHeight,
    cropX: 0,
    cropY: 0,
    padX: 0,
    padY: 0,
  };
  if (fit === 'cover') {
    // A box side larger than the resampled image (possible only through the 1-pixel floor) is not cropped.
    geometry.width = width > 0 ? Math.min(width, resizeWidth) : resizeWidth;
    geometry.height = height > 0 ? Math.min(height, resizeHeight) : resizeHeight;
    geometry.cropX = Math.floor((resizeWidth - geometry.width + 1) / 2);
    geometry.cropY = Math.floor((resizeHeight - geometry.height + 1) / 2);
  } else if (fit === 'contain') {
    geometry.width = Math.max(width, resizeWidth);
    geometry.height = Math.max(height, resizeHeight);
    geometry.padX = Math.floor((geometry.width - resizeWidth) / 2);
    geometry.padY = Math.floor((geometry.height - resizeHeight) / 2);
  }
  return geometry;
}

/**
 * `srcSize / shrink` rounded half up (never below 1), with libvips' floating-point steps, so that a quotient
 * that is exactly x.5 on paper rounds the way sharp's does. sharp hands libvips the scale 1 / shrink; when
 * shrinking, vips_reduce divides by 1 / scale and adds 0.5 (VIPS_ROUND_UINT); when enlarging, vips_affine
 * multiplies by the scale and adds 0.5. So a quotient that is x.5 on paper can land either side: 7 px shrunk
 * by 14/9 is 4.5, but 7 / (1 / (1 / (14/9))) = 4.499999999999999 and sharp makes it 4 (Math.round(7 / (14/9))
 * would say 5), while 5 px shrunk by 10/29 (14.5) comes out 15 from both.
 */
export function scaledSize(srcSize: number, shrink: number): number {
  const scale = 1 / shrink;
  if (scale < 1) return Math.max(1, Math.floor(srcSize / (1 / scale) + 0.5));
  if (scale > 1) return Math.floor(srcSize * scale + 0.5);
  return srcSize;
}

/** A resolved resize: its geometry plus how to resample and what to pad with. */
export interface ResizeFitStep extends ResizeGeometry {
  filter: ResizeFilter;
  linear: boolean;
  /** RGBA 0–255 of contain's padding. */
  background: [number, number, number, number];
}

/**
 * The background colour as the samples of a format, in its channel order: R, G, B picked and reordered, alpha
 * kept for rgba/bgra and dropped otherwise (the format is preserved, so no alpha channel is added), and gray
 * given the luma of R, G, B by libjpeg's formula (the same as convertImage).
 */
export function backgroundSamples(background: readonly number[], format: PixelFormat): number[] {
  const [r = 0, g = 0, b = 0, a = 255] = background;
  switch (format) {
    case 'gray':
      return [rgbToGray(r, g, b)];
    case 'rgb':
    case 'rgb-planar':
      return [r, g, b];
    case 'bgr':
    case 'bgr-planar':
      return [b, g, r];
    case 'rgba':
      return [r, g, b, a];
    case 'bgra':
      return [b, g, r, a];
  }
}

/**
 * Applies a resolved resize: resamples the whole image to resizeWidth×resizeHeight (resize.ts), then crops
 * (cover) or pads with `background` (contain). Build `step` with {@link resolveResize}.
 *
 * @example
 * ```ts
 * const geometry = resolveResize(img.width, img.height, { width: 200, height: 200, fit: 'contain' });
 * const thumb = resizeFit(img, { ...geometry, filter: 'lanczos3', linear: false, background: [255, 255, 255, 255] });
 * ```
 */
export function resizeFit(img: HostImage, step: ResizeFitStep): HostImage {
  checkOneOf(step.filter, 'filter', RESIZE_FILTERS);
  checkBoolean(step.linear, 'linear');
  if (!Array.isArray(step.background) || step.background.length !== 4) {
    throw invalidArgument('an array of 4 integers', 'background', step.background);
  }
  step.background.forEach((v, i) => checkInteger(v, `background[${i}]`, 0, 255));
  checkInteger(step.resizeWidth, 'resizeWidth', 1, 2 ** 30);
  checkInteger(step.resizeHeight, 'resizeHeight', 1, 2 ** 30);
  checkInteger(step.width, 'width', 1, 2 ** 30);
  checkInteger(step.height, 'height', 1, 2 ** 30);
  // Offsets may only move the window within what exists: a crop inside the resampled image, a pad inside the box.
  checkInteger(step.cropX, 'cropX', 0, Math.max(0, step.resizeWidth - step.width));
  checkInteger(step.cropY, 'cropY', 0, Math.max(0, step.resizeHeight - step.height));
  checkInteger(step.padX, 'padX', 0, Math.max(0, step.width - step.resizeWidth));
  checkInteger(step.padY, 'padY', 0, Math.max(0, step.height - step.resizeHeight));

  const resized =
    step.resizeWidth === img.width && step.resizeHeight === img.height
      ? img // Nothing to resample; the copy below still gives a fresh, tightly packed image.
      : resizeImage(img, step.resizeWidth, step.resizeHeight, { filter: step.filter, linear: step.linear });
  const out = blankLike(img, step.width, step.height);
  const fill = backgroundSamples(step.background, img.format);
  const src = channelLayouts(resized);
  const dst = channelLayouts(out);
  for (let c = 0; c < dst.length; c++) {
    const s = src[c]!;
    const d = dst[c]!;
    for (let y = 0; y < step.height; y++) {
      // Output (x, y) shows resampled (x + cropX − padX, y + cropY − padY); outside it is background.
      const sy = y + step.cropY - step.padY;
      for (let x = 0; x < step.width; x++) {
        const sx = x + step.cropX - step.padX;
        const inside = sx >= 0 && sy >= 0 && sx < resized.width && sy < resized.height;
        out.data[d.base + y * d.rowStride + x * d.step] = inside
          ? resized.data[s.base + sy * s.rowStride + sx * s.step]!
          : fill[c]!;
      }
    }
  }
  return out;
}
