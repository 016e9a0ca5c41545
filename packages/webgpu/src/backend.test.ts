import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OP_NAMES, createCodec, registerBackend } from '@jpegkit/core';
import type { Codec } from '@jpegkit/core';
import { conformanceSuite } from '@jpegkit/core/testing';
import { WebGPUBackend } from './backend.js';
import { useSwiftShader } from './test-support.js';

// The webgpu backend against core's conformance suite, on Dawn with Chromium's SwiftShader (no GPU needed),
// on a codec with webgpu alone: every decode is the GPU's and byte-exact with djpeg -dct int, every pixel op runs
// as WebGPU kernels within ±1 of core's reference ops, every encode runs on the GPU (Huffman coding by the wasm
// coefficient writer) and its round trip decodes on webgpu. Huffman decoding runs on the GPU ('gpu' mode) for
// every file that allows it (single-scan sequential Huffman JPEGs, with or without restart markers), in the wasm
// workers for the rest.
useSwiftShader();

const webgpu = new WebGPUBackend();
registerBackend(webgpu);
const cases = await conformanceSuite();
let gpuOnly: Codec;

beforeAll(async () => {
  gpuOnly = await createCodec({ backends: ['webgpu'], strict: true, init: { threads: 2, entropy: 'gpu' } });
}, 60_000);
afterAll(async () => {
  await gpuOnly?.dispose();
});

describe('webgpu backend: conformance', () => {
  it('runs every case (nothing excluded) and reports every op and encode', () => {
    expect(cases.filter((c) => c.excluded !== undefined)).toEqual([]);
    expect(cases.length).toBeGreaterThan(170);
    const caps = gpuOnly.available.find((a) => a.name === 'webgpu')!.caps;
    expect([caps.encode, caps.ops, caps.deviceImages]).toEqual([true, OP_NAMES, true]);
  });
  for (const c of cases) it(c.id, () => c.run(gpuOnly));
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
