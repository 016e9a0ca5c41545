import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  JpegError,
  createCodec,
  inspect,
  ops,
  readPnm,
  registerBackend,
  resolveDecodeOptions,
  resolveEncodeOptions,
} from '@jpegkit/core';
import type { Codec, HostImage, PixelFormat } from '@jpegkit/core';
import { describeDiff, diffImages } from '@jpegkit/core/testing';
import { WasmBackend } from '@jpegkit/wasm';
import { CudaBackend } from './backend.js';
import { CudaImage } from './cuda-image.js';
import { loadAddon } from './loader.js';

// On a GPU host only — the root vitest config leaves this file out unless JPEGKIT_GPU_TESTS=1 (CI has no GPU);
// there a missing GPU or nvJPEG fails it with the reason. Decode against libjpeg-turbo's references
// (nvJPEG is measured, not required to be exact), every output format against the rgb decode (exact: our
// kernels only copy), device images, batches with failures in place, buffer reuse, concurrency, encode.

const fixture = (p: string) =>
  new Uint8Array(readFileSync(new URL(`../../../fixtures/${p}`, import.meta.url)));
const unavailable = await (async () => {
  try {
    const addon = loadAddon();
    await addon.probe(0);
    await addon.loadNvjpeg();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
})();

interface Facts {
  file: string;
  reference: string | null;
  subsampling: string;
  process: string;
}

describe('cuda backend on a GPU', () => {
  it('has a GPU and nvJPEG here', () => {
    expect(unavailable).toBeUndefined();
  });

  const cuda = new CudaBackend();
  const facts = JSON.parse(
    readFileSync(new URL('../../../fixtures/facts.json', import.meta.url), 'utf8'),
  ) as Facts[];
  let codec: Codec;

  beforeAll(async () => {
    registerBackend(cuda);
    registerBackend(new WasmBackend());
    codec = await createCodec({ backends: ['cuda', 'wasm'] });
    console.log(`cuda: ${codec.available[0]?.caps.device}`);
  });
  afterAll(async () => {
    await codec.dispose();
  });

  const host = async (file: string, options = {}) =>
    (await cuda.decode(fixture(file), inspect(fixture(file)), resolveDecodeOptions(options))) as HostImage;

  it('is the backend in use', () => {
    expect(codec.backend).toBe('cuda');
    expect(codec.skipped).toEqual([]);
  });

  it('decodes every fixture it accepts close to libjpeg-turbo (fidelity report)', async () => {
    const rows: string[] = [];
    const failures: string[] = [];
    for (const f of facts) {
      if (!f.reference) continue; // only a sha256 is committed (or no djpeg reference exists)
      const bytes = fixture(f.file);
      if (cuda.canDecode(inspect(bytes), resolveDecodeOptions()) !== true) continue;
      const expected = readPnm(fixture(f.reference));
      let img: HostImage;
      try {
        img = await host(f.file, { format: expected.format });
      } catch (error) {
        failures.push(`${f.file} as ${expected.format}: ${(error as Error).message}`);
        continue;
      }
      const diff = diffImages(img, expected, 255);
      rows.push(`${f.file} (${f.subsampling}, ${f.process}): ${describeDiff(diff)}`);
      if (!(diff.psnr > 30)) failures.push(`${f.file}: PSNR ${diff.psnr.toFixed(2)} dB`);
    }
    console.log(rows.join('\n'));
    expect(failures).toEqual([]);
    expect(rows.length).toBeGreaterThan(30);
  });

  it('writes every format as an exact rearrangement of the rgb decode', async () => {
    const file = 'jpeg/photo-420.jpg';
    const rgb = await host(file);
    for (const format of ['rgba', 'bgr', 'bgra', 'rgb-planar', 'bgr-planar'] as PixelFormat[]) {
      const img = await host(file, { format });
      expect([format, diffImages(ops.convertImage(img, 'rgb'), rgb).maxAbs]).toEqual([format, 0]);
    }
  });

  it('applies EXIF orientation exactly like core orientImage', async () => {
    for (let n = 1; n <= 8; n++) {
      const file = `jpeg/orient-${n}-ii.jpg`;
      const stored = await host(file);
      const upright = await host(file, { orient: true });
      expect([
        n,
        upright.orientation,
        diffImages(upright, ops.orientImage(stored, stored.orientation)).maxAbs,
      ]).toEqual([n, 1, 0]);
    }
  });

  it('keeps device images on the GPU until downloaded, then gives the memory back', async () => {
    const file = 'jpeg/large-1024x640-420-q90.jpg';
    const before = cuda.stats().inUseBytes ?? 0;
    const dev = (await codec.decode(fixture(file), { location: 'device', format: 'rgba' })) as CudaImage;
    expect(dev).toBeInstanceOf(CudaImage);
    expect([dev.width, dev.height, dev.pitch % 256]).toEqual([1024, 640, 0]);
    const down = await dev.download();
    expect(diffImages(down, await host(file, { format: 'rgba' })).maxAbs).toBe(0);
    dev.release();
    dev.release();
    expect(dev.released).toBe(true);
    expect(cuda.stats().inUseBytes).toBe(before);
    await expect(dev.download()).rejects.toMatchObject({ code: 'E_INVALID_ARGUMENT' });
  });

  it('decodes a mixed batch with failures in place and falls back per image', async () => {
    const list = [
      fixture('jpeg/photo-420.jpg'),
      fixture('jpeg/photo-420-progressive.jpg'),
      fixture('jpeg/photo-cmyk.jpg'), // refused by cuda → wasm
      fixture('malformed/truncated-mid-scan.jpg'),
      fixture('jpeg/odd-33x21-420.jpg'),
    ];
    const results = await codec.decodeBatch([...list, ...list, ...list]);
    expect(results).toHaveLength(15);
    for (let i = 0; i < 15; i++) {
      const r = results[i]!;
      if (i % 5 === 3) expect(r).toBeInstanceOf(JpegError);
      else expect([i, (r as HostImage).backend]).toEqual([i, i % 5 === 2 ? 'wasm' : 'cuda']);
    }
  });

  it('reuses pooled device memory: 300 decodes allocate nothing after the first', async () => {
    const file = 'jpeg/photo-420.jpg';
    await host(file);
    const warm = cuda.stats().allocations;
    for (let i = 0; i < 300; i++) await host(file);
    expect(cuda.stats().allocations).toBe(warm);
  });

  it('runs 64 decodes at once with the same pixels as one at a time', async () => {
    const file = 'jpeg/photo-444.jpg';
    const one = await host(file);
    const many = await Promise.all(Array.from({ length: 64 }, () => host(file)));
    for (const img of many) expect(diffImages(img, one).maxAbs).toBe(0);
  });

  it('encodes host and device images that decode back close to the source', async () => {
    const src = await host('jpeg/large-1024x640-420-q90.jpg');
    for (const subsampling of ['4:4:4', '4:2:0', 'gray'] as const) {
      const jpeg = await cuda.encode(
        src,
        resolveEncodeOptions({ quality: 95, subsampling, icc: Uint8Array.of(1, 2, 3) }),
      );
      const header = inspect(jpeg);
      expect([subsampling, header.subsampling, header.icc]).toEqual([
        subsampling,
        subsampling,
        Uint8Array.of(1, 2, 3),
      ]);
      const back = (await codec.decode(jpeg, {
        format: subsampling === 'gray' ? 'gray' : 'rgb',
      })) as HostImage;
      const reference = subsampling === 'gray' ? ops.convertImage(src, 'gray') : src;
      expect([subsampling, diffImages(back, reference, 255).psnr > 30]).toEqual([subsampling, true]);
    }
    const dev = (await codec.decode(fixture('jpeg/photo-444.jpg'), {
      location: 'device',
      format: 'bgra',
    })) as CudaImage;
    const jpeg = await codec.encode(dev, { quality: 90 });
    dev.release();
    expect(inspect(jpeg).width).toBe(160);
    await expect(cuda.encode(src, resolveEncodeOptions({ restartInterval: 4 }))).rejects.toMatchObject({
      code: 'E_UNSUPPORTED',
    });
  });

  it('gives only JpegErrors on 10,000 mutated files, and stays usable', async () => {
    const bases = [
      'jpeg/small-420.jpg',
      'jpeg/photo-422.jpg',
      'jpeg/photo-420-restart-3mcu.jpg',
      'jpeg/photo-gray.jpg',
    ].map(fixture);
    let state = 0x1234567;
    const random = (n: number) => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state % n;
    };
    let decoded = 0;
    let rejected = 0;
    const foreign: string[] = [];
    for (let round = 0; round < 100; round++) {
      const batch = Array.from({ length: 100 }, () => {
        const bytes = bases[random(bases.length)]!.slice();
        const edits = 1 + random(4);
        for (let e = 0; e < edits; e++) {
          const at = random(bytes.length);
          if (random(4) === 0) return bytes.subarray(0, at); // truncation
          bytes[at] = random(3) === 0 ? bytes[at]! ^ (1 << random(8)) : random(256);
        }
        return bytes;
      });
      for (const r of await codec.decodeBatch(batch)) {
        if (r instanceof JpegError) rejected++;
        else if (r instanceof Error) foreign.push(r.message);
        else decoded++;
      }
    }
    console.log(`cuda fuzz: 10000 mutated files: ${decoded} decoded, ${rejected} JpegErrors`);
    expect(foreign).toEqual([]);
    expect(decoded + rejected).toBe(10_000);
    const after = (await codec.decode(fixture('jpeg/photo-444.jpg'))) as HostImage;
    expect(after.backend).toBe('cuda');
  }, 300_000);

  it('keeps device memory flat over 100,000 decodes', async () => {
    const small = fixture('jpeg/small-420.jpg');
    const batch = Array.from({ length: 250 }, () => small);
    const run = async () => {
      for (const r of await codec.decodeBatch(batch, { location: 'device' })) {
        if (r instanceof Error) throw r;
        (r as CudaImage).release();
      }
    };
    // Warm up until the pools and nvJPEG's own workspaces have reached their size, then check that nothing
    // grows: pool allocations over all 100,000 decodes, device memory over the second half.
    for (let i = 0; i < 20; i++) await run();
    const start = cuda.stats();
    for (let i = 0; i < 200; i++) await run();
    const half = cuda.stats();
    for (let i = 0; i < 200; i++) await run();
    const end = cuda.stats();
    console.log(
      `cuda 100k decodes: device free ${start.deviceFreeBytes} → ${half.deviceFreeBytes} → ${end.deviceFreeBytes} bytes, ` +
        `pool allocations ${start.allocations} → ${half.allocations} → ${end.allocations}`,
    );
    expect(end.allocations).toBe(start.allocations);
    expect(end.deviceFreeBytes).toBe(half.deviceFreeBytes);
  }, 600_000);
});
