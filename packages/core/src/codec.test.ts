import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Backend, BackendCaps, PipelinePlan, ResolvedDecodeOptions } from './backend.js';
import { createCodec } from './codec.js';
import { JpegError } from './errors.js';
import type { JpegHeader } from './header.js';
import { createHostImage } from './image.js';
import type { HostImage } from './image.js';
import { registerBackend, registeredBackends, setBackendImporter, unregisterBackend } from './registry.js';
import type { BackendImporter } from './registry.js';
import { jpeg } from './testing/jpeg-builder.js';

const baseline = jpeg({ width: 32, height: 16 });
const progressive = jpeg({ width: 24, height: 8, sofCode: 0xc2, scans: [{ components: [1, 2, 3], se: 0 }] });

const caps = (over: Partial<BackendCaps> = {}): BackendCaps => ({
  device: 'fake',
  formats: ['rgb', 'gray'],
  scales: [1],
  deviceImages: false,
  encode: true,
  ops: ['resize', 'sharpen'],
  ...over,
});

interface FakeOptions {
  initError?: string;
  refuse?: (h: JpegHeader) => string | undefined;
  decodeError?: JpegError;
  caps?: Partial<BackendCaps>;
}

/** A backend that "decodes" to an image filled with its priority, so tests see which one ran. */
function fake(name: string, priority: number, o: FakeOptions = {}) {
  const calls = { init: 0, decode: 0, dispose: 0, encode: 0, run: [] as PipelinePlan[] };
  const backend: Backend = {
    name,
    priority,
    async init() {
      calls.init++;
      if (o.initError) throw new Error(o.initError);
      return caps(o.caps);
    },
    canDecode(header) {
      return o.refuse?.(header) ?? true;
    },
    async decode(_bytes, header, opts: ResolvedDecodeOptions) {
      calls.decode++;
      if (o.decodeError) throw o.decodeError;
      const img = opts.into ?? createHostImage(header.width, header.height, opts.format);
      img.data.fill(priority);
      return { ...img, width: header.width, height: header.height };
    },
    async encode() {
      calls.encode++;
      return new Uint8Array([0xff, 0xd8, priority]);
    },
    async run(plan) {
      calls.run.push(plan);
      return createHostImage(4, 4, 'rgb');
    },
    async dispose() {
      calls.dispose++;
    },
  };
  return { backend, calls };
}

const missing: BackendImporter = async (name) => {
  throw Object.assign(new Error(`Cannot find package '${name}'`), { code: 'ERR_MODULE_NOT_FOUND' });
};
let previousImporter: BackendImporter;

beforeEach(() => {
  for (const name of registeredBackends()) unregisterBackend(name);
  previousImporter = setBackendImporter(missing);
  delete process.env.JPEGKIT_BACKEND;
});
afterEach(() => {
  setBackendImporter(previousImporter);
  delete process.env.JPEGKIT_BACKEND;
});

