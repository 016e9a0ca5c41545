import { SUBSAMPLINGS, ops, resolveEncodeOptions } from '@jpegkit/core';
import type { HostImage, ResolvedEncodeOptions } from '@jpegkit/core';
import { encodeWith, loadModule, readCoefficients } from '@jpegkit/wasm';
import type { JpegkitWasm } from '@jpegkit/wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestDevice } from '../gpu.js';
import { GpuContext } from '../gpu-context.js';
import { uploadHostImage } from '../pixel-transfer.js';
import { encodeGpuPixels } from './encode-jpeg.js';
import { quantTablesForQuality } from './quant-tables.js';
import { decodeFixture, useSwiftShader } from '../test-support.js';

useSwiftShader();

const FILES = [
  'photo-420.jpg', // 160x120
  'testorig.jpg', // 227x149, libjpeg-turbo's own test image
  'odd-1x1.jpg',
  'odd-17x9-444.jpg',
  'odd-33x21-420.jpg',
  'odd-35x27-422.jpg',
  'odd-37x23-411.jpg',
  'wide-2000x3-420.jpg',
  'photo-gray.jpg',
];

let device: GPUDevice;
let ctx: GpuContext;
let wasm: JpegkitWasm;
const images = new Map<string, HostImage>();
const counts = { byteExact: 0, coefficientsOnly: 0 };

beforeAll(async () => {
  ({ device } = await requestDevice());
  ctx = new GpuContext(device);
  wasm = await loadModule();
  for (const file of FILES) {
    images.set(file, decodeFixture(wasm, file, file.includes('gray') ? 'gray' : 'rgb'));
  }
});

afterAll(() => {
  console.log(
    `webgpu encode vs wasm encode: ${counts.byteExact} byte-exact, ${counts.coefficientsOnly} with equal ` +
      'coefficients (quality 100: one shared DQT table)',
  );
  wasm?.dispose();
  device?.destroy();
});

/** Encodes on the GPU and with wasm; asserts equal bytes (or, at quality 100, equal coefficients). */
async function expectSameJpeg(img: HostImage, options: ResolvedEncodeOptions, label: string): Promise<void> {
  const { pixels } = uploadHostImage(ctx, img);
  const gpu = await encodeGpuPixels(ctx, pixels, options, wasm);
  pixels.buffer.destroy();
  const reference = encodeWith(wasm, img, options);
  const tables = quantTablesForQuality(options.quality);
  const sharedTable = tables.luminance.every((q, i) => q === tables.chrominance[i]);
  if (!sharedTable || img.format === 'gray' || options.subsampling === 'gray') {
    expect(Buffer.from(gpu).equals(Buffer.from(reference)), `${label}: bytes differ`).toBe(true);
    counts.byteExact++;
    return;
  }
  const a = readCoefficients(wasm, gpu);
  const b = readCoefficients(wasm, reference);
  expect(a.components.length).toBe(b.components.length);
  a.components.forEach((c, i) => {
    const r = b.components[i]!;
    expect([c.h, c.v, c.widthInBlocks, c.heightInBlocks], label).toEqual([
      r.h,
      r.v,
      r.widthInBlocks,
      r.heightInBlocks,
    ]);
    expect(Array.from(c.quantTable), label).toEqual(Array.from(r.quantTable));
    for (let row = 0; row < c.heightInBlocks; row++) {
      const start = row * c.blocksPerRow * 64;
      const end = start + c.widthInBlocks * 64;
      expect(
        Array.from(c.coefficients.subarray(start, end)),
        `${label}: coefficients of component ${i} block row ${row}`,
      ).toEqual(Array.from(r.coefficients.subarray(start, end)));
    }
  });
  counts.coefficientsOnly++;
}

describe('encode on the GPU vs @jpegkit/wasm (cjpeg)', () => {
  const QUALITIES = [1, 10, 50, 75, 90, 95, 100];
  for (const [f, file] of FILES.entries()) {
    it(`${file}: every subsampling, byte for byte`, async () => {
      const img = images.get(file)!;
      for (const [s, subsampling] of SUBSAMPLINGS.entries()) {
        // Each subsampling with a different quality and switch combination, so the set covers them all.
        const n = f * SUBSAMPLINGS.length + s;
        const options = resolveEncodeOptions({
          quality: QUALITIES[n % QUALITIES.length]!,
          subsampling,
          optimize: n % 2 === 0,
          progressive: n % 3 === 0,
          restartInterval: n % 4 === 1 ? 2 : 0,
        });
        await expectSameJpeg(img, options, `${file} ${JSON.stringify({ ...options })}`);
      }
    });
  }

  it('every quality from 1 to 100 on a small photo', async () => {
    const img = ops.resizeImage(images.get('photo-420.jpg')!, 40, 27, { filter: 'box' });
    for (let quality = 1; quality <= 100; quality++) {
      const options = resolveEncodeOptions({ quality, subsampling: quality % 2 ? '4:2:0' : '4:4:4' });
      await expectSameJpeg(img, options, `quality ${quality}`);
    }
  });

  it('encodes pixels uploaded from every host format like the wasm encoder given that format', async () => {
    const rgb = images.get('odd-35x27-422.jpg')!;
    for (const format of ['rgba', 'bgr', 'bgra', 'rgb-planar', 'bgr-planar'] as const) {
      const img = ops.convertImage(rgb, format);
      if (format === 'rgba') for (let i = 3; i < img.data.length; i += 4) img.data[i] = i & 255; // ignored
      await expectSameJpeg(img, resolveEncodeOptions({ quality: 85, subsampling: '4:2:2' }), format);
    }
  });

  it('writes EXIF and a multi-chunk ICC profile where the wasm encoder does', async () => {
    const img = images.get('odd-33x21-420.jpg')!;
    const icc = Uint8Array.from({ length: 150_000 }, (_, i) => (i * 7) & 255);
    const exif = Uint8Array.from([0x49, 0x49, 0x2a, 0, 8, 0, 0, 0, 0, 0]);
    await expectSameJpeg(img, resolveEncodeOptions({ quality: 80, icc, exif }), 'icc + exif');
    const prefixed = Uint8Array.from([0x45, 0x78, 0x69, 0x66, 0, 0, ...exif]);
    await expectSameJpeg(
      img,
      resolveEncodeOptions({ quality: 80, exif: prefixed, progressive: true }),
      'exif',
    );
  });

  it('rejects a bad quality or subsampling with E_INVALID_ARGUMENT', async () => {
    const { pixels } = uploadHostImage(ctx, images.get('odd-1x1.jpg')!);
    const good = resolveEncodeOptions({});
    for (const bad of [{ quality: 0 }, { quality: 50.5 }, { subsampling: '4:2:1' }]) {
      await expect(
        encodeGpuPixels(ctx, pixels, { ...good, ...bad } as ResolvedEncodeOptions, wasm),
        JSON.stringify(bad),
      ).rejects.toMatchObject({ code: 'E_INVALID_ARGUMENT' });
    }
    pixels.buffer.destroy();
  });

  it('rejects arithmetic coding with E_UNSUPPORTED', async () => {
    const { pixels } = uploadHostImage(ctx, images.get('odd-1x1.jpg')!);
    await expect(
      encodeGpuPixels(ctx, pixels, resolveEncodeOptions({ arithmetic: true }), wasm),
    ).rejects.toMatchObject({ code: 'E_UNSUPPORTED' });
    pixels.buffer.destroy();
  });
});
