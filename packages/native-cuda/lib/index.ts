/**
 * @jpegkit/native-cuda — the cuda backend: nvJPEG and CUDA kernels through a native addon, for Node on
 * Linux x64 with an NVIDIA GPU. Importing it registers the backend with core; where it cannot run, its
 * `init()` says why and core uses the next backend.
 *
 * @example
 * ```ts
 * import '@jpegkit/native-cuda';
 * import { createCodec } from '@jpegkit/core';
 * const codec = await createCodec();
 * console.log(codec.backend, codec.skipped); // 'cuda', [] on a GPU server
 * ```
 */
import { registerBackend } from '@jpegkit/core';
import { createBackend } from './backend.js';

export { CudaBackend, createBackend } from './backend.js';
export type { CudaBackendOptions } from './backend.js';
export { CudaImage } from './cuda-image.js';
export { AddonLoadError, addonCandidates, loadAddon, notBuiltReason } from './loader.js';
export type { AddonFailure, AddonFailureKind } from './loader.js';
export { ADDON_ABI } from './native.js';
export type { DecodeRoute, NativeDeviceFacts, NativePoolStats } from './native.js';

// Importing the package makes the backend available to createCodec (in bundlers too).
registerBackend(createBackend());