describe('createCodec: choosing a backend', () => {
  it('picks the highest priority backend that initialises and records why the others were skipped', async () => {
    const cuda = fake('cuda', 30, { initError: 'no NVIDIA driver (libcuda.so.1 not found)' });
    const webgpu = fake('webgpu', 20);
    const wasm = fake('wasm', 10);
    [wasm, cuda, webgpu].forEach((f) => registerBackend(f.backend));
    const codec = await createCodec();
    expect(codec.backend).toBe('webgpu');
    expect(codec.available.map((a) => a.name)).toEqual(['webgpu', 'wasm']);
    expect(codec.skipped).toHaveLength(1);
    expect(codec.skipped[0]!.backend).toBe('cuda');
    expect(codec.skipped[0]!.error.code).toBe('E_BACKEND_INIT');
    expect(codec.skipped[0]!.error.message).toBe('no NVIDIA driver (libcuda.so.1 not found)');
    await codec.dispose();
  });

  it('says when a shipped backend package is not installed', async () => {
    registerBackend(fake('wasm', 10).backend);
    const codec = await createCodec();
    expect(codec.backend).toBe('wasm');
    const reasons = Object.fromEntries(codec.skipped.map((s) => [s.backend, s.error.message]));
    expect(reasons.cuda).toBe(
      'package @jpegkit/native-cuda is not installed (add it with: pnpm add @jpegkit/native-cuda)',
    );
    expect(reasons.webgpu).toBe(
      'package @jpegkit/webgpu is not installed (add it with: pnpm add @jpegkit/webgpu)',
    );
    await codec.dispose();
  });

  it('imports an installed backend package that registers itself', async () => {
    const wasm = fake('wasm', 10);
    setBackendImporter(async (name) => {
      if (name !== '@jpegkit/wasm') return missing(name);
      registerBackend(wasm.backend);
      return {};
    });
    const codec = await createCodec();
    expect(codec.backend).toBe('wasm');
    await codec.dispose();
  });

  it('initialises each backend once, however many codecs ask', async () => {
    const wasm = fake('wasm', 10);
    registerBackend(wasm.backend);
    const [a, b] = await Promise.all([createCodec(), createCodec()]);
    const c = await createCodec();
    expect(wasm.calls.init).toBe(1);
    await Promise.all([a.dispose(), b.dispose()]);
    expect(wasm.calls.dispose).toBe(0); // c still uses it
    await c.dispose();
    expect(wasm.calls.dispose).toBe(1);
  });

  it('honours the backends option and JPEGKIT_BACKEND', async () => {
    [fake('webgpu', 20), fake('wasm', 10)].forEach((f) => registerBackend(f.backend));
    const forced = await createCodec({ backends: ['wasm'] });
    expect(forced.backend).toBe('wasm');
    expect(forced.skipped).toEqual([]);
    process.env.JPEGKIT_BACKEND = 'wasm';
    const fromEnv = await createCodec();
    expect(fromEnv.backend).toBe('wasm');
    expect(fromEnv.available.map((a) => a.name)).toEqual(['wasm']);
    await Promise.all([forced.dispose(), fromEnv.dispose()]);
  });

  it('strict makes a missing backend an error that names it', async () => {
    registerBackend(fake('wasm', 10).backend);
    await expect(createCodec({ backends: ['cuda', 'wasm'], strict: true })).rejects.toMatchObject({
      code: 'E_NO_BACKEND',
      message: expect.stringContaining('cuda: package @jpegkit/native-cuda is not installed'),
    });
    const lenient = await createCodec({ backends: ['cuda', 'wasm'] });
    expect(lenient.backend).toBe('wasm');
    await lenient.dispose();
  });

  it('lists every backend with its own reason when none is available', async () => {
    registerBackend(fake('webgpu', 20, { initError: 'no adapter (navigator.gpu is undefined)' }).backend);
    const error = await createCodec().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JpegError);
    expect((error as JpegError).code).toBe('E_NO_BACKEND');
    expect((error as JpegError).message).toBe(
      'no backend is available: cuda: package @jpegkit/native-cuda is not installed (add it with: pnpm add @jpegkit/native-cuda); ' +
        'webgpu: no adapter (navigator.gpu is undefined); ' +
        'wasm: package @jpegkit/wasm is not installed (add it with: pnpm add @jpegkit/wasm)',
    );
  });

  it('checks its options synchronously', () => {
    expect(() => createCodec({ maxPixels: 0 })).toThrow(
      'Expected integer between 1 and 9007199254740991 for maxPixels but received 0',
    );
    expect(() => createCodec({ backends: [] })).toThrow(
      'Expected a non-empty array of backend names for backends but received an array',
    );
  });
});

