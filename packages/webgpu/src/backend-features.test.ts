import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCodec,
  inspect,
  isJpegError,
  ops,
  readPnm,
  registerBackend,
  resolveEncodeOptions,
  resolveResizeStep,
} from '@jpegkit/core';
import type { Codec, HostImage, JpegError, OpStep, Pipeline, PipelinePlan } from '@jpegkit/core';
import { diffImages } from '@jpegkit/core/testing';
import { WasmBackend } from '@jpegkit/wasm';
import { WebGPUBackend } from './backend.js';
import { getGpu, requestDevice } from './gpu.js';
import { WebGPUImage } from './webgpu-image.js';
import { decodeOptions, readFixture, useSwiftShader } from './test-support.js';

// Device images, batches, buffer and pipeline reuse, and device loss — on Dawn + SwiftShader.
useSwiftShader();

const read = readFixture;
const photo = read('jpeg/photo-420.jpg');
const photoRef = readPnm(read('ref/photo-420.ppm'));
const oriented = read('jpeg/orient-6-ii.jpg');

const backend = new WebGPUBackend();
const wasm = new WasmBackend();
let codec: Codec;

beforeAll(async () => {
  registerBackend(backend);
  registerBackend(wasm);
  codec = await createCodec({ backends: ['webgpu', 'wasm'], strict: true, init: { threads: 1 } });
}, 60_000);
afterAll(async () => {
  await codec?.dispose();
});

