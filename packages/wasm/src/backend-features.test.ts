import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  JpegError,
  createCodec,
  inspect,
  ops,
  readPnm,
  registerBackend,
  shrinkOnLoadScale,
} from '@jpegkit/core';
import type { HostImage, OpStep } from '@jpegkit/core';
import { diffImages } from '@jpegkit/core/testing';
import { WasmBackend } from './backend.js';
import { loadModule } from './module.js';
import { readCoefficients } from './transform-module.js';

const fixture = (p: string) =>
  new Uint8Array(readFileSync(new URL(`../../../fixtures/${p}`, import.meta.url)));
const wasmFile = new URL('../wasm/jpegkit.wasm', import.meta.url);

registerBackend(new WasmBackend());
const codec = await createCodec({ backends: ['wasm'], strict: true });
afterAll(() => codec.dispose());

describe('wasm backend: batches and concurrency', () => {
  it('decodes a mixed batch across the worker pool with failures in place', async () => {
    const names = [
      'photo-420.jpg',
      'photo-444.jpg',
      'photo-gray.jpg',
      'odd-33x21-420.jpg',
      'photo-420-progressive.jpg',
    ];
    const list = [
      ...names.map((n) => fixture(`jpeg/${n}`)),
      fixture('malformed/truncated-mid-scan.jpg'),
      fixture('jpeg/testorig12.jpg'),
    ];
    const batch = [...list, ...list, ...list];
    const results = await codec.decodeBatch(batch);
    expect(results).toHaveLength(batch.length);
    for (let round = 0; round < 3; round++) {
      names.forEach((n, i) => {
        const r = results[round * list.length + i] as HostImage;
        const ref = readPnm(fixture(`ref/${n.replace('.jpg', n.includes('gray') ? '.pgm' : '.ppm')}`));
        expect(r.backend, n).toBe('wasm');
        expect(
          diffImages(
            n.includes('gray') ? { ...r, format: 'rgb' } : r,
            n.includes('gray')
              ? { ...ref, format: 'rgb', stride: ref.width * 3, data: expandGray(ref) }
              : ref,
          ).maxAbs,
          n,
        ).toBe(0);
      });
      expect(results[round * list.length + 5]).toMatchObject({ code: 'E_TRUNCATED', backend: 'wasm' });
      expect(results[round * list.length + 6]).toMatchObject({ code: 'E_UNSUPPORTED' });
      expect((results[round * list.length + 6] as JpegError).message).toContain(
        '12-bit JPEG: this build of libjpeg-turbo is 8-bit only',
      );
    }
  });

  it('keeps many calls in flight at once without mixing their results', async () => {
    const a = fixture('jpeg/photo-420.jpg');
    const b = fixture('jpeg/photo-444.jpg');
    const outs = await Promise.all(Array.from({ length: 24 }, (_, i) => codec.decode(i % 2 ? b : a)));
    const refA = readPnm(fixture('ref/photo-420.ppm'));
    const refB = readPnm(fixture('ref/photo-444.ppm'));
    outs.forEach((img, i) => expect(diffImages(img as HostImage, i % 2 ? refB : refA).maxAbs).toBe(0));
  });
});

function expandGray(gray: HostImage): Uint8Array {
  const out = new Uint8Array(gray.width * gray.height * 3);
  for (let i = 0; i < gray.width * gray.height; i++) out.fill(gray.data[i]!, i * 3, i * 3 + 3);
  return out;
}

