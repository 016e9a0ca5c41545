// Bundled by Vite: core's conformance suite on navigator.gpu, as src/backend.test.ts runs it on Dawn — decode
// and malformed cases on webgpu alone (Huffman decoding on the GPU wherever the file allows it), pixel ops and
// encode through core's fallback to wasm.
import { createCodec, registerBackend } from '@jpegkit/core';
import { conformanceSuite, fixtureReader } from '@jpegkit/core/testing';
import '@jpegkit/wasm';
import { WebGPUBackend } from '../../dist/index.js';

const webgpu = new WebGPUBackend();
registerBackend(webgpu);

async function run() {
  const cases = await conformanceSuite({ read: fixtureReader(new URL('/fixtures/', location.href)) });
  const init = { threads: 2, entropy: 'gpu' };
  const gpuOnly = await createCodec({ backends: ['webgpu'], strict: true, init });
  const withFallback = await createCodec({ backends: ['webgpu', 'wasm'], strict: true, init });
  const report = { total: cases.length, excluded: 0, passed: [], failed: [] };
  for (const c of cases) {
    if (c.excluded !== undefined) {
      report.excluded++;
      continue;
    }
    const onGpuAlone = c.group === 'decode' || c.group === 'malformed';
    try {
      await c.run(onGpuAlone ? gpuOnly : withFallback);
      report.passed.push(c.id);
    } catch (error) {
      report.failed.push({ id: c.id, message: String(error?.message ?? error) });
    }
  }
  report.entropy = { ...webgpu.entropyStats };
  await gpuOnly.dispose();
  await withFallback.dispose();
  return report;
}

window.jpegkitResult = run().catch((error) => ({ error: `${error.code ?? ''} ${error.message}` }));
