import { ops } from '@jpegkit/core';
import type { CropRect } from '@jpegkit/core';
import type { GpuFrame } from './gpu-frame.js';
import { remapPixels } from './remap.js';
import type { GpuPixels } from '../gpu-pixels.js';

/** Records a crop (core's cropImage; the rectangle is checked by core's checkCropRect). */
export function cropPixels(frame: GpuFrame, input: GpuPixels, rect: CropRect): Promise<GpuPixels> {
  const { x, y, width, height } = ops.checkCropRect(rect, input.width, input.height);
  return remapPixels(frame, input, 0, width, height, x, y);
}
