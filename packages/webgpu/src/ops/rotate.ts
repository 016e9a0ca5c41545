import { checkOneOf, ops } from '@jpegkit/core';
import type { GpuFrame } from './gpu-frame.js';
import { orientPixels } from './remap.js';
import type { GpuPixels } from '../gpu-pixels.js';

/** The EXIF orientation whose upright transform is a clockwise rotation by each angle. */
const ROTATION_ORIENTATION = { 90: 6, 180: 3, 270: 8 } as const;

/** Records a clockwise rotation by 90, 180 or 270 degrees (core's rotateImage). */
export function rotatePixels(frame: GpuFrame, input: GpuPixels, angle: number): Promise<GpuPixels> {
  const checked = checkOneOf(angle as ops.RotateAngle, 'angle', ops.ROTATE_ANGLES);
  return orientPixels(frame, input, ROTATION_ORIENTATION[checked]);
}
