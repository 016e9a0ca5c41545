/**
 * @jpegkit/webgpu — JPEG decode, pixel ops and encode on WebGPU compute shaders (browsers with `navigator.gpu`,
 * Node through Dawn); decode bit-exact with libjpeg-turbo's `djpeg -dct int`.
 *
 * @example
 * ```ts
 * import '@jpegkit/webgpu';                    // registers the backend
 * import { createCodec } from '@jpegkit/core';
 * const codec = await createCodec({ backends: ['webgpu', 'wasm'] });
 * const img = await codec.decode(bytes, { location: 'device' }); // a WebGPUImage
 * ```
 */
import { registerBackend } from '@jpegkit/core';
import { createBackend } from './backend.js';

export { WebGPUBackend, createBackend } from './backend.js';
export type { WebGPUBackendOptions } from './backend.js';
export { WebGPUImage } from './webgpu-image.js';
export { GpuContext } from './gpu-context.js';
export { getGpu, requestDevice, REQUIRED_LIMITS } from './gpu.js';
export type { GpuRequestOptions } from './gpu.js';
export type { GpuPixels } from './gpu-pixels.js';
export { PIXEL_BUFFER_USAGE, pixelBufferBytes } from './gpu-pixels.js';
export { KernelCache } from './kernel-cache.js';
export { runOps, alphaAfter } from './ops/run-ops.js';
export type { RunOpsOptions } from './ops/run-ops.js';
export { encodeGpuPixels } from './encode/encode-jpeg.js';
export { computeDctCoefficients } from './encode/dct-coefficients.js';
export type { CoefficientOptions } from './encode/dct-coefficients.js';
export { uploadHostImage, downloadPixels } from './pixel-transfer.js';
export type { DownloadOptions, UploadedPixels } from './pixel-transfer.js';

// Importing the package makes the backend available to createCodec (in bundlers too).
registerBackend(createBackend());
