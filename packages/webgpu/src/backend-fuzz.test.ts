import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspect, isJpegError } from '@jpegkit/core';
import type { HostImage, JpegError, JpegHeader, ResolvedDecodeOptions } from '@jpegkit/core';
import { diffImages, mutateBytes } from '@jpegkit/core/testing';
import { WasmBackend } from '@jpegkit/wasm';
import { WebGPUBackend } from './backend.js';
import { FIXTURES, readFixture, useSwiftShader } from './test-support.js';

// Mutated fixtures through the webgpu decoder, with Huffman decoding on the GPU wherever the file allows it:
// every failure must be a JpegError with libjpeg's (wasm's) code, nothing may hang, and what it decodes libjpeg
// must decode to the same pixels. A few hundred runs: SwiftShader is slow.
useSwiftShader();

const small = readdirSync(new URL('jpeg/', FIXTURES))
  .filter((n) => n.endsWith('.jpg'))
  .map((n) => readFixture(`jpeg/${n}`))
  .filter((b) => b.length < 40_000);

const gpu = new WebGPUBackend();
const cpu = new WasmBackend();
beforeAll(async () => {
  await gpu.init({ threads: 0, entropy: 'gpu' });
  await cpu.init({ threads: 0 });
}, 60_000);
afterAll(async () => {
  await gpu.dispose();
  await cpu.dispose();
});

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat(7) }),
  fc.record({ kind: fc.constant('byte' as const), at: fc.nat(), value: fc.nat(255) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('splice' as const), at: fc.nat(), length: fc.nat(64) }),
);

const OPTIONS: ResolvedDecodeOptions = {
  format: 'rgb',
  scale: 1,
  orient: false,
  location: 'host',
  partial: false,
};

describe('webgpu decode under fuzzing', () => {
  it('gives libjpeg’s error codes or libjpeg’s pixels on 300 mutated files', async () => {
    const seed = Number(process.env.FC_SEED ?? 0x6a9e17);
    const tally = { decoded: 0, rejected: 0, notJpeg: 0, compared: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.nat(small.length - 1),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        fc.constantFrom(1, 0.5, 0.125),
        async (index, ms, scale) => {
          const bytes = mutateBytes(small[index]!, ms);
          let header: JpegHeader;
          try {
            header = inspect(bytes, { headerOnly: true });
          } catch (error) {
            expect(isJpegError(error)).toBe(true);
            tally.notJpeg++;
            return;
          }
          if (gpu.canDecode(header, OPTIONS) !== true || header.width * header.height > 4_000_000) return;
          const options = { ...OPTIONS, scale: scale as ResolvedDecodeOptions['scale'] };
          let img: HostImage;
          const reference = await cpu.decode(bytes, header, options).catch((error: unknown) => error);
          try {
            img = (await gpu.decode(bytes, header, options)) as HostImage;
          } catch (error) {
            expect(isJpegError(error), String(error)).toBe(true);
            // The same verdict as libjpeg, or a block beyond the exact IDCT's range (sent to the next backend).
            if (
              (error as JpegError).code !== 'E_UNSUPPORTED' ||
              !/exactly in 32 bits/.test((error as Error).message)
            )
              expect((error as JpegError).code).toBe(isJpegError(reference) ? reference.code : 'decoded');
            tally.rejected++;
            return;
          }
          tally.decoded++;
          expect(isJpegError(reference), `libjpeg rejects what webgpu decoded: ${String(reference)}`).toBe(
            false,
          );
          expect(diffImages(img, reference as HostImage).maxAbs).toBe(0);
          tally.compared++;
        },
      ),
      { numRuns: 300, seed },
    );
    // The mutations must exercise every path: files that decode, that fail in decoding, and that are no JPEG.
    expect(tally.decoded).toBeGreaterThan(20);
    expect(tally.rejected).toBeGreaterThan(20);
    expect(tally.compared).toBeGreaterThan(20);
  }, 180_000);
});
