import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@jpegkit\/core\/testing$/, replacement: src('./packages/core/src/testing/index.ts') },
      { find: /^@jpegkit\/core$/, replacement: src('./packages/core/src/index.ts') },
    ],
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/lib/**/*.test.ts', 'scripts/**/*.test.ts'],
    // Needs a GPU with nvJPEG: run on the GPU host through packages/native-cuda/vitest.config.ts.
    exclude: ['**/node_modules/**', 'packages/native-cuda/lib/gpu.test.ts'],
    testTimeout: 60_000,
  },
});