describe('wasm backend: options', () => {
  it('returns the rows it could decode from damaged data in partial mode, flagged', async () => {
    const bytes = fixture('malformed/truncated-mid-scan.jpg');
    await expect(codec.decode(bytes)).rejects.toMatchObject({ code: 'E_TRUNCATED' });
    const img = (await codec.decode(bytes, { partial: true })) as HostImage;
    expect(img.partial?.code).toBe('E_TRUNCATED');
    expect(img.partial!.rows).toBeGreaterThan(0);
    expect(img.partial!.rows).toBeLessThanOrEqual(img.height);
    expect(img.partial!.message).toMatch(/premature end/i);
    // The cut is half-way through the scan: the first MCU row decodes exactly (its last rows wait for the next
    // row's chroma in fancy upsampling).
    const ref = readPnm(fixture('ref/small-420.ppm'));
    const top = (i: HostImage) => ({ ...i, height: 8 });
    expect(diffImages(top(img), top(ref)).maxAbs).toBe(0);
  });

  it('decodes a region that equals the same rectangle of a full decode', async () => {
    const full = (await codec.decode(fixture('jpeg/photo-420.jpg'))) as HostImage;
    const crop = { x: 13, y: 7, width: 61, height: 45 };
    const part = (await codec.decode(fixture('jpeg/photo-420.jpg'), { crop })) as HostImage;
    expect([part.width, part.height]).toEqual([61, 45]);
    const expected = {
      ...full,
      data: full.data.subarray(crop.y * full.stride + crop.x * 3),
      width: 61,
      height: 45,
    };
    expect(diffImages(part, expected).maxAbs).toBe(0);
  });

  it('writes ICC and EXIF when encoding, as inspect reads them back', async () => {
    const img = readPnm(fixture('ref/photo-420.ppm'));
    const source = inspect(fixture('jpeg/small-icc-3-chunks.jpg'));
    const exif = inspect(fixture('jpeg/orient-6-mm.jpg')).exif!;
    const jpeg = await codec.encode(img, { quality: 80, icc: source.icc!, exif });
    const h = inspect(jpeg);
    expect(h.icc).toEqual(source.icc);
    expect(h.orientation).toBe(6);
    expect([...h.exif!]).toEqual([...exif]);
  });

  it('accepts a precompiled WebAssembly.Module (bundlers, strict CSP)', async () => {
    const backend = new WasmBackend();
    const module = await WebAssembly.compile(readFileSync(wasmFile));
    const caps = await backend.init({ module });
    expect(caps.device).toMatch(/^jpegkit-wasm \d+ libjpeg-turbo 2\.1\.5, calling thread$/);
    const header = inspect(fixture('jpeg/photo-422.jpg'));
    const img = await backend.decode(fixture('jpeg/photo-422.jpg'), header, {
      format: 'rgb',
      scale: 1,
      orient: false,
      location: 'host',
      partial: false,
    });
    expect(diffImages(img, readPnm(fixture('ref/photo-422.ppm'))).maxAbs).toBe(0);
    await backend.dispose();
  });

  it('says clearly when the .wasm cannot be loaded', async () => {
    const backend = new WasmBackend();
    const error = await backend
      .init({ wasmBinary: new Uint8Array([0, 97, 115, 109, 9, 9, 9, 9]) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JpegError);
    expect(error).toMatchObject({ code: 'E_BACKEND_INIT', backend: 'wasm' });
    expect((error as Error).message).toMatch(/^jpegkit\.wasm could not be loaded: /);
  });
});

describe('shrink-on-load', () => {
  const resize = (width: number, height = 0): OpStep => ({
    op: 'resize',
    width,
    height,
    fit: 'cover',
    filter: 'lanczos3',
    linear: false,
    background: [0, 0, 0, 255],
  });
  it('decodes at the smallest M/8 scale that still covers the first resize', () => {
    expect(shrinkOnLoadScale(2560, 1600, 1, [resize(640)], true)).toBe(0.25);
    expect(shrinkOnLoadScale(2560, 1600, 1, [resize(700)], true)).toBe(0.375);
    expect(shrinkOnLoadScale(2560, 1600, 1, [resize(100, 100)], true)).toBe(0.125);
    expect(shrinkOnLoadScale(2560, 1600, 1, [resize(2000)], true)).toBe(0.875);
    expect(shrinkOnLoadScale(2560, 1600, 1, [resize(2400)], true)).toBe(1);
    // orientation 6 swaps the axes before the resize sees them: 1600 wide → 400 needs 1/4
    expect(shrinkOnLoadScale(2560, 1600, 6, [resize(400)], true)).toBe(0.25);
    expect(shrinkOnLoadScale(2560, 1600, 1, [{ op: 'flip' }, resize(640)], true)).toBe(1);
    // a decoder with only 1/2, 1/4 and 1/8 (webgpu) takes the next one up
    expect(shrinkOnLoadScale(2560, 1600, 1, [resize(700)], true, [1, 0.5, 0.25, 0.125])).toBe(0.5);
  });
});

describe('pipelines and shrink-on-load', () => {
  // Off by default, so a pipeline gives the pixels of a full-size decode + core's ops — what cuda and webgpu give.
  it('decodes at full size unless asked: within ±1 of the reference pipeline; faster and different when asked', async () => {
    const codec = await createCodec({ backends: ['wasm'], strict: true });
    try {
      const bytes = fixture('jpeg/large-1024x640-420-q90.jpg');
      const full = (await codec.decode(bytes)) as HostImage;
      for (const width of [512, 256, 128]) {
        const want = ops.applyOp(full, resizeStep(width, (width * 640) / 1024));
        const exact = (await codec.pipeline(bytes).resize({ width }).toImage()) as HostImage;
        expect(diffImages(exact, want).maxAbs, `width ${width}`).toBeLessThanOrEqual(1);
        const shrunk = (await codec.pipeline(bytes).shrinkOnLoad().resize({ width }).toImage()) as HostImage;
        // The reduced IDCT is what sharp's fastShrinkOnLoad does too: close, not equal.
        expect([shrunk.width, shrunk.height]).toEqual([want.width, want.height]);
        const diff = diffImages(shrunk, want);
        expect(diff.maxAbs, `width ${width}`).toBeGreaterThan(1);
        expect(diff.psnr, `width ${width}`).toBeGreaterThan(30);
      }
    } finally {
      await codec.dispose();
    }
  });
});

const resizeStep = (width: number, height: number): OpStep => ({
  op: 'resize',
  width,
  height,
  fit: 'fill',
  filter: 'lanczos3',
  linear: false,
  background: [0, 0, 0, 255],
});

describe('DCT coefficients through the worker pool', () => {
  it('reads the same coefficients as the module on the calling thread', async () => {
    const pooled = new WasmBackend();
    await pooled.init({ threads: 2 });
    const direct = await loadModule();
    for (const name of ['photo-420.jpg', 'photo-422-progressive.jpg', 'photo-gray.jpg']) {
      const bytes = fixture(`jpeg/${name}`);
      const [a, b] = [await pooled.readCoefficients(bytes), readCoefficients(direct, bytes)];
      expect(a, name).toEqual(b);
      expect(a.components[0]!.coefficients.length, name).toBeGreaterThan(0);
    }
    direct.dispose();
    await pooled.dispose();
  });
});