describe('Codec: per-image routing', () => {
  it('sends an image a backend refuses to the next one and says who decoded it', async () => {
    const webgpu = fake('webgpu', 20, {
      refuse: (h) => (h.progressive ? 'progressive JPEG: entropy path is baseline only' : undefined),
    });
    const wasm = fake('wasm', 10);
    [webgpu, wasm].forEach((f) => registerBackend(f.backend));
    const codec = await createCodec();
    const a = (await codec.decode(baseline)) as HostImage;
    const b = (await codec.decode(progressive)) as HostImage;
    expect([a.backend, a.width, a.height, a.data[0]]).toEqual(['webgpu', 32, 16, 20]);
    expect([b.backend, b.width, b.height, b.data[0]]).toEqual(['wasm', 24, 8, 10]);
    await codec.dispose();
  });

  it('rejects with every refusal when no backend takes the image', async () => {
    registerBackend(fake('wasm', 10, { refuse: () => 'arithmetic coding is not built in' }).backend);
    const codec = await createCodec();
    await expect(codec.decode(baseline)).rejects.toMatchObject({
      code: 'E_UNSUPPORTED',
      message: 'no backend can handle this image: wasm: arithmetic coding is not built in',
    });
    await codec.dispose();
  });

  it('retries on the next backend when the device is lost, losing no image', async () => {
    const webgpu = fake('webgpu', 20, { decodeError: new JpegError('E_DEVICE_LOST', 'GPU device was lost') });
    const wasm = fake('wasm', 10);
    [webgpu, wasm].forEach((f) => registerBackend(f.backend));
    const codec = await createCodec();
    const img = (await codec.decode(baseline)) as HostImage;
    expect(img.backend).toBe('wasm');
    expect(webgpu.calls.decode).toBe(1);
    await codec.dispose();
  });

  it('moves on when a backend finds an image unsupported only while decoding it', async () => {
    const webgpu = fake('webgpu', 20, {
      decodeError: new JpegError('E_UNSUPPORTED', 'nvJPEG refused the stream'),
    });
    const wasm = fake('wasm', 10);
    [webgpu, wasm].forEach((f) => registerBackend(f.backend));
    const codec = await createCodec();
    expect(((await codec.decode(baseline)) as HostImage).backend).toBe('wasm');
    await codec.dispose();
    for (const n of registeredBackends()) unregisterBackend(n);
    registerBackend(fake('wasm', 10, { decodeError: new JpegError('E_UNSUPPORTED', 'no') }).backend);
    const alone = await createCodec();
    await expect(alone.decode(baseline)).rejects.toMatchObject({ code: 'E_UNSUPPORTED', backend: 'wasm' });
    await alone.dispose();
  });

  it('names the backend on errors it raised', async () => {
    registerBackend(
      fake('wasm', 10, { decodeError: new JpegError('E_CORRUPT', 'bad Huffman code') }).backend,
    );
    const codec = await createCodec();
    await expect(codec.decode(baseline)).rejects.toMatchObject({ code: 'E_CORRUPT', backend: 'wasm' });
    await codec.dispose();
  });

  it('applies the pixel limit from the header before any backend decodes', async () => {
    const wasm = fake('wasm', 10);
    registerBackend(wasm.backend);
    const codec = await createCodec({ maxPixels: 32 * 16 - 1 });
    await expect(codec.decode(baseline)).rejects.toMatchObject({
      code: 'E_TOO_LARGE',
      message: 'image is 32×16 = 512 pixels, over the limit of 511 (maxPixels)',
    });
    expect(wasm.calls.decode).toBe(0);
    const huge = jpeg({ width: 65500, height: 65500 });
    const big = await createCodec();
    await expect(big.decode(huge)).rejects.toMatchObject({ code: 'E_TOO_LARGE' });
    expect(wasm.calls.decode).toBe(0);
    await Promise.all([codec.dispose(), big.dispose()]);
  });

  it('rejects input that is not a JPEG with E_CORRUPT', async () => {
    registerBackend(fake('wasm', 10).backend);
    const codec = await createCodec();
    await expect(codec.decode(new Uint8Array([0x89, 0x50, 0x4e, 0x47]))).rejects.toMatchObject({
      code: 'E_CORRUPT',
    });
    await expect(codec.decode(new Uint8Array(0))).rejects.toMatchObject({ code: 'E_CORRUPT' });
    await codec.dispose();
  });

  it('throws argument errors synchronously in the house style', async () => {
    registerBackend(fake('wasm', 10).backend);
    const codec = await createCodec();
    const img = createHostImage(2, 2, 'rgb');
    expect(() => codec.encode(img, { quality: 88.2 })).toThrow(
      'Expected integer between 1 and 100 for quality but received 88.2',
    );
    expect(() => codec.decode(baseline, { format: 'cmyk' as never })).toThrow(
      'Expected one of "rgb", "rgba", "bgr", "bgra", "gray", "rgb-planar", "bgr-planar" for format but received "cmyk"',
    );
    expect(() => codec.decode('x' as never)).toThrow(
      'Expected Uint8Array (or Buffer) for bytes but received "x"',
    );
    expect(() => codec.pipeline(baseline).resize({})).toThrow(
      'Expected width, height or both for resize but received an object',
    );
    expect(() => codec.pipeline(baseline).sharpen({ sigma: 0 })).toThrow(
      'Expected number between 0.3 and 10 for sigma but received 0',
    );
    await codec.dispose();
    expect(() => codec.decode(baseline)).toThrow('this codec has been disposed');
  });

  it('decodes into a caller image when it is large enough, and refuses one that is too small', async () => {
    registerBackend(fake('wasm', 10).backend);
    const codec = await createCodec();
    const into = createHostImage(32, 16, 'rgb', { stride: 100 });
    const img = (await codec.decode(baseline, { into })) as HostImage;
    expect(img.data).toBe(into.data);
    const small = createHostImage(32, 15, 'rgb');
    await expect(codec.decode(baseline, { into: small })).rejects.toMatchObject({
      code: 'E_INVALID_ARGUMENT',
    });
    await codec.dispose();
  });
});

