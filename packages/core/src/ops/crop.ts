import { checkInteger } from '../args.js';
import { remapPixels } from './remap.js';
import type { HostImage } from '../image.js';
import type { CropRect } from '../pipeline.js';

/**
 * Checks that a crop rectangle has integer coordinates and lies wholly inside a `width`×`height` image.
 * Throws E_INVALID_ARGUMENT naming the offending field, e.g.
 * `Expected integer between 1 and 40 for crop.width but received 50`.
 */
export function checkCropRect(rect: CropRect, width: number, height: number): CropRect {
  // x and y first: their bounds decide how much width and height are left.
  const x = checkInteger(rect.x, 'crop.x', 0, width - 1);
  const y = checkInteger(rect.y, 'crop.y', 0, height - 1);
  checkInteger(rect.width, 'crop.width', 1, width - x);
  checkInteger(rect.height, 'crop.height', 1, height - y);
  return rect;
}

/**
 * Cuts out the rectangle `rect` (top-left corner at (rect.x, rect.y)); the result is `rect.width`×`rect.height`.
 *
 * @example
 * ```ts
 * const face = cropImage(img, { x: 10, y: 20, width: 64, height: 64 });
 * ```
 */
export function cropImage(img: HostImage, rect: CropRect): HostImage {
  const { x, y, width, height } = checkCropRect(rect, img.width, img.height);
  return remapPixels(img, width, height, (ox, oy, at) => {
    at[0] = ox + x;
    at[1] = oy + y;
  });
}
