import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { isJpegError } from '@jpegkit/core';
import type { JpegHeader } from '@jpegkit/core';
import { inspect } from '@jpegkit/core';
import { WasmBackend } from './backend.js';
import { mutateBytes } from '@jpegkit/core/testing';

// 10,000 mutated fixtures through the wasm decoder on the calling thread: every failure must be a JpegError,
// nothing may hang or crash, and the module's heap must not grow.
const fixtures = new URL('../../../fixtures/', import.meta.url);
const small = readdirSync(new URL('jpeg/', fixtures))
  .filter((n) => n.endsWith('.jpg'))
  .map((n) => new Uint8Array(readFileSync(new URL(`jpeg/${n}`, fixtures))))
  .filter((b) => b.length < 40_000);

const backend = new WasmBackend();
await backend.init({ threads: 0 });
afterAll(() => backend.dispose());

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat(7) }),
  fc.record({ kind: fc.constant('byte' as const), at: fc.nat(), value: fc.nat(255) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('splice' as const), at: fc.nat(), length: fc.nat(64) }),
);

describe('wasm decode under fuzzing', () => {
  it('gives only JpegErrors on 10,000 mutated files and keeps its heap flat', async () => {
    const seed = Number(process.env.FC_SEED ?? 0x5eed1e55);
    let decoded = 0;
    let rejected = 0;
    let notJpeg = 0;
    const heapBefore = await backend.heapUsed(true);
    await fc.assert(
      fc.asyncProperty(
        fc.nat(small.length - 1),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        async (index, ms) => {
          const bytes = mutateBytes(small[index]!, ms);
          let header: JpegHeader;
          try {
            header = inspect(bytes);
          } catch (error) {
            expect(isJpegError(error)).toBe(true);
            notJpeg++;
            return;
          }
          if (backend.canDecode(header) !== true || header.width * header.height > 4_000_000) return;
          try {
            const img = await backend.decode(bytes, header, {
              format: 'rgb',
              scale: 1,
              orient: false,
              location: 'host',
              partial: false,
            });
            expect(img.data.length).toBeGreaterThanOrEqual(img.width * img.height * 3);
            decoded++;
          } catch (error) {
            expect(isJpegError(error), String(error)).toBe(true);
            rejected++;
          }
        },
      ),
      { numRuns: 10_000, seed },
    );
    const heapAfter = await backend.heapUsed(true);
    console.log(
      `wasm fuzz: 10000 runs (seed ${seed}): ${decoded} decoded, ${rejected} rejected by the decoder, ${notJpeg} by inspect; heap ${heapBefore} → ${heapAfter} bytes`,
    );
    expect(decoded + rejected + notJpeg).toBeGreaterThan(5000);
    expect(heapAfter).toBe(heapBefore); // scratch buffers released: nothing leaked
  }, 180_000);
});
