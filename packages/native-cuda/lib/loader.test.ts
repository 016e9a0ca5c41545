import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AddonLoadError, addonCandidates, loadAddon } from './loader.js';
import { ADDON_ABI } from './native.js';

// The loader's error when no candidate loads: every path with its cause, and the fixes that match.

const dir = mkdtempSync(join(tmpdir(), 'jpegkit-cuda-loader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function failure(paths: string[]): AddonLoadError {
  try {
    loadAddon(paths);
  } catch (error) {
    if (error instanceof AddonLoadError) return error;
    throw error;
  }
  throw new Error('loadAddon did not throw');
}

describe('loadAddon', () => {
  it('tries JPEGKIT_CUDA_ADDON first, then build/ and binding/', () => {
    const before = process.env.JPEGKIT_CUDA_ADDON;
    process.env.JPEGKIT_CUDA_ADDON = '/opt/custom.node';
    try {
      const list = addonCandidates();
      expect(list[0]).toBe('/opt/custom.node');
      expect(list[1]).toMatch(/native-cuda\/build\/jpegkit_cuda\.node$/);
      expect(list[2]).toMatch(/native-cuda\/binding\/linux-x64\/jpegkit_cuda\.node$/);
    } finally {
      if (before === undefined) delete process.env.JPEGKIT_CUDA_ADDON;
      else process.env.JPEGKIT_CUDA_ADDON = before;
    }
  });

  it('a missing .node: not built, with the build command among the possible solutions', () => {
    const error = failure(['/nonexistent/jpegkit_cuda.node']);
    expect(error.failures).toEqual([
      { path: '/nonexistent/jpegkit_cuda.node', kind: 'not-built', message: 'not found' },
    ]);
    expect(error.summary).toMatch(/^the native addon was not built: /);
    expect(error.message).toContain('Could not load the jpegkit CUDA addon (@jpegkit/native-cuda).');
    expect(error.message).toContain('- /nonexistent/jpegkit_cuda.node: not found');
    expect(error.message).toContain('Possible solutions:');
    expect(error.message).toContain('pnpm --filter @jpegkit/native-cuda build:addon');
    expect(error.message).toContain('JPEGKIT_BACKEND=wasm');
  });

  it('a file that is not a shared object: platform, rebuild here', () => {
    const bogus = join(dir, 'bogus.node');
    writeFileSync(bogus, new Uint8Array(256).fill(0x41)); // long enough to read an ELF header from
    const error = failure([bogus]);
    expect(error.failures[0]!.kind).toBe('platform');
    expect(error.failures[0]!.message).toMatch(/invalid ELF header/);
    expect(error.summary).toMatch(/^the native addon could not be loaded \(platform\): /);
    expect(error.message).toContain('built for another platform: rebuild it here');
  });

  it('a module from other sources: ABI mismatch', () => {
    const stale = join(dir, 'stale.cjs');
    writeFileSync(stale, 'module.exports = { abi: 0 };');
    const error = failure([stale]);
    expect(error.failures).toEqual([
      { path: stale, kind: 'abi', message: `built for addon ABI 0, this package needs ${ADDON_ABI}` },
    ]);
    expect(error.message).toContain('does not match this Node.js or this package version: rebuild it');
  });

  it('collects every candidate before giving up', () => {
    const error = failure(['/nonexistent/a.node', '/nonexistent/b.node']);
    expect(error.failures.map((f) => f.path)).toEqual(['/nonexistent/a.node', '/nonexistent/b.node']);
  });
});
