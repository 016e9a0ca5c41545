import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@jpegkit\/core\/testing$/, replacement: src('./packages/core/src/testing/index.ts') },
      {
        find: /^@jpegkit\/core\/testing\/browser$/,
        replacement: src('./packages/core/src/testing/browser.ts'),
      },
      { find: /^@jpegkit\/core$/, replacement: src('./packages/core/src/index.ts') },
    ],
  },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/lib/**/*.test.ts',
      'scripts/**/*.test.ts',
      'apps/*/src/**/*.test.ts',
      'apps/*/e2e/**/*.test.ts',
    ],
    // gpu.test.ts needs a GPU with nvJPEG: the GPU host sets JPEGKIT_GPU_TESTS=1 (bench/gpu/device-run.sh).
    exclude: [
      '**/node_modules/**',
      ...(process.env.JPEGKIT_GPU_TESTS ? [] : ['packages/native-cuda/lib/gpu.test.ts']),
    ],
    testTimeout: 60_000,
  },
});
