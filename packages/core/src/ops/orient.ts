import { checkInteger } from '../args.js';
import { flipImage, flopImage, transposeImage, transverseImage } from './flip.js';
import { remapPixels } from './remap.js';
import { rotateImage } from './rotate.js';
import type { HostImage, Orientation } from '../image.js';

/**
 * The transform that makes an image stored with EXIF orientation N display upright:
 *
 * | N | stored as                      | transform applied          |
 * |---|--------------------------------|----------------------------|
 * | 1 | upright                        | none (a copy)              |
 * | 2 | mirrored left–right            | flop                       |
 * | 3 | upside down                    | rotate 180°                |
 * | 4 | mirrored top–bottom            | flip                       |
 * | 5 | mirrored about main diagonal   | transpose                  |
 * | 6 | turned 90° anticlockwise       | rotate 90° clockwise       |
 * | 7 | mirrored about anti-diagonal   | transverse                 |
 * | 8 | turned 90° clockwise           | rotate 270° clockwise      |
 *
 * (EXIF's own wording for 6 is "the 0th row is the visual right-hand side": rotating 90° clockwise puts it
 * there. For 5 the 0th row is the visual left side and the 0th column the visual top, which is a transpose.)
 */
export const ORIENTATION_TRANSFORMS = {
  1: 'none',
  2: 'flop',
  3: 'rotate180',
  4: 'flip',
  5: 'transpose',
  6: 'rotate90',
  7: 'transverse',
  8: 'rotate270',
} as const satisfies Record<Orientation, string>;

/**
 * Applies the transform of {@link ORIENTATION_TRANSFORMS} for `orientation` (the orientation the pixels are
 * stored with; pass `img.orientation` to normalise an image by its own tag). The result has orientation 1.
 * Orientations 5–8 swap width and height.
 */
export function orientImage(img: HostImage, orientation: Orientation): HostImage {
  checkInteger(orientation, 'orientation', 1, 8);
  let out: HostImage;
  switch (orientation) {
    case 1:
      out = remapPixels(img, img.width, img.height, (x, y, at) => {
        at[0] = x;
        at[1] = y;
      });
      break;
    case 2:
      out = flopImage(img);
      break;
    case 3:
      out = rotateImage(img, 180);
      break;
    case 4:
      out = flipImage(img);
      break;
    case 5:
      out = transposeImage(img);
      break;
    case 6:
      out = rotateImage(img, 90);
      break;
    case 7:
      out = transverseImage(img);
      break;
    case 8:
      out = rotateImage(img, 270);
      break;
  }
  out.orientation = 1;
  return out;
}