describe('webgpu device images', () => {
  it('keeps a decode on the GPU as a WebGPUImage and downloads it byte-exact, into a strided image too', async () => {
    const img = await codec.decode(photo, { location: 'device' });
    expect(img).toBeInstanceOf(WebGPUImage);
    const dev = img as WebGPUImage;
    expect([dev.width, dev.height, dev.format, dev.location, dev.backend]).toEqual([
      160,
      120,
      'rgb',
      'webgpu',
      'webgpu',
    ]);
    expect(dev.pixels.gray).toBe(false);
    const host = await dev.download();
    expect(diffImages(host, photoRef).maxAbs).toBe(0);
    const stride = 160 * 3 + 7;
    const data = new Uint8Array(stride * 120).fill(0x5a);
    const into: HostImage = { width: 160, height: 120, format: 'rgb', stride, data, orientation: 1 };
    const back = await dev.download(into);
    expect(back.data).toBe(data);
    expect(diffImages(back, photoRef).maxAbs).toBe(0);
    expect(data[160 * 3]).toBe(0x5a);
    dev.release();
    dev.release();
    expect(dev.released).toBe(true);
    await expect(dev.download()).rejects.toMatchObject({ code: 'E_INVALID_ARGUMENT' });
  });

  it('applies crop, scale and orientation on the GPU the way the host decode does', async () => {
    const opts = {
      format: 'bgra' as const,
      scale: 0.5 as const,
      crop: { x: 3, y: 5, width: 40, height: 21 },
      orient: true,
    };
    const dev = (await codec.decode(oriented, { ...opts, location: 'device' })) as WebGPUImage;
    const host = (await codec.decode(oriented, opts)) as HostImage;
    const cpu = await wasm.decode(oriented, inspect(oriented), decodeOptions(opts));
    expect([dev.width, dev.height, dev.orientation]).toEqual([21, 40, 1]);
    const downloaded = await dev.download();
    dev.release();
    expect(diffImages(downloaded, cpu).maxAbs).toBe(0);
    expect(diffImages(host, cpu).maxAbs).toBe(0);
    expect(host.backend).toBe('webgpu');
  });

  it('encodes a WebGPUImage where it lies, and a host image, to the bytes @jpegkit/wasm writes', async () => {
    const dev = (await codec.decode(photo, { location: 'device' })) as WebGPUImage;
    try {
      const host = await dev.download();
      for (const opts of [
        { quality: 90, subsampling: '4:2:0' as const },
        { quality: 75, subsampling: '4:4:4' as const, progressive: true },
        { quality: 85, subsampling: '4:2:2' as const, restartInterval: 3, optimize: true },
      ]) {
        const fromDevice = await codec.encode(dev, opts);
        const fromHost = await backend.encode(host, resolveEncodeOptions(opts));
        const cjpeg = await wasm.encode(host, resolveEncodeOptions(opts));
        expect(fromDevice).toEqual(cjpeg);
        expect(fromHost).toEqual(cjpeg);
      }
      expect(dev.released).toBe(false);
      await expect(codec.encode(dev, { arithmetic: true })).rejects.toMatchObject({ code: 'E_UNSUPPORTED' });
    } finally {
      dev.release();
    }
  });

  it('runs an edit-and-export from JPEG bytes to JPEG bytes on webgpu, equal to its own steps and encode', async () => {
    const steps = (p: Pipeline) =>
      p.resize({ width: 50, height: 50, fit: 'cover' }).sharpen({ sigma: 0.95 }).adjust({ contrast: 1.2 });
    const chain = steps(codec.pipeline(oriented));
    const pixels = (await chain.toImage()) as HostImage;
    expect(pixels.backend).toBe('webgpu');
    const upright = (await wasm.decode(
      oriented,
      inspect(oriented),
      decodeOptions({ orient: true }),
    )) as HostImage;
    const reference = chain.steps.reduce(ops.applyOp, upright);
    expect(diffImages(pixels, reference).maxAbs).toBeLessThanOrEqual(1);
    const jpeg = await steps(codec.pipeline(oriented)).toJpeg({ quality: 88 });
    expect(jpeg).toEqual(await wasm.encode(pixels, resolveEncodeOptions({ quality: 88 })));
  });

  it('runs a pipeline on a WebGPUImage and keeps the result on the device', async () => {
    const dev = (await codec.decode(photo, { location: 'device' })) as WebGPUImage;
    try {
      const rotated = await codec
        .pipeline(dev)
        .rotate(90)
        .crop({ x: 2, y: 3, width: 50, height: 70 })
        .toImage({
          format: 'gray',
          location: 'device',
        });
      expect(rotated).toBeInstanceOf(WebGPUImage);
      const out = rotated as WebGPUImage;
      expect([out.width, out.height, out.format, out.pixels.gray, dev.released]).toEqual([
        50,
        70,
        'gray',
        true,
        false,
      ]);
      const expected = [
        { op: 'rotate', angle: 90 },
        { op: 'crop', x: 2, y: 3, width: 50, height: 70 },
        { op: 'convert', format: 'gray' },
      ].reduce((img, step) => ops.applyOp(img, step as OpStep), photoRef);
      expect(diffImages(await out.download(), expected).maxAbs).toBe(0);
      out.release();
      // No steps: the result is still a buffer of its own.
      const copy = (await codec.pipeline(dev).toImage({ location: 'device' })) as WebGPUImage;
      expect(copy.pixels.buffer).not.toBe(dev.pixels.buffer);
      copy.release();
      expect(diffImages(await dev.download(), photoRef).maxAbs).toBe(0);
    } finally {
      dev.release();
    }
  });

  it('sends a pipeline whose buffers exceed the device’s binding limit to the next backend', async () => {
    // A device with WebGPU's default limits binds at most 128 MiB: an 8200×4100 result (134.5 MB) does not fit.
    const adapter = await (await getGpu()).requestAdapter();
    const device = await adapter!.requestDevice();
    const own = new WebGPUBackend();
    try {
      await own.init({ gpuDevice: device, threads: 0 });
      const plan: PipelinePlan = {
        input: { kind: 'jpeg', bytes: photo, header: inspect(photo) },
        orient: true,
        steps: [resolveResizeStep({ width: 8200, height: 4100, fit: 'fill', filter: 'nearest' })],
        output: { kind: 'image', format: 'rgb', location: 'host' },
      };
      await expect(own.run(plan)).rejects.toMatchObject({ code: 'E_UNSUPPORTED', backend: 'webgpu' });
      // The same backend keeps working afterwards.
      const small = (await own.run({ ...plan, steps: [{ op: 'flip' }] })) as HostImage;
      expect(diffImages(small, ops.applyOp(photoRef, { op: 'flip' })).maxAbs).toBe(0);
    } finally {
      await own.dispose();
      device.destroy();
    }
  });

  it('shrinks on load when asked, with the pixels of wasm at the same DCT scale', async () => {
    const bytes = read('jpeg/large-1024x640-420-q90.jpg');
    const header = inspect(bytes);
    // 1024×640 → 128 wide: both decoders pick 1/8 (wasm could also do 3/8 … but 1/8 is the smallest that covers).
    const step = resolveResizeStep({ width: 128 });
    const plan: PipelinePlan = {
      input: { kind: 'jpeg', bytes, header },
      orient: true,
      shrinkOnLoad: true,
      steps: [step],
      output: { kind: 'image', format: 'rgb', location: 'host' },
    };
    const mine = (await codec.pipeline(bytes).shrinkOnLoad().resize({ width: 128 }).toImage()) as HostImage;
    expect(mine.backend).toBe('webgpu');
    const theirs = (await wasm.run(plan)) as HostImage;
    expect(diffImages(mine, theirs).maxAbs).toBeLessThanOrEqual(1);
    // Without it, the full-size decode: within ±1 of core's reference, and not the shrunk pixels.
    const full = (await codec.pipeline(bytes).resize({ width: 128 }).toImage()) as HostImage;
    const reference = ops.applyOp((await wasm.decode(bytes, header, decodeOptions())) as HostImage, step);
    expect(diffImages(full, reference).maxAbs).toBeLessThanOrEqual(1);
    expect(diffImages(full, mine).maxAbs).toBeGreaterThan(1);
  });

  it('exports a pipeline from a gray JPEG with three components, as wasm and cuda do', async () => {
    const gray = read('jpeg/photo-gray.jpg');
    const jpeg = await codec.pipeline(gray).resize({ width: 64 }).toJpeg({ quality: 90 });
    const header = inspect(jpeg);
    expect([header.components.length, header.width]).toEqual([3, 64]);
    const asGray = await codec
      .pipeline(gray)
      .resize({ width: 64 })
      .toJpeg({ quality: 90, subsampling: 'gray' });
    expect(inspect(asGray).components.length).toBe(1);
  });

  it('decodes a batch with failures in place', async () => {
    const broken = read('malformed/truncated-mid-scan.jpg');
    const gray = read('jpeg/photo-gray.jpg');
    const results = await codec.decodeBatch([photo, broken, gray], { format: 'rgb' });
    expect(results.map((r) => (isJpegError(r) ? r.code : (r as HostImage).backend))).toEqual([
      'webgpu',
      'E_TRUNCATED',
      'webgpu',
    ]);
    expect(diffImages(results[0] as HostImage, photoRef).maxAbs).toBe(0);
    expect((results[1] as JpegError).backend).toBe('webgpu');
  });
});

