import { setBackendImporter } from '@jpegkit/core';

/**
 * Core imports backend packages by name at run time; a bundle can only contain imports it can see, so the demo
 * hands core one static `import()` per package. A package that fails to load (not built, no WebGPU …) leaves
 * its backend unavailable with the error as the reason.
 */
const importers: Record<string, () => Promise<unknown>> = {
  '@jpegkit/wasm': () => import('@jpegkit/wasm'),
  '@jpegkit/webgpu': () => import('@jpegkit/webgpu'),
  '@jpegkit/native-cuda': () =>
    Promise.reject(
      new Error(
        'the CUDA backend runs in Node on NVIDIA servers, not in a browser (its server figures are on the benchmark page)',
      ),
    ),
};

export function installBackendImporter(): void {
  setBackendImporter(
    (name) => importers[name]?.() ?? Promise.reject(new Error(`the demo bundles no package named ${name}`)),
  );
}
