import { remapPixels } from './remap.js';
import type { HostImage } from '../image.js';

// The four mirrors, named as sharp and EXIF name them. Each is its own inverse.

/** Mirrors top to bottom (about the horizontal axis): output row y is input row height − 1 − y. */
export function flipImage(img: HostImage): HostImage {
  const last = img.height - 1;
  return remapPixels(img, img.width, img.height, (x, y, at) => {
    at[0] = x;
    at[1] = last - y;
  });
}

/** Mirrors left to right (about the vertical axis): output column x is input column width − 1 − x. */
export function flopImage(img: HostImage): HostImage {
  const last = img.width - 1;
  return remapPixels(img, img.width, img.height, (x, y, at) => {
    at[0] = last - x;
    at[1] = y;
  });
}

/**
 * Mirrors about the main diagonal (top-left to bottom-right): output (x, y) is input (y, x), so a W×H image
 * becomes H×W. Equal to rotating 90° clockwise then flopping.
 */
export function transposeImage(img: HostImage): HostImage {
  return remapPixels(img, img.height, img.width, (x, y, at) => {
    at[0] = y;
    at[1] = x;
  });
}

/**
 * Mirrors about the anti-diagonal (top-right to bottom-left): output (x, y) is input
 * (width − 1 − y, height − 1 − x), so a W×H image becomes H×W. Equal to rotating 90° clockwise then flipping.
 */
export function transverseImage(img: HostImage): HostImage {
  const lastX = img.width - 1;
  const lastY = img.height - 1;
  return remapPixels(img, img.height, img.width, (x, y, at) => {
    at[0] = lastX - y;
    at[1] = lastY - x;
  });
}