describe('Codec: batches, encode and pipelines', () => {
  it('returns failures in place in a batch', async () => {
    const webgpu = fake('webgpu', 20, { refuse: (h) => (h.progressive ? 'progressive' : undefined) });
    const wasm = fake('wasm', 10);
    [webgpu, wasm].forEach((f) => registerBackend(f.backend));
    const codec = await createCodec();
    const results = await codec.decodeBatch([
      baseline,
      new Uint8Array([1, 2, 3]),
      progressive,
      baseline.subarray(0, 20),
    ]);
    expect(results).toHaveLength(4);
    expect((results[0] as HostImage).backend).toBe('webgpu');
    expect(results[1]).toMatchObject({ code: 'E_CORRUPT' });
    expect((results[2] as HostImage).backend).toBe('wasm');
    expect(results[3]).toMatchObject({ code: 'E_TRUNCATED' });
    await codec.dispose();
  });

  it('encodes on the best backend that can', async () => {
    const webgpu = fake('webgpu', 20, { caps: { encode: false } });
    const wasm = fake('wasm', 10);
    [webgpu, wasm].forEach((f) => registerBackend(f.backend));
    const codec = await createCodec();
    const jpeg = await codec.encode(createHostImage(8, 8, 'rgb'), { quality: 75 });
    expect([...jpeg]).toEqual([0xff, 0xd8, 10]);
    expect(wasm.calls.encode).toBe(1);
    await codec.dispose();
  });

  it('encodes a batch in one backend call, failures in place, refusals on the next backend', async () => {
    const webgpu = fake('webgpu', 20);
    const wasm = fake('wasm', 10);
    const batches: number[] = [];
    webgpu.backend.encodeBatch = async (images) => {
      batches.push(images.length);
      return images.map((image) =>
        image.width === 3
          ? new JpegError('E_UNSUPPORTED', 'not 3 pixels wide', { backend: 'webgpu' })
          : image.width === 5
            ? new JpegError('E_OUT_OF_MEMORY', 'out of memory', { backend: 'webgpu' })
            : new Uint8Array([0xff, 0xd8, 20, image.width]),
      );
    };
    [webgpu, wasm].forEach((f) => registerBackend(f.backend));
    const codec = await createCodec();
    const images = [8, 3, 5, 4].map((w) => createHostImage(w, 2, 'rgb'));
    const results = await codec.encodeBatch(images, { quality: 80 });
    expect(batches).toEqual([4]);
    expect([...(results[0] as Uint8Array)]).toEqual([0xff, 0xd8, 20, 8]);
    expect([...(results[1] as Uint8Array)]).toEqual([0xff, 0xd8, 10]);
    expect(results[2]).toMatchObject({ code: 'E_OUT_OF_MEMORY', backend: 'webgpu' });
    expect([...(results[3] as Uint8Array)]).toEqual([0xff, 0xd8, 20, 4]);
    expect(wasm.calls.encode).toBe(1);
    expect(() => codec.encodeBatch([createHostImage(2, 2, 'rgb')], { quality: 0 })).toThrow(JpegError);
    await codec.dispose();
  });

  it('encodes a batch image by image on a backend without encodeBatch', async () => {
    const wasm = fake('wasm', 10);
    registerBackend(wasm.backend);
    const codec = await createCodec();
    const results = await codec.encodeBatch([createHostImage(2, 2, 'rgb'), createHostImage(3, 3, 'gray')]);
    expect(results.map((r) => [...(r as Uint8Array)])).toEqual([
      [0xff, 0xd8, 10],
      [0xff, 0xd8, 10],
    ]);
    expect(wasm.calls.encode).toBe(2);
    await codec.dispose();
  });

  it('hands a pipeline to one backend as a plan with every option resolved', async () => {
    const webgpu = fake('webgpu', 20, { caps: { ops: ['resize'] } });
    const wasm = fake('wasm', 10);
    [webgpu, wasm].forEach((f) => registerBackend(f.backend));
    const codec = await createCodec();
    const out = await codec.pipeline(baseline).resize({ width: 8 }).sharpen({ sigma: 0.95 }).toImage();
    expect((out as HostImage).backend).toBe('wasm'); // webgpu lacks sharpen
    const plan = wasm.calls.run[0]!;
    expect(plan.orient).toBe(true);
    expect(plan.input.kind).toBe('jpeg');
    expect(plan.steps).toEqual([
      {
        op: 'resize',
        width: 8,
        height: 0,
        fit: 'cover',
        filter: 'lanczos3',
        linear: false,
        background: [0, 0, 0, 255],
      },
      { op: 'sharpen', sigma: 0.95, amount: 1, threshold: 0 },
    ]);
    expect(plan.output).toEqual({ kind: 'image', format: 'rgb', location: 'host' });
    expect(plan.shrinkOnLoad).toBe(false); // same pixels on every backend unless asked
    await codec.pipeline(baseline).shrinkOnLoad().resize({ width: 8 }).toImage();
    expect(webgpu.calls.run[0]!.shrinkOnLoad).toBe(true); // resize alone: webgpu can
    expect(() => codec.pipeline(baseline).shrinkOnLoad('yes' as unknown as boolean)).toThrow(
      'Expected boolean for shrinkOnLoad but received "yes"',
    );
    await codec.dispose();
  });
});

