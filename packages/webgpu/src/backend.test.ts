import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCodec, registerBackend } from '@jpegkit/core';
import type { Codec } from '@jpegkit/core';
import { conformanceSuite } from '@jpegkit/core/testing';
import { WasmBackend } from '@jpegkit/wasm';
import { WebGPUBackend } from './backend.js';

// The webgpu backend against core's conformance suite, on Dawn with Chromium's SwiftShader (no GPU needed).
// Decode and malformed cases run on a codec with webgpu alone, so every decode is the GPU's and byte-exact
// with djpeg -dct int; pixel-op and encode cases run on webgpu + wasm, where core sends them to wasm (webgpu
// reports no ops and no encode yet) — the encode round trips decode their result on webgpu. Huffman decoding
// runs on the GPU ('gpu' mode) for every file that allows it (single-scan sequential Huffman JPEGs, with or
// without restart markers), in the wasm workers for the rest.
const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER)) process.env.VK_ICD_FILENAMES = SWIFTSHADER;

const webgpu = new WebGPUBackend();
registerBackend(webgpu);
registerBackend(new WasmBackend());
const cases = await conformanceSuite();
let gpuOnly: Codec;
let withFallback: Codec;

beforeAll(async () => {
  const init = { threads: 2, entropy: 'gpu' };
  gpuOnly = await createCodec({ backends: ['webgpu'], strict: true, init });
  withFallback = await createCodec({ backends: ['webgpu', 'wasm'], strict: true, init });
}, 60_000);
afterAll(async () => {
  await gpuOnly?.dispose();
  await withFallback?.dispose();
});

describe('webgpu backend: conformance', () => {
  it('runs every case (nothing excluded) and reports no ops or encode of its own', () => {
    expect(cases.filter((c) => c.excluded !== undefined)).toEqual([]);
    expect(cases.length).toBeGreaterThan(170);
    const caps = gpuOnly.available.find((a) => a.name === 'webgpu')!.caps;
    expect([caps.encode, caps.ops, caps.deviceImages]).toEqual([false, [], true]);
  });
  for (const c of cases) {
    const onGpuAlone = c.group === 'decode' || c.group === 'malformed';
    it(c.id, () => c.run(onGpuAlone ? gpuOnly : withFallback));
  }
  it('decoded the sequential Huffman fixtures with the GPU Huffman decoders', () => {
    const stats = webgpu.entropyStats;
    // Every single-scan sequential Huffman file: by restart interval or by self-synchronising chunks.
    expect(stats.gpu).toBeGreaterThan(60);
    expect(stats.gpuSelfSync).toBeGreaterThan(55);
    expect(stats.gpu - stats.gpuSelfSync).toBeGreaterThanOrEqual(3);
    // Progressive, arithmetic-coded and multi-scan files go to libjpeg, and so does damaged data.
    expect(stats.wasm).toBeGreaterThan(5);
    expect(stats.gpuRejected).toBeLessThanOrEqual(6);
  });
});
