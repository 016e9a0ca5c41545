import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCodec, inspect, isJpegError, readPnm, registerBackend } from '@jpegkit/core';
import type { Codec, HostImage, JpegError, ResolvedDecodeOptions } from '@jpegkit/core';
import { diffImages } from '@jpegkit/core/testing';
import { WasmBackend } from '@jpegkit/wasm';
import { WebGPUBackend } from './backend.js';
import { requestDevice } from './gpu.js';
import { WebGPUImage } from './webgpu-image.js';

// Device images, batches, buffer and pipeline reuse, and device loss — on Dawn + SwiftShader.
const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER)) process.env.VK_ICD_FILENAMES = SWIFTSHADER;

const fixtures = new URL('../../../fixtures/', import.meta.url);
const read = (path: string) => new Uint8Array(readFileSync(new URL(path, fixtures)));
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

function options(overrides: Partial<ResolvedDecodeOptions> = {}): ResolvedDecodeOptions {
  return { format: 'rgb', scale: 1, orient: false, location: 'host', partial: false, ...overrides };
}

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
    const cpu = await wasm.decode(oriented, inspect(oriented), options(opts));
    expect([dev.width, dev.height, dev.orientation]).toEqual([21, 40, 1]);
    const downloaded = await dev.download();
    dev.release();
    expect(diffImages(downloaded, cpu).maxAbs).toBe(0);
    expect(diffImages(host, cpu).maxAbs).toBe(0);
    expect(host.backend).toBe('webgpu');
  });

  it('leaves encoding a WebGPUImage to the caller until GPU encode is wired: core names why', async () => {
    const dev = (await codec.decode(photo, { location: 'device' })) as WebGPUImage;
    try {
      await expect(codec.encode(dev)).rejects.toMatchObject({ code: 'E_UNSUPPORTED' });
      const jpeg = await codec.encode(await dev.download(), { quality: 95 });
      const back = (await codec.decode(jpeg)) as HostImage;
      expect(back.backend).toBe('webgpu');
      expect(diffImages(back, photoRef).psnr).toBeGreaterThan(35);
    } finally {
      dev.release();
    }
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
      await own.decode(photo, header, options());
      await own.decode(photo, header, options({ format: 'rgba' }));
      const warm = { ...created };
      expect(warm.pipelines).toBe(6); // IDCT, colour, pack, Huffman by restart interval, chunk sync + decode
      for (let i = 0; i < 4; i++) {
        const img = (await own.decode(
          photo,
          header,
          options({ format: i % 2 ? 'rgba' : 'rgb' }),
        )) as HostImage;
        expect(img.width).toBe(160);
      }
      expect(created).toEqual(warm);
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
      await expect(own.decode(photo, inspect(photo), options())).rejects.toMatchObject({
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
      const img = (await own.decode(photo, inspect(photo), options())) as HostImage;
      expect(own.context!.device).not.toBe(first);
      expect(diffImages(img, photoRef).maxAbs).toBe(0);
    } finally {
      await own.dispose();
    }
  });
});
