// The GPU host's test run: every test of this package, gpu.test.ts included (the root config leaves that one
// out because CI has no GPU). Run from the repo root: `vitest run --config packages/native-cuda/vitest.config.ts`.
import { defineConfig, mergeConfig } from 'vitest/config';
import root from '../../vitest.config.js';

export default mergeConfig(
  root,
  defineConfig({ test: { include: ['packages/native-cuda/lib/**/*.test.ts'], exclude: [] } }),
);
