import type { GpuFrame } from './gpu-frame.js';
import { orientPixels } from './remap.js';
import type { GpuPixels } from '../gpu-pixels.js';

/** Records a top-to-bottom mirror (core's flipImage; EXIF orientation 4's transform). */
export function flipPixels(frame: GpuFrame, input: GpuPixels): Promise<GpuPixels> {
  return orientPixels(frame, input, 4);
}

/** Records a left-to-right mirror (core's flopImage; EXIF orientation 2's transform). */
export function flopPixels(frame: GpuFrame, input: GpuPixels): Promise<GpuPixels> {
  return orientPixels(frame, input, 2);
}
