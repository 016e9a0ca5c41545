// The reference pixel operations: plain TypeScript, written for clarity, that define what every backend
// (wasm, WebGPU, CUDA) must produce, ±1 per channel.

export { adjustImage, adjustTable } from './adjust.js';
export { applyOp } from './apply-op.js';
export {
  CBCR_OFFSET,
  cmykToRgb,
  cmykToRgbBuffer,
  fix,
  ONE_HALF,
  rgbToYcbcr,
  rgbToYcbcrBuffer,
  SCALEBITS,
  ycbcrToRgb,
  ycbcrToRgbBuffer,
  ycbcrToRgbTables,
  ycckToCmyk,
  ycckToCmykBuffer,
} from './color.js';
export { computeContributions } from './contributions.js';
export type { ContributionTable } from './contributions.js';
export { convertImage, rgbToGray } from './convert.js';
export type { ConvertOptions } from './convert.js';
export { checkCropRect, cropImage } from './crop.js';
export { backgroundSamples, MAX_RESIZE_DIMENSION, resizeFit, resolveResize, scaledSize } from './fit.js';
export type { ResizeFitStep, ResizeGeometry } from './fit.js';
export { flipImage, flopImage, transposeImage, transverseImage } from './flip.js';
export { bcCubic, KERNELS, lanczos, sinc, triangle } from './kernels.js';
export type { Kernel } from './kernels.js';
export { alphaChannel, blankLike, channelLayouts, roundToByte } from './layout.js';
export type { ChannelLayout } from './layout.js';
export { ORIENTATION_TRANSFORMS, orientImage } from './orient.js';
export { remapPixels } from './remap.js';
export type { PixelMap } from './remap.js';
export { resizeImage } from './resize.js';
export type { ResampleOptions } from './resize.js';
export { ROTATE_ANGLES, rotateImage } from './rotate.js';
export type { RotateAngle } from './rotate.js';
export { gaussianWeights, sharpenImage } from './sharpen.js';
export { linearToSrgb, SRGB_TO_LINEAR_TABLE, srgbToLinear } from './srgb.js';
