// The GPU host's test run: every test of this package. Run from the repo root with JPEGKIT_GPU_TESTS=1 so the
// root config keeps gpu.test.ts (CI, which has no GPU, leaves it out):
// `JPEGKIT_GPU_TESTS=1 vitest run --config packages/native-cuda/vitest.config.ts`.
import { defineConfig, mergeConfig } from 'vitest/config';
import root from '../../vitest.config.js';

export default mergeConfig(
  root,
  defineConfig({ test: { include: ['packages/native-cuda/lib/**/*.test.ts'] } }),
);
