// The pixel ops of the webgpu backend: runOps runs a pipeline's steps as compute kernels on GPU pixels.
export { runOps, alphaAfter } from './run-ops.js';
export type { RunOpsOptions } from './run-ops.js';
export { BufferPool, bufferPoolFor } from './buffer-pool.js';
export type { GpuBufferPool } from './buffer-pool.js';
export { uploadHostImage } from './upload.js';
export type { UploadedPixels } from './upload.js';
export { downloadHostImage } from './download.js';
