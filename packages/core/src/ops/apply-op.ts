import { checkObject, checkOneOf, invalidArgument } from '../args.js';
import { checkHostImage, PIXEL_FORMATS } from '../image.js';
import { adjustImage } from './adjust.js';
import { convertImage } from './convert.js';
import { cropImage } from './crop.js';
import { resizeFit, resolveResize } from './fit.js';
import { flipImage, flopImage } from './flip.js';
import { orientImage } from './orient.js';
import { rotateImage } from './rotate.js';
import { sharpenImage } from './sharpen.js';
import type { HostImage } from '../image.js';
import { OP_NAMES } from '../pipeline.js';
import type { OpStep } from '../pipeline.js';

/**
 * Runs one pipeline step on a host image with the reference ops — what every backend's result for the step is
 * compared against. The input is never modified; the result is a new, tightly packed image with the input's
 * format (except convert), orientation (except orient, which sets 1), ICC profile and backend.
 * A bad argument throws JpegError E_INVALID_ARGUMENT (`Expected … for … but received …`).
 *
 * For resize, a width or height of 0 means "omitted" (keep the aspect ratio), as in sharp.
 *
 * @example
 * ```ts
 * const thumb = applyOp(img, { op: 'resize', width: 200, height: 200, fit: 'cover', filter: 'lanczos3',
 *   linear: false, background: [0, 0, 0, 255] });
 * ```
 */
export function applyOp(img: HostImage, step: OpStep): HostImage {
  checkHostImage(img);
  checkObject(step, 'step');
  const op = checkOneOf(step.op, 'step.op', OP_NAMES);
  switch (step.op) {
    case 'resize': {
      const geometry = resolveResize(img.width, img.height, step);
      return resizeFit(img, {
        ...geometry,
        filter: step.filter,
        linear: step.linear,
        background: step.background,
      });
    }
    case 'sharpen':
      return sharpenImage(img, step.sigma, step.amount, step.threshold);
    case 'crop':
      return cropImage(img, step);
    case 'rotate':
      return rotateImage(img, step.angle);
    case 'flip':
      return flipImage(img);
    case 'flop':
      return flopImage(img);
    case 'orient':
      return orientImage(img, step.orientation);
    case 'adjust':
      return adjustImage(img, step.brightness, step.contrast);
    case 'convert':
      return convertImage(img, checkOneOf(step.format, 'format', PIXEL_FORMATS));
  }
  // Unreachable for well-typed steps; kept for callers from plain JavaScript.
  throw invalidArgument('a known op', 'step.op', op);
}
