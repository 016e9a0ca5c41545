import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
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
  resolveResizeStep,
} from '@jpegkit/core';
import type { Codec, HostImage, PipelinePlan, PixelFormat } from '@jpegkit/core';
import { describeDiff, diffImages } from '@jpegkit/core/testing';
import { WasmBackend } from '@jpegkit/wasm';
import { CudaBackend, exactCanDecode } from './backend.js';
import { CudaImage } from './cuda-image.js';
import { loadAddon } from './loader.js';

// On a GPU host only — the root vitest config leaves this file out unless JPEGKIT_GPU_TESTS=1 (CI has no GPU);
// there a missing GPU or nvJPEG fails it with the reason. Decode against libjpeg-turbo's references
// (nvJPEG is measured, not required to be exact), every output format against the rgb decode (exact: our
// kernels only copy), device images, batches with failures in place, buffer reuse, concurrency, encode.

const fixture = (p: string) =>
  new Uint8Array(readFileSync(new URL(`../../../fixtures/${p}`, import.meta.url)));
/** A small seeded generator (an LCG): random(n) is in [0, n), the same sequence every run. */
function seeded(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state % n;
  };
}

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
  grayReference?: string;
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

  it('encodes a batch of host and device images with the bytes of one-by-one encodes, failures in place', async () => {
    const files = ['jpeg/large-1024x640-420-q90.jpg', 'jpeg/photo-444.jpg', 'jpeg/photo-422.jpg'];
    const hosts = await Promise.all(files.map((f) => host(f)));
    const devices = (await Promise.all(
      files.map((f) => codec.decode(fixture(f), { location: 'device', format: 'bgra' })),
    )) as CudaImage[];
    const images = [...hosts, ...devices, ...hosts, ...devices];
    for (const subsampling of ['4:2:0', 'gray'] as const) {
      const options = resolveEncodeOptions({ quality: 88, subsampling });
      const batch = await cuda.encodeBatch(images, options);
      const single = await Promise.all(images.map((image) => cuda.encode(image, options)));
      expect(
        batch.map((jpeg, i) => [
          subsampling,
          i,
          Buffer.from(jpeg as Uint8Array).equals(Buffer.from(single[i]!)),
        ]),
      ).toEqual(images.map((_, i) => [subsampling, i, true]));
    }
    // Through core: a released device image fails alone.
    const gone = (await codec.decode(fixture('jpeg/photo-444.jpg'), { location: 'device' })) as CudaImage;
    gone.release();
    const results = await codec.encodeBatch([hosts[0]!, gone, devices[1]!], { quality: 80 });
    expect(inspect(results[0] as Uint8Array).width).toBe(1024);
    expect(results[1]).toBeInstanceOf(JpegError);
    expect(inspect(results[2] as Uint8Array).width).toBe(160);
    for (const d of devices) d.release();
  });

  it("writes cjpeg -dct int's bytes with our encoder: every fixture image, qualities 1–100, from host and device", async () => {
    // fixtures/encode-refs.json: sha256 of libjpeg-turbo 2.1.5's cjpeg output (scripts/make-encode-refs.sh).
    const refs = JSON.parse(
      readFileSync(new URL('../../../fixtures/encode-refs.json', import.meta.url), 'utf8'),
    ) as {
      source: string;
      quality: number;
      sampling: '4:2:0' | '4:2:2' | '4:4:4' | 'gray';
      sha256: string;
    }[];
    const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
    const differing: string[] = [];
    const pixels = new Map<string, HostImage>();
    const imageOf = (source: string) => {
      let img = pixels.get(source);
      if (!img) pixels.set(source, (img = readPnm(fixture(source))));
      return img;
    };
    for (const ref of refs) {
      const options = resolveEncodeOptions({ quality: ref.quality, subsampling: ref.sampling });
      const jpeg = await cuda.encode(imageOf(ref.source), options);
      if (sha(jpeg) !== ref.sha256) differing.push(`${ref.source} q${ref.quality} ${ref.sampling}`);
    }
    // Batched, mixed sizes, from device images in other layouts (bgra, planar): the same bytes.
    const q90 = refs.filter((r) => r.quality === 90 && r.sampling !== 'gray' && r.source.endsWith('.ppm'));
    const batch = q90.slice(0, 48);
    const formats: PixelFormat[] = ['bgra', 'rgb-planar', 'rgba', 'bgr'];
    const devices = await Promise.all(
      batch.map(
        async (r, i) =>
          (await codec
            .pipeline(imageOf(r.source))
            .toImage({ format: formats[i % formats.length]!, location: 'device' })) as CudaImage,
      ),
    );
    for (const sampling of ['4:2:0', '4:2:2', '4:4:4'] as const) {
      const wanted = batch.map((r) =>
        refs.find((x) => x.source === r.source && x.quality === 90 && x.sampling === sampling)!,
      );
      const results = await codec.encodeBatch(devices, { quality: 90, subsampling: sampling });
      results.forEach((jpeg, i) => {
        if (!(jpeg instanceof Uint8Array) || sha(jpeg) !== wanted[i]!.sha256) {
          differing.push(`batched device ${formats[i % formats.length]} ${wanted[i]!.source} ${sampling}`);
        }
      });
    }
    for (const d of devices) d.release();
    console.log(
      `cuda encoder: ${refs.length + 3 * batch.length - differing.length} of ${refs.length + 3 * batch.length} files equal cjpeg's`,
    );
    expect(differing).toEqual([]);
    // nvJPEG's encoder stays one option away, and writes a different, close file.
    cuda.setEncoder('nvjpeg');
    try {
      const img = imageOf('ref/photo-420.ppm');
      const theirs = await cuda.encode(img, resolveEncodeOptions({ quality: 90 }));
      const back = (await codec.decode(theirs, { format: 'rgb' })) as HostImage;
      expect(diffImages(back, img, 255).psnr).toBeGreaterThan(30);
    } finally {
      cuda.setEncoder('kernels');
    }
  }, 120_000);

  it('runs fused pipelines on damaged files as decode-then-pipeline does: the same bytes or a JpegError', async () => {
    // Pipelines our kernels decode whole are left running while ops and encode queue behind them; an image the
    // decoder flags afterwards goes through again, decoded another way. Each result must equal the two-step run
    // (decode to host pixels first, then the same pipeline from those pixels).
    const base = fixture('jpeg/photo-420.jpg');
    const random = seeded(0x2468ace);
    const files = Array.from({ length: 300 }, () => {
      const bytes = base.slice();
      for (let e = 0; e < 1 + random(3); e++) {
        const at = 700 + random(bytes.length - 702); // the entropy-coded data, past the headers
        bytes[at] = random(256);
      }
      return bytes;
    });
    const thumb = (input: Uint8Array | HostImage) =>
      codec
        .pipeline(input)
        .resize({ width: 80, height: 60, filter: 'lanczos3' })
        .sharpen({ sigma: 0.8 })
        .toJpeg({ quality: 85 });
    const mismatched: number[] = [];
    let compared = 0;
    for (let i = 0; i < files.length; i++) {
      const fused = await thumb(files[i]!).catch((error: unknown) => error);
      const pixels = await codec.decode(files[i]!, { format: 'rgb' }).catch((error: unknown) => error);
      if (pixels instanceof Error || fused instanceof Error) {
        if (!(fused instanceof JpegError) && fused instanceof Error) mismatched.push(i);
        continue;
      }
      const twoStep = await thumb(pixels as HostImage);
      compared++;
      if (Buffer.compare(Buffer.from(fused as Uint8Array), Buffer.from(twoStep)) !== 0) mismatched.push(i);
    }
    console.log(`cuda pipelines on 300 damaged files: ${compared} equal to decode-then-pipeline checked`);
    expect(compared).toBeGreaterThan(100);
    expect(mismatched).toEqual([]);
  }, 300_000);

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
    // Warm up until the pools and nvJPEG's own workspaces have reached their size, then check that nothing grows
    // over 100,000 decodes: device memory and pool allocations. Which pooled blocks a call finds free depends on
    // how the backend's concurrent calls happen to interleave (H200 runs grew the pool by 2–4 MiB after 20 and
    // after 60 rounds, then never again), so the warm-up runs three batches at once, then single batches until
    // the pool has not grown for 100 rounds.
    for (let i = 0; i < 20; i++) await Promise.all([run(), run(), run()]);
    let stable = 0;
    for (let i = 0, last = -1; stable < 100 && i < 2000; i++) {
      await run();
      const now = cuda.stats().allocations ?? 0;
      stable = now === last ? stable + 1 : 0;
      last = now;
    }
    expect(stable).toBe(100);
    const start = cuda.stats();
    for (let i = 0; i < 200; i++) await run();
    const half = cuda.stats();
    for (let i = 0; i < 200; i++) await run();
    const end = cuda.stats();
    console.log(
      `cuda 100k decodes: device free ${start.deviceFreeBytes} → ${half.deviceFreeBytes} → ${end.deviceFreeBytes} bytes, ` +
        `pool allocations ${start.allocations} → ${half.allocations} → ${end.allocations}, ` +
        `frees ${start.frees} → ${end.frees}, cached ${start.cachedBytes} → ${end.cachedBytes} bytes, ` +
        `kept by slots ${end.keptBytes} bytes`,
    );
    expect(half.allocations).toBe(start.allocations);
    expect(end.allocations).toBe(half.allocations);
    expect(half.deviceFreeBytes).toBe(start.deviceFreeBytes);
    expect(end.deviceFreeBytes).toBe(half.deviceFreeBytes);
  }, 600_000);
});

