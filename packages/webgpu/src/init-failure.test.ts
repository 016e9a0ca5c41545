import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// With no Vulkan driver Dawn finds no adapter: init() must reject with E_BACKEND_INIT saying so, and a codec
// must skip webgpu with that reason and decode on wasm. Vulkan reads VK_ICD_FILENAMES once per process, so
// this runs in a child process on the built packages (scripts/setup.sh builds dist/ before the tests).
const root = fileURLToPath(new URL('../../../', import.meta.url));
const dist = new URL('../dist/index.js', import.meta.url);

const child = `
const { createCodec } = await import('@jpegkit/core');
const { WebGPUBackend } = await import(${JSON.stringify(dist.href)});
const out = {};
try {
  await new WebGPUBackend().init({ threads: 0 });
  out.init = 'ok';
} catch (e) {
  out.init = { code: e.code, backend: e.backend, message: e.message };
}
const codec = await createCodec({ backends: ['webgpu', 'wasm'], init: { threads: 0 } });
const bytes = new Uint8Array((await import('node:fs')).readFileSync('fixtures/jpeg/photo-420.jpg'));
const img = await codec.decode(bytes);
out.codec = { backend: codec.backend, skipped: codec.skipped.map((s) => [s.backend, s.error.code, s.error.message]), decodedBy: img.backend };
await codec.dispose();
console.log(JSON.stringify(out));
process.exit(0);
`;

describe('webgpu init without an adapter', () => {
  it('rejects with E_BACKEND_INIT naming the missing adapter, and core skips to wasm', async () => {
    expect(existsSync(dist), 'packages/webgpu/dist is built by scripts/setup.sh').toBe(true);
    const env: NodeJS.ProcessEnv = { ...process.env, VK_ICD_FILENAMES: '/nonexistent/vk_icd.json' };
    delete env.VK_DRIVER_FILES;
    delete env.JPEGKIT_BACKEND;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', child], {
      cwd: root,
      env,
      timeout: 60_000,
    });
    const out = JSON.parse(stdout.trim().split('\n').pop()!) as {
      init: { code: string; backend: string; message: string };
      codec: { backend: string; skipped: [string, string, string][]; decodedBy: string };
    };
    expect(out.init.code).toBe('E_BACKEND_INIT');
    expect(out.init.backend).toBe('webgpu');
    expect(out.init.message).toMatch(
      /^WebGPU is not available: no WebGPU adapter \(Dawn found no Vulkan driver/,
    );
    expect(out.codec.backend).toBe('wasm');
    expect(out.codec.decodedBy).toBe('wasm');
    expect(out.codec.skipped).toEqual([['webgpu', 'E_BACKEND_INIT', out.init.message]]);
  }, 60_000);
});