describe('Codec.transform', () => {
  it('goes to a backend with lossless transforms, with options resolved, and checks arguments at once', async () => {
    const seen: unknown[] = [];
    const webgpu = fake('webgpu', 20);
    const wasm = fake('wasm', 10, { caps: { transform: true } });
    wasm.backend.transform = async (_bytes, _header, options) => {
      seen.push(options);
      return new Uint8Array([1, 2, 3]);
    };
    [webgpu, wasm].forEach((f) => registerBackend(f.backend));
    const codec = await createCodec();
    expect([...(await codec.transform(baseline, { rotate: 90, restartInterval: 2 }))]).toEqual([1, 2, 3]);
    expect(seen[0]).toEqual({
      rotate: 90,
      transpose: false,
      transverse: false,
      gray: false,
      optimize: false,
      trim: true,
      metadata: 'all',
      restartInterval: 2,
    });
    expect(() => codec.transform(baseline, { rotate: 90, flip: 'vertical' })).toThrow(
      'Expected at most one of rotate, flip, transpose, transverse for options but received an object',
    );
    expect(() => codec.transform(baseline, { rotate: 45 as never })).toThrow(
      'Expected one of 90, 180, 270 for rotate but received 45',
    );
    await codec.dispose();
  });

  it('says so when no backend in use transforms', async () => {
    registerBackend(fake('wasm', 10).backend);
    const codec = await createCodec();
    await expect(codec.transform(baseline, { gray: true })).rejects.toMatchObject({
      code: 'E_UNSUPPORTED',
      message: 'no backend can handle this image: wasm: has no lossless transforms',
    });
    await codec.dispose();
  });
});

describe('registerBackend', () => {
  it('refuses something that is not a backend', () => {
    expect(() => registerBackend({ name: 'x' } as never)).toThrow(JpegError);
  });

  it('keeps a failed init cached and says so on every codec', async () => {
    const cuda = fake('cuda', 30, { initError: 'compute capability 5.0 < 6.0' });
    registerBackend(cuda.backend);
    registerBackend(fake('wasm', 10).backend);
    const a = await createCodec();
    const b = await createCodec();
    expect(cuda.calls.init).toBe(1);
    expect(b.skipped.find((s) => s.backend === 'cuda')?.error.message).toBe('compute capability 5.0 < 6.0');
    await Promise.all([a.dispose(), b.dispose()]);
  });
});

vi.setConfig({ testTimeout: 10_000 });