describe('cuda backend exact mode on a GPU (bit-exact with djpeg -dct int)', () => {
  const exact = new CudaBackend();
  const facts = JSON.parse(
    readFileSync(new URL('../../../fixtures/facts.json', import.meta.url), 'utf8'),
  ) as Facts[];

  beforeAll(async () => {
    const caps = await exact.init({ exact: true });
    console.log(`cuda exact: ${caps.device}`);
  });
  afterAll(async () => {
    await exact.dispose();
  });

  const decode = async (file: string, options = {}) =>
    (await exact.decode(fixture(file), inspect(fixture(file)), resolveDecodeOptions(options))) as HostImage;

  it('equals fixtures/ref byte for byte on every fixture it accepts', async () => {
    const differing: string[] = [];
    const checked: string[] = [];
    for (const f of facts) {
      if (!f.reference) continue;
      const header = inspect(fixture(f.file));
      if (exact.canDecode(header, resolveDecodeOptions()) !== true) continue;
      expect([f.file, exactCanDecode(header)]).toEqual([f.file, true]);
      for (const reference of [f.reference, f.grayReference]) {
        if (!reference) continue;
        const expected = readPnm(fixture(reference));
        let img: HostImage;
        try {
          img = await decode(f.file, { format: expected.format });
        } catch (error) {
          differing.push(`${f.file} → ${reference}: ${(error as Error).message}`);
          continue;
        }
        checked.push(reference);
        const diff = diffImages(img, expected, 255);
        if (img.backend !== 'cuda' || diff.maxAbs !== 0) {
          differing.push(`${f.file} → ${reference} (${f.subsampling}, ${f.process}): ${describeDiff(diff)}`);
        }
      }
    }
    console.log(`cuda exact: ${checked.length} references checked, ${differing.length} differ`);
    expect(differing).toEqual([]);
    expect(checked.length).toBeGreaterThanOrEqual(44);
  });

  it('writes every format, orientation and device image as an exact rearrangement of the rgb decode', async () => {
    for (const file of ['jpeg/photo-411.jpg', 'jpeg/odd-33x21-420.jpg', 'jpeg/photo-gray.jpg']) {
      const rgb = await decode(file);
      for (const format of ['rgba', 'bgr', 'bgra', 'rgb-planar', 'bgr-planar'] as PixelFormat[]) {
        const img = await decode(file, { format });
        expect([file, format, diffImages(ops.convertImage(img, 'rgb'), rgb).maxAbs]).toEqual([
          file,
          format,
          0,
        ]);
      }
    }
    for (let n = 1; n <= 8; n++) {
      const file = `jpeg/orient-${n}-ii.jpg`;
      const stored = await decode(file);
      const upright = await decode(file, { orient: true });
      expect([n, diffImages(upright, ops.orientImage(stored, stored.orientation)).maxAbs]).toEqual([n, 0]);
    }
    const before = exact.stats().inUseBytes ?? 0;
    const dev = (await exact.decode(
      fixture('jpeg/photo-420-progressive-restart.jpg'),
      inspect(fixture('jpeg/photo-420-progressive-restart.jpg')),
      resolveDecodeOptions({ location: 'device', format: 'rgba' }),
    )) as CudaImage;
    expect(dev).toBeInstanceOf(CudaImage);
    const down = await dev.download();
    expect(
      diffImages(down, await decode('jpeg/photo-420-progressive-restart.jpg', { format: 'rgba' })).maxAbs,
    ).toBe(0);
    dev.release();
    expect(exact.stats().inUseBytes).toBe(before);
  });

  it('runs 64 exact decodes at once with the same pixels, and batches with failures in place', async () => {
    const file = 'jpeg/photo-420.jpg';
    const one = await decode(file);
    const many = await Promise.all(Array.from({ length: 64 }, () => decode(file)));
    for (const img of many) expect(diffImages(img, one).maxAbs).toBe(0);
    const full = fixture('jpeg/photo-422.jpg');
    const items = [
      { bytes: full, header: inspect(full) },
      { bytes: full.subarray(0, 2000), header: inspect(full) }, // cut mid-scan: libjpeg says E_TRUNCATED
      { bytes: fixture('jpeg/photo-440.jpg'), header: inspect(fixture('jpeg/photo-440.jpg')) },
    ];
    const results = await exact.decodeBatch(items, resolveDecodeOptions());
    expect(results[0]).not.toBeInstanceOf(Error);
    expect(results[1]).toMatchObject({ code: 'E_TRUNCATED' });
    expect(results[2]).not.toBeInstanceOf(Error);
  });
});

