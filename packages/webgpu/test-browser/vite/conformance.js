// Bundled by Vite: core's conformance suite on navigator.gpu, as src/backend.test.ts runs it on Dawn — every
// case on webgpu alone: decode (Huffman decoding on the GPU wherever the file allows it), malformed inputs,
// pixel ops and encode.
import { createCodec, registerBackend } from '@jpegkit/core';
import { conformanceSuite, fixtureReader } from '@jpegkit/core/testing';
import { WebGPUBackend } from '../../dist/index.js';

const webgpu = new WebGPUBackend();
registerBackend(webgpu);

async function run() {
  const cases = await conformanceSuite({ read: fixtureReader(new URL('/fixtures/', location.href)) });
  const init = { threads: 2, entropy: 'gpu' };
  const gpuOnly = await createCodec({ backends: ['webgpu'], strict: true, init });
  const report = { total: cases.length, excluded: 0, passed: [], failed: [] };
  for (const c of cases) {
    if (c.excluded !== undefined) {
      report.excluded++;
      continue;
    }
    try {
      await c.run(gpuOnly);
      report.passed.push(c.id);
    } catch (error) {
      report.failed.push({ id: c.id, message: String(error?.message ?? error) });
    }
  }
  report.entropy = { ...webgpu.entropyStats };
  await gpuOnly.dispose();
  return report;
}

window.jpegkitResult = run().catch((error) => ({ error: `${error.code ?? ''} ${error.message}` }));
