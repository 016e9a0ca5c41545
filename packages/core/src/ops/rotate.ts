import { checkOneOf } from '../args.js';
import { remapPixels } from './remap.js';
import type { HostImage } from '../image.js';

/** The rotations the reference ops support, in degrees clockwise. */
export const ROTATE_ANGLES = [90, 180, 270] as const;
/** A clockwise rotation in degrees: 90, 180 or 270. */
export type RotateAngle = (typeof ROTATE_ANGLES)[number];

/**
 * Rotates clockwise by a multiple of 90°. For a W×H input:
 * - 90: the result is H×W and output (x, y) is input (y, H − 1 − x) — the input's top-left lands top-right;
 * - 180: the result is W×H and output (x, y) is input (W − 1 − x, H − 1 − y);
 * - 270: the result is H×W and output (x, y) is input (W − 1 − y, x) — the input's top-left lands bottom-left.
 */
export function rotateImage(img: HostImage, angle: RotateAngle): HostImage {
  checkOneOf(angle, 'angle', ROTATE_ANGLES);
  const lastX = img.width - 1;
  const lastY = img.height - 1;
  switch (angle) {
    case 90:
      return remapPixels(img, img.height, img.width, (x, y, at) => {
        at[0] = y;
        at[1] = lastY - x;
      });
    case 180:
      return remapPixels(img, img.width, img.height, (x, y, at) => {
        at[0] = lastX - x;
        at[1] = lastY - y;
      });
    case 270:
      return remapPixels(img, img.height, img.width, (x, y, at) => {
        at[0] = lastX - y;
        at[1] = x;
      });
  }
}