// Our own GPU Huffman decoder (src/kernels/huffman*.cu) feeding the exact kernels: decoder 'kernels' takes every
// single-scan baseline 8-bit gray/YCbCr JPEG libjpeg reads without a warning, and its pixels must equal
// djpeg -dct int's (fixtures/ref) and @jpegkit/wasm's (libjpeg-turbo) on the large photos of the bundle.
describe('cuda backend, our GPU Huffman decoder (decoder: kernels)', () => {
  const kernels = new CudaBackend();
  const wasm = new WasmBackend();
  const facts = JSON.parse(
    readFileSync(new URL('../../../fixtures/facts.json', import.meta.url), 'utf8'),
  ) as Facts[];

  beforeAll(async () => {
    await kernels.init({ decoder: 'kernels' });
    await wasm.init({});
  });
  afterAll(async () => {
    await kernels.dispose();
    await wasm.dispose();
  });

  const decode = async (bytes: Uint8Array, options = {}) =>
    (await kernels.decode(bytes, inspect(bytes), resolveDecodeOptions(options))) as HostImage;

  it('equals djpeg -dct int byte for byte on every baseline fixture, and takes them all', async () => {
    const differing: string[] = [];
    let checked = 0;
    let baseline = 0;
    for (const f of facts) {
      if (!f.reference) continue;
      const bytes = fixture(f.file);
      const header = inspect(bytes);
      if (kernels.canDecode(header, resolveDecodeOptions()) !== true) continue;
      const before = kernels.decodeRoutes().kernels ?? 0;
      for (const reference of [f.reference, f.grayReference]) {
        if (!reference) continue;
        const expected = readPnm(fixture(reference));
        const img = await decode(bytes, { format: expected.format });
        const taken = (kernels.decodeRoutes().kernels ?? 0) > before;
        if (!taken) continue;
        checked++;
        const diff = diffImages(img, expected, 255);
        if (diff.maxAbs !== 0) differing.push(`${f.file} → ${reference}: ${describeDiff(diff)}`);
      }
      if (header.process === 'baseline' && header.scans[0]?.components.length === header.components.length) {
        baseline++;
        expect([f.file, (kernels.decodeRoutes().kernels ?? 0) > before]).toEqual([f.file, true]);
      }
    }
    console.log(`kernels route: ${checked} references checked on ${baseline} baseline fixtures`);
    expect(differing).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(30);
  });

  it('takes progressive JPEGs on its CPU decoder, in fused pipelines too, and damaged ones only as libjpeg reads them', async () => {
    const files = ['photo-420-progressive', 'photo-422-progressive', 'photo-gray-progressive'].map((n) =>
      fixture(`jpeg/${n}.jpg`),
    );
    const walls = new URL('../../../.gpu-bundle/corpus/2560x1600/', import.meta.url);
    if (existsSync(walls)) {
      for (const n of readdirSync(walls)) {
        const bytes = new Uint8Array(readFileSync(new URL(n, walls)));
        if (inspect(bytes).progressive) files.push(bytes);
      }
    }
    // Damaged copies of a progressive fixture: bytes changed inside its scans' data.
    const base = fixture('jpeg/photo-420-progressive.jpg');
    const random = seeded(0x13579b);
    const damaged = Array.from({ length: 60 }, () => {
      const bytes = base.slice();
      const at = 1000 + random(bytes.length - 1002);
      bytes[at] = random(256);
      return bytes;
    });
    const plan = (input: PipelinePlan['input'], width: number, height: number): PipelinePlan => ({
      input,
      orient: true,
      steps: [
        resolveResizeStep({ width, height, fit: 'fill', filter: 'lanczos3' }),
        { op: 'sharpen', sigma: 0.9, amount: 1, threshold: 0 },
      ],
      output: { kind: 'jpeg', encode: resolveEncodeOptions({ quality: 85 }) },
    });
    const differing: string[] = [];
    let ours = 0;
    for (const [i, bytes] of [...files, ...damaged].entries()) {
      let header: ReturnType<typeof inspect>;
      try {
        header = inspect(bytes);
      } catch {
        continue; // damage in the headers: core refuses the file before any backend sees it
      }
      const before = kernels.decodeRoutes().kernels ?? 0;
      const img = await decode(bytes).catch((error: unknown) => error as Error);
      const taken = (kernels.decodeRoutes().kernels ?? 0) > before;
      if (i < files.length) expect([i, taken]).toEqual([i, true]);
      if (img instanceof Error || !taken) continue;
      ours++;
      // What our decoder takes, libjpeg reads without a warning, to the same pixels.
      const ref = await wasm
        .decode(bytes, header, resolveDecodeOptions())
        .catch((error: unknown) => error as Error);
      if (ref instanceof Error) {
        differing.push(`input ${i}: ours decodes, libjpeg says ${ref.message}`);
        continue;
      }
      if (diffImages(img, ref as HostImage, 255).maxAbs !== 0) differing.push(`input ${i}: pixels differ`);
      const [w, h] = [Math.max(1, header.width >> 1), Math.max(1, header.height >> 1)];
      const fused = (await kernels.run(plan({ kind: 'jpeg', bytes, header }, w, h))) as Uint8Array;
      const twoStep = (await kernels.run(plan({ kind: 'image', image: img }, w, h))) as Uint8Array;
      if (Buffer.compare(Buffer.from(fused), Buffer.from(twoStep)) !== 0)
        differing.push(`input ${i}: pipeline`);
    }
    console.log(
      `kernels route: ${ours} progressive files (${files.length} whole, the rest damaged) equal libjpeg's`,
    );
    expect(differing).toEqual([]);
    expect(ours).toBeGreaterThan(files.length);
  }, 120_000);

  it("equals libjpeg-turbo's pixels on the bundle's large photos (restart markers or none)", async () => {
    const root = new URL('../../../.gpu-bundle/corpus/', import.meta.url);
    const files: string[] = [];
    for (const set of ['1080p', '4k', '5k', '2560x1600']) {
      const dir = new URL(`${set}/`, root);
      if (!existsSync(dir)) continue;
      files.push(
        ...readdirSync(dir)
          .slice(0, 6)
          .map((n) => new URL(n, dir).pathname),
      );
    }
    expect(files.length).toBeGreaterThan(10);
    const differing: string[] = [];
    let taken = 0;
    for (const file of files) {
      const bytes = new Uint8Array(readFileSync(file));
      const before = kernels.decodeRoutes().kernels ?? 0;
      const got = await decode(bytes);
      if ((kernels.decodeRoutes().kernels ?? 0) === before) continue; // refused: nvJPEG's
      taken++;
      const ref = (await wasm.decode(bytes, inspect(bytes), resolveDecodeOptions())) as HostImage;
      const diff = diffImages(got, ref, 255);
      if (diff.maxAbs !== 0) differing.push(`${file}: ${describeDiff(diff)}`);
    }
    console.log(`kernels route: ${taken} large photos equal libjpeg-turbo's`);
    expect(differing).toEqual([]);
    expect(taken).toBeGreaterThan(8);
    // The references come from wasm (up to 5K photos on one core): 42–51 s on the H200 host alone, and one run
    // beside the other test files passed the default 60 s.
  }, 240_000);

  it('decodes a batch of mixed sizes with broken and progressive files in place, and 48 at once', async () => {
    const names = [
      'jpeg/photo-420.jpg',
      'jpeg/photo-422.jpg',
      'jpeg/photo-gray.jpg',
      'jpeg/odd-33x21-420.jpg',
    ];
    const good = names.map((n) => fixture(n));
    const cut = good[1]!.subarray(0, 300); // ends inside the headers: no decoder gets to a scan
    const progressive = fixture('jpeg/photo-420-progressive.jpg');
    const list = [good[0]!, cut, good[1]!, progressive, good[2]!, good[3]!, good[0]!];
    const items = list.map((bytes, i) => ({ bytes, header: inspect(i === 1 ? good[1]! : bytes) }));
    const results = await kernels.decodeBatch(items, resolveDecodeOptions());
    expect(results[1]).toBeInstanceOf(JpegError);
    for (const i of [0, 2, 3, 4, 5, 6]) expect(results[i]).not.toBeInstanceOf(Error);
    const alone = await Promise.all([0, 2, 4, 5].map((i) => decode(list[i]!)));
    [0, 2, 4, 5].forEach((i, k) => expect(diffImages(results[i] as HostImage, alone[k]!).maxAbs).toBe(0));
    const many = await Promise.all(Array.from({ length: 48 }, (_, i) => decode(good[i % 4]!)));
    many.forEach((img, i) => expect(diffImages(img, alone[i % 4]!).maxAbs).toBe(0));
  });

  // Scans without restart markers are unstuffed on the GPU (src/kernels/unstuff.h) when the file ends with EOI;
  // a 0xFF there that is not stuffing sends the file through the decoder again, unstuffed on the host.
  it('decodes files whose scan the GPU cannot unstuff (fill bytes, data after EOI) on the host, alone, batched and in pipelines', async () => {
    const plain = fixture('jpeg/photo-420.jpg');
    const end = plain.length - 2; // its EOI
    const withFill = new Uint8Array([...plain.subarray(0, end), 0xff, 0xff, 0xff, 0xd9]);
    const afterEoi = new Uint8Array([...plain, 0x12, 0x34, 0xff, 0xd9]);
    const expected = await decode(plain);
    for (const bytes of [withFill, afterEoi]) {
      const before = kernels.decodeRoutes().kernels ?? 0;
      expect(diffImages(await decode(bytes), expected).maxAbs).toBe(0);
      expect(kernels.decodeRoutes().kernels).toBe(before + 1);
    }
    const batch = await kernels.decodeBatch(
      [plain, withFill, afterEoi, plain].map((bytes) => ({ bytes, header: inspect(bytes) })),
      resolveDecodeOptions(),
    );
    for (const img of batch) expect(diffImages(img as HostImage, expected).maxAbs).toBe(0);
    const plan = (bytes: Uint8Array): PipelinePlan => ({
      input: { kind: 'jpeg', bytes, header: inspect(bytes) },
      orient: true,
      steps: [resolveResizeStep({ width: 100, height: 60, fit: 'fill', filter: 'lanczos3' })],
      output: { kind: 'jpeg', encode: resolveEncodeOptions({ quality: 90 }) },
    });
    const want = Buffer.from((await kernels.run(plan(plain))) as Uint8Array);
    for (const bytes of [withFill, afterEoi])
      expect(Buffer.from((await kernels.run(plan(bytes))) as Uint8Array).equals(want)).toBe(true);
  });

  it('writes device images, every format and orientation as rearrangements of the rgb decode', async () => {
    const bytes = fixture('jpeg/photo-420.jpg');
    const rgb = await decode(bytes);
    for (const format of ['rgba', 'bgr', 'bgra', 'gray', 'rgb-planar', 'bgr-planar'] as PixelFormat[]) {
      const img = await decode(bytes, { format });
      if (format === 'gray') {
        expect(diffImages(img, readPnm(fixture('ref/photo-420@gray.pgm'))).maxAbs).toBe(0);
        continue;
      }
      expect([format, diffImages(ops.convertImage(img, 'rgb'), rgb).maxAbs]).toEqual([format, 0]);
    }
    for (let n = 1; n <= 8; n++) {
      const file = fixture(`jpeg/orient-${n}-ii.jpg`);
      const stored = await decode(file);
      const upright = await decode(file, { orient: true });
      expect([n, diffImages(upright, ops.orientImage(stored, stored.orientation)).maxAbs]).toEqual([n, 0]);
    }
    const before = kernels.stats().inUseBytes ?? 0;
    const dev = (await kernels.decode(
      bytes,
      inspect(bytes),
      resolveDecodeOptions({ location: 'device', format: 'bgra' }),
    )) as CudaImage;
    expect(diffImages(await dev.download(), await decode(bytes, { format: 'bgra' })).maxAbs).toBe(0);
    dev.release();
    expect(kernels.stats().inUseBytes).toBe(before);
  });
});