describe('webgpu steady state', () => {
  it('creates no pipelines, buffers or bind groups once warm', async () => {
    const { device } = await requestDevice();
    const created = { pipelines: 0, buffers: 0, bindGroups: 0, shaders: 0 };
    const count = <T extends (...args: never[]) => unknown>(fn: T, key: keyof typeof created): T =>
      ((...args: Parameters<T>) => {
        created[key]++;
        return fn(...args);
      }) as T;
    device.createBuffer = count(device.createBuffer.bind(device), 'buffers');
    device.createBindGroup = count(device.createBindGroup.bind(device), 'bindGroups');
    device.createComputePipeline = count(device.createComputePipeline.bind(device), 'pipelines');
    device.createComputePipelineAsync = count(device.createComputePipelineAsync.bind(device), 'pipelines');
    device.createShaderModule = count(device.createShaderModule.bind(device), 'shaders');
    const own = new WebGPUBackend();
    try {
      await own.init({ gpuDevice: device, threads: 0 });
      const header = inspect(photo);
      await own.decode(photo, header, decodeOptions());
      await own.decode(photo, header, decodeOptions({ format: 'rgba' }));
      const warm = { ...created };
      expect(warm.pipelines).toBe(6); // IDCT, colour, pack, Huffman by restart interval, chunk sync + decode
      for (let i = 0; i < 4; i++) {
        const img = (await own.decode(
          photo,
          header,
          decodeOptions({ format: i % 2 ? 'rgba' : 'rgb' }),
        )) as HostImage;
        expect(img.width).toBe(160);
      }
      expect(created).toEqual(warm);
      // An edit-and-export (decode, resize, sharpen, encode): no new pipelines, buffers or bind groups once warm.
      const plan: PipelinePlan = {
        input: { kind: 'jpeg', bytes: photo, header },
        orient: true,
        steps: [
          resolveResizeStep({ width: 64, height: 48 }),
          { op: 'sharpen', sigma: 0.95, amount: 1, threshold: 0 },
        ],
        output: { kind: 'jpeg', encode: resolveEncodeOptions({ quality: 85 }) },
      };
      const first = await own.run(plan);
      // The pool hands buffers back in a different order than they were taken, so the first few runs see new
      // combinations of the same buffers (new bind groups); the combinations recur from then on.
      for (let i = 0; i < 6; i++) await own.run(plan);
      const warmRun = { ...created };
      for (let i = 0; i < 3; i++) expect(await own.run(plan)).toEqual(first);
      expect(created).toEqual(warmRun);
    } finally {
      await own.dispose();
      device.destroy();
    }
  });
});

describe('webgpu device loss', () => {
  it('turns a lost device into E_DEVICE_LOST, and core retries the image on wasm', async () => {
    const { device } = await requestDevice();
    const own = new WebGPUBackend();
    registerBackend(own);
    const fallback = await createCodec({
      backends: ['webgpu', 'wasm'],
      init: { gpuDevice: device, threads: 0 },
    });
    try {
      const before = (await fallback.decode(photo)) as HostImage;
      expect(before.backend).toBe('webgpu');
      expect(diffImages(before, photoRef).maxAbs).toBe(0);
      device.destroy();
      await device.lost;
      await expect(own.decode(photo, inspect(photo), decodeOptions())).rejects.toMatchObject({
        code: 'E_DEVICE_LOST',
        backend: 'webgpu',
      });
      const after = (await fallback.decode(photo)) as HostImage;
      expect(after.backend).toBe('wasm');
      expect(diffImages(after, photoRef).maxAbs).toBe(0);
    } finally {
      await fallback.dispose();
      registerBackend(backend);
    }
  });

  it('opens a fresh device after losing one it made itself', async () => {
    const own = new WebGPUBackend();
    await own.init({ threads: 0 });
    try {
      const first = own.context!.device;
      first.destroy();
      await first.lost;
      const img = (await own.decode(photo, inspect(photo), decodeOptions())) as HostImage;
      expect(own.context!.device).not.toBe(first);
      expect(diffImages(img, photoRef).maxAbs).toBe(0);
    } finally {
      await own.dispose();
    }
  });
});
