import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import type { Plugin } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Lets the demo build while a backend package is absent or not built yet: the import then resolves to a module
 * that throws when loaded, so the backend shows up as unavailable with the reason instead of breaking the build.
 */
function optionalPackage(name: string, builtFile: string): Plugin {
  const virtualId = `\0optional:${name}`;
  return {
    name: 'jpegkit-optional-package',
    enforce: 'pre',
    resolveId(id) {
      if (id !== name) return null;
      return existsSync(builtFile) ? null : virtualId;
    },
    load(id) {
      if (id !== virtualId) return null;
      return `throw new Error(${JSON.stringify(`${name} is not built here (run: pnpm --filter ${name} build)`)});`;
    },
  };
}

const optionalWebgpu = () => optionalPackage('@jpegkit/webgpu', `${repoRoot}packages/webgpu/dist/index.js`);

export default defineConfig({
  root: here,
  // Relative asset URLs: the built pages work from any folder or static server.
  base: './',
  plugins: [optionalWebgpu()],
  build: {
    target: 'es2022',
    rollupOptions: { input: { editor: `${here}index.html`, bench: `${here}bench.html` } },
  },
  // The backends load inside the editor's and the benchmark's workers, which Vite bundles with these plugins.
  worker: { format: 'es', plugins: () => [optionalWebgpu()] },
  // jSquash finds its .wasm beside its own module (new URL(…, import.meta.url)); pre-bundling would move it.
  optimizeDeps: { exclude: ['@jsquash/jpeg'] },
  server: { host: '127.0.0.1', fs: { allow: [repoRoot] } },
  preview: { host: '127.0.0.1' },
});