// Pixel ops on the device (src/kernels/ops-*.cu through run): every op on a decoded fixture, downloaded, equals
// core's applyOp of the same pixels within ±1 (lib/ops.test.ts proves the same arithmetic on the CPU); and a
// JPEG → resize → sharpen → JPEG pipeline that never leaves the GPU.
describe('cuda pixel ops on a GPU', () => {
  type Step = Parameters<typeof ops.applyOp>[1];
  const gpu = new CudaBackend();
  let base: HostImage;
  let device: CudaImage;

  beforeAll(async () => {
    const caps = await gpu.init();
    expect(caps.ops).toContain('resize');
    const bytes = fixture('jpeg/photo-420.jpg');
    device = (await gpu.decode(
      bytes,
      inspect(bytes),
      resolveDecodeOptions({ location: 'device', format: 'rgb' }),
    )) as CudaImage;
    base = await device.download();
  });
  afterAll(async () => {
    device?.release();
    await gpu.dispose();
  });

  const resize = (width: number, height: number, fit: string, filter: string, linear: boolean): Step =>
    ({ op: 'resize', width, height, fit, filter, linear, background: [250, 40, 90, 128] }) as Step;
  const cases: [string, Step[]][] = [];
  for (const filter of ['nearest', 'bilinear', 'mitchell', 'catmull-rom', 'lanczos3', 'box']) {
    for (const linear of [false, true]) {
      for (const fit of ['fill', 'contain', 'cover', 'inside', 'outside']) {
        cases.push([
          `resize 70x70 ${fit} ${filter}${linear ? ' linear' : ''}`,
          [resize(70, 70, fit, filter, linear)],
        ]);
      }
      cases.push([
        `resize enlarge ${filter}${linear ? ' linear' : ''}`,
        [resize(233, 171, 'fill', filter, linear)],
      ]);
    }
  }
  // (Alpha — premultiplied resize — needs an rgba image with real alpha: the host rgba case below.)
  cases.push(['sharpen', [{ op: 'sharpen', sigma: 1.5, amount: 1.2, threshold: 1 }]]);
  cases.push(['crop', [{ op: 'crop', x: 13, y: 7, width: 101, height: 77 }]]);
  for (const angle of [90, 180, 270] as const) cases.push([`rotate ${angle}`, [{ op: 'rotate', angle }]]);
  cases.push(['flip', [{ op: 'flip' }]], ['flop', [{ op: 'flop' }]]);
  for (const orientation of [1, 2, 3, 4, 5, 6, 7, 8] as const) {
    cases.push([`orient ${orientation}`, [{ op: 'orient', orientation }]]);
  }
  cases.push(['adjust', [{ op: 'adjust', brightness: 0.1, contrast: 1.3 }]]);
  for (const format of ['rgb', 'rgba', 'bgr', 'bgra', 'gray', 'rgb-planar', 'bgr-planar'] as const) {
    cases.push([`convert ${format}`, [{ op: 'convert', format }]]);
  }

  const maxDelta = (a: HostImage, b: HostImage): number => {
    expect([a.width, a.height, a.format]).toEqual([b.width, b.height, b.format]);
    let max = 0;
    for (let i = 0; i < b.data.length; i++) max = Math.max(max, Math.abs(a.data[i]! - b.data[i]!));
    return max;
  };
  const reference = (img: HostImage, steps: Step[]) => steps.reduce((acc, s) => ops.applyOp(acc, s), img);

  it('runs every op on a device image within ±1 of applyOp', async () => {
    const worst = new Map<string, number>();
    for (const [name, steps] of cases) {
      const want = reference(base, steps);
      const got = (await gpu.run({
        input: { kind: 'image', image: device },
        orient: false,
        steps,
        output: { kind: 'image', format: want.format, location: 'host' },
      })) as HostImage;
      const key = name.replace(/ \d+x\d+ \w+| enlarge/, '');
      worst.set(key, Math.max(worst.get(key) ?? 0, maxDelta(got, want)));
    }
    console.log([...worst].map(([k, v]) => `  ${k.padEnd(28)} max |Δ| ${v}`).join('\n'));
    for (const [name, max] of worst) expect(`${name}: ${max}`).toBe(`${name}: ${Math.min(max, 1)}`);
  });

  it('runs resize (premultiplied alpha), sharpen and adjust on an rgba host image within ±1', async () => {
    const rgba = ops.convertImage(base, 'rgba');
    for (let i = 3; i < rgba.data.length; i += 4) rgba.data[i] = ((i >> 2) * 7) % 256;
    for (const steps of [
      [resize(70, 70, 'contain', 'lanczos3', false)],
      [resize(70, 70, 'cover', 'mitchell', true)],
      [resize(233, 171, 'fill', 'bilinear', false)],
      [{ op: 'sharpen', sigma: 1, amount: 2, threshold: 0 } as Step],
      [{ op: 'adjust', brightness: -0.2, contrast: 0.7 } as Step],
    ]) {
      const want = reference(rgba, steps);
      const got = (await gpu.run({
        input: { kind: 'image', image: rgba },
        orient: false,
        steps,
        output: { kind: 'image', format: 'rgba', location: 'host' },
      })) as HostImage;
      expect(maxDelta(got, want)).toBeLessThanOrEqual(1);
    }
  });

  it('keeps results on the device when asked, and frees what it used', async () => {
    const before = gpu.stats().inUseBytes;
    const out = (await gpu.run({
      input: { kind: 'image', image: device },
      orient: false,
      steps: [{ op: 'rotate', angle: 90 }],
      output: { kind: 'image', format: 'rgb', location: 'device' },
    })) as CudaImage;
    expect(out).toBeInstanceOf(CudaImage);
    expect([out.width, out.height]).toEqual([base.height, base.width]);
    expect(maxDelta(await out.download(), ops.rotateImage(base, 90))).toBe(0);
    out.release();
    expect(gpu.stats().inUseBytes).toBe(before);
  });

  it('decodes, resizes 1/2 with lanczos3, sharpens and encodes on the GPU', async () => {
    const bytes = fixture('jpeg/photo-420.jpg');
    const header = inspect(bytes);
    const jpeg = (await gpu.run({
      input: { kind: 'jpeg', bytes, header },
      orient: true,
      steps: [
        resize(Math.round(header.width / 2), Math.round(header.height / 2), 'fill', 'lanczos3', false),
        { op: 'sharpen', sigma: 1, amount: 1, threshold: 0 },
      ],
      output: { kind: 'jpeg', encode: resolveEncodeOptions({ quality: 85 }) },
    })) as Uint8Array;
    expect(jpeg[0]).toBe(0xff);
    expect(jpeg[1]).toBe(0xd8);
    const out = inspect(jpeg);
    expect([out.width, out.height]).toEqual([Math.round(header.width / 2), Math.round(header.height / 2)]);
  });
  it('fuses many pipelines started together into batches with the bytes of the step-by-step path', async () => {
    const files = ['jpeg/photo-420.jpg', 'jpeg/photo-444.jpg', 'jpeg/orient-6-ii.jpg', 'jpeg/photo-gray.jpg'];
    const inputs = files.map((f) => fixture(f));
    const broken = fixture('malformed/truncated-mid-scan.jpg');
    const encode = resolveEncodeOptions({ quality: 88 });
    const stepsFor = (width: number, height: number): Step[] => [
      resize(Math.max(1, width >> 1), Math.max(1, height >> 1), 'cover', 'lanczos3', false),
      { op: 'sharpen', sigma: 0.95, amount: 1, threshold: 0 } as Step,
    ];
    // Step by step: decode to the device, run the ops there, encode — three native calls.
    const expected: Uint8Array[] = [];
    for (const bytes of inputs) {
      const header = inspect(bytes);
      const options = resolveDecodeOptions({ location: 'device', format: 'rgb' });
      const decoded = (await gpu.decode(bytes, header, { ...options, orient: true })) as CudaImage;
      const shaped = (await gpu.run({
        input: { kind: 'image', image: decoded },
        orient: false,
        steps: stepsFor(decoded.width, decoded.height),
        output: { kind: 'image', format: 'rgb', location: 'device' },
      })) as CudaImage;
      expected.push(await gpu.encode(shaped, encode));
      shaped.release();
      decoded.release();
    }
    // Fused: 40 pipelines at once (batches of up to 8 per native call), one broken file among them.
    const jobs = Array.from({ length: 40 }, (_, i) => (i === 17 ? broken : inputs[i % inputs.length]!));
    const before = gpu.stats().inUseBytes;
    const results = await Promise.allSettled(
      jobs.map((bytes) => {
        const header = inspect(bytes);
        const oriented =
          header.orientation >= 5 ? [header.height, header.width] : [header.width, header.height];
        return gpu.run({
          input: { kind: 'jpeg', bytes, header },
          orient: true,
          steps: stepsFor(oriented[0]!, oriented[1]!),
          output: { kind: 'jpeg', encode },
        });
      }),
    );
    results.forEach((r, i) => {
      if (i === 17) {
        expect(r.status).toBe('rejected');
        expect((r as PromiseRejectedResult).reason).toBeInstanceOf(JpegError);
        return;
      }
      expect(r.status).toBe('fulfilled');
      const got = (r as PromiseFulfilledResult<Uint8Array>).value;
      expect(Buffer.from(got).equals(Buffer.from(expected[i % inputs.length]!))).toBe(true);
    });
    expect(gpu.stats().inUseBytes).toBe(before);
  });
});

// Several GPUs: every visible one ('all'), or GPU 0 twice where there is only one — two engines either way, so
// the sharing out, the turns and the ownership of device images are exercised on any GPU host.
describe('cuda backend over several engines (multi-GPU pool)', () => {
  const single = new CudaBackend();
  const multi = new CudaBackend();
  let gpus = 0;

  beforeAll(async () => {
    await single.init();
    gpus = single.device!.count;
    const caps = await multi.init({ devices: gpus > 1 ? 'all' : [0, 0] });
    expect(multi.gpuCount).toBe(Math.max(2, gpus));
    if (gpus > 1) expect(caps.device).toMatch(new RegExp(`^${gpus}× `));
  });
  afterAll(async () => {
    await single.dispose();
    await multi.dispose();
  });

  it('decodes a batch spread over the engines with the pixels of one engine, failures in place', async () => {
    const files = [
      'jpeg/photo-420.jpg',
      'jpeg/photo-420-progressive.jpg',
      'jpeg/photo-444.jpg',
      'jpeg/odd-33x21-420.jpg',
    ];
    const list = Array.from({ length: 40 }, (_, i) => fixture(files[i % files.length]!));
    list[13] = fixture('malformed/truncated-mid-scan.jpg');
    const items = list.map((bytes) => ({ bytes, header: inspect(bytes) }));
    const options = resolveDecodeOptions({ format: 'rgb' });
    const want = await single.decodeBatch(items, options);
    const got = await multi.decodeBatch(items, options);
    got.forEach((r, i) => {
      if (want[i] instanceof JpegError) {
        expect(r).toBeInstanceOf(JpegError);
        return;
      }
      expect(Buffer.from((r as HostImage).data).equals(Buffer.from((want[i] as HostImage).data))).toBe(true);
    });
  });

  it('keeps each device image on its own GPU for encode and ops, and pipelines take turns', async () => {
    const bytes = fixture('jpeg/photo-420.jpg');
    const header = inspect(bytes);
    const images = (await Promise.all(
      Array.from({ length: 6 }, () =>
        multi.decode(bytes, header, resolveDecodeOptions({ location: 'device', format: 'rgb' })),
      ),
    )) as CudaImage[];
    const encode = resolveEncodeOptions({ quality: 80 });
    const reference = await single.encode(await images[0]!.download(), encode);
    for (const image of images) {
      expect(Buffer.from(await multi.encode(image, encode)).equals(Buffer.from(reference))).toBe(true);
      const rotated = (await multi.run({
        input: { kind: 'image', image },
        orient: false,
        steps: [{ op: 'rotate', angle: 90 }],
        output: { kind: 'image', format: 'rgb', location: 'device' },
      })) as CudaImage;
      expect([rotated.width, rotated.height]).toEqual([image.height, image.width]);
      expect(Buffer.from(await multi.encode(rotated, encode)).length).toBeGreaterThan(0);
      rotated.release();
      image.release();
    }
    const jpegs = await Promise.all(
      Array.from({ length: 24 }, () =>
        multi.run({
          input: { kind: 'jpeg', bytes, header },
          orient: true,
          steps: [
            {
              op: 'resize',
              width: 64,
              height: 48,
              fit: 'fill',
              filter: 'lanczos3',
              linear: false,
              background: [0, 0, 0, 255],
            },
          ],
          output: { kind: 'jpeg', encode },
        }),
      ),
    );
    for (const jpeg of jpegs)
      expect(Buffer.from(jpeg as Uint8Array).equals(Buffer.from(jpegs[0] as Uint8Array))).toBe(true);
    expect(multi.stats().inUseBytes).toBe(0);
  });
});
