import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  JpegError,
  createCodec,
  inspect,
  readPnm,
  registerBackend,
  resolveDecodeOptions,
  unregisterBackend,
} from '@jpegkit/core';
import { WasmBackend } from '@jpegkit/wasm';
import { CudaBackend } from './backend.js';
import { AddonLoadError, loadAddon } from './loader.js';
import type { NativeAddon } from './native.js';

// The cuda backend where there is no GPU (dev machines and CI: nvcc and the CUDA runtime, no driver, no
// nvJPEG): the addon builds and loads, init() rejects with the exact reason, core skips cuda for wasm, and
// canDecode refuses what nvJPEG cannot decode. On a GPU host the unavailable-path cases are skipped.

const fixture = (p: string) =>
  new Uint8Array(readFileSync(new URL(`../../../fixtures/${p}`, import.meta.url)));
const addonFile = new URL('../build/jpegkit_cuda.node', import.meta.url);
const NO_DRIVER = 'no NVIDIA driver (libcuda.so.1 not found)';
const NO_DEVICE = 'no CUDA device';
const NVJPEG_NOT_FOUND =
  "libnvjpeg.so.13 not found (install CUDA 13's nvJPEG: the libnvjpeg-13 package, or put it on LD_LIBRARY_PATH)";

function onPath(tool: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const built = existsSync(addonFile);
const addon: NativeAddon | undefined = built ? loadAddon() : undefined;
const gpu = addon
  ? await addon.probe(0).then(
      () => true,
      () => false,
    )
  : false;
const nvjpeg = addon
  ? await addon.loadNvjpeg().then(
      () => true,
      () => false,
    )
  : false;

describe('native addon (no GPU needed)', () => {
  it.runIf(onPath('nvcc'))('was built by build:addon (nvcc is on PATH)', () => {
    expect(built).toBe(true);
  });

  // The calls' workers (src/worker.h): the addon's own threads, and a completion handle per JS thread.
  it.runIf(built)(
    'settles 500 calls made at once, and one after another, and lets the process exit',
    async () => {
      const results = await Promise.allSettled(Array.from({ length: 500 }, () => addon!.probe(0)));
      expect(results).toHaveLength(500);
      const outcome = (r: PromiseSettledResult<unknown>) =>
        r.status === 'fulfilled' ? 'ok' : String((r.reason as Error).message);
      expect(new Set(results.map(outcome)).size).toBe(1);
      for (let i = 0; i < 50; i++)
        expect(
          await addon!.probe(0).then(
            () => 'ok',
            (e: Error) => e.message,
          ),
        ).toBe(outcome(results[0]!));
      // A process that only made calls ends once they have settled (nothing keeps its event loop alive).
      const script = `const a = require(${JSON.stringify(addonFile.pathname)}); Promise.allSettled([a.probe(0), a.probe(0)]).then(() => console.log('settled'));`;
      const out = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 });
      expect(out.trim()).toBe('settled');
    },
  );

  it.runIf(built)('survives worker threads that exit with calls in flight, and works on after them', () => {
    // In a child process: 20 worker threads, each loading the addon, starting 100 calls and exiting with some
    // still running; then the main thread's own call. A crash or a hang fails the run.
    const script = `
      const { Worker } = require('node:worker_threads');
      const path = ${JSON.stringify(addonFile.pathname)};
      const code = 'const a = require(' + JSON.stringify(path) + '); for (let i = 0; i < 100; i++) a.probe(0).catch(() => {}); a.probe(0).catch(() => {}).then(() => process.exit(0));';
      (async () => {
        for (let round = 0; round < 20; round++) {
          const w = new Worker(code, { eval: true });
          await new Promise((r) => w.on('exit', r));
        }
        const a = require(path);
        console.log(await a.probe(0).then(() => 'ok', () => 'refused'));
      })();`;
    const out = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(['ok', 'refused']).toContain(out.trim());
  });

  it.runIf(built)('loads without a GPU and exposes its contract', () => {
    expect(addon!.abi).toBe(3);
    expect(addon!.cudaRuntime).toMatch(/^13\.\d$/);
    expect(addon!.kernelTargets).toBe('sm_80, sm_90, compute_90');
    expect(addon!.nvjpegNotFound).toBe(NVJPEG_NOT_FOUND);
    for (const fn of ['probe', 'loadNvjpeg', 'createEngine'] as const)
      expect(typeof addon![fn]).toBe('function');
  });

  it.runIf(built && !gpu)('probe rejects with E_BACKEND_INIT and why there is no GPU', async () => {
    const error = await addon!.probe(0).then(
      () => undefined,
      (e: unknown) => e as Error & { code: string; backend: string },
    );
    expect(error?.code).toBe('E_BACKEND_INIT');
    expect(error?.backend).toBe('cuda');
    expect([NO_DRIVER, NO_DEVICE]).toContain(error?.message);
  });

  it.runIf(built && !nvjpeg)('loadNvjpeg rejects with the exact reason and the dlopen detail', async () => {
    const error = await addon!.loadNvjpeg().then(
      () => undefined,
      (e: unknown) => e as Error & { code: string; detail: string },
    );
    expect(error?.code).toBe('E_BACKEND_INIT');
    expect(error?.message).toBe(NVJPEG_NOT_FOUND);
    expect(error?.detail).toContain('libnvjpeg.so.13: cannot open shared object file');
  });

  it.runIf(built && !nvjpeg)('createEngine refuses without nvJPEG', async () => {
    await expect(addon!.createEngine({})).rejects.toMatchObject({
      code: 'E_BACKEND_INIT',
      message: NVJPEG_NOT_FOUND,
    });
  });
});

describe('CudaBackend where it cannot run', () => {
  it.runIf(built && !gpu)('init rejects with E_BACKEND_INIT and the device reason', async () => {
    const error = await new CudaBackend().init().then(
      () => undefined,
      (e: unknown) => e as JpegError,
    );
    expect(error).toBeInstanceOf(JpegError);
    expect(error?.code).toBe('E_BACKEND_INIT');
    expect(error?.backend).toBe('cuda');
    expect([NO_DRIVER, NO_DEVICE]).toContain(error?.message);
  });

  it('init says the addon was not built when the .node is missing', async () => {
    const error = await new CudaBackend().init({ addonPath: '/nonexistent/jpegkit_cuda.node' }).then(
      () => undefined,
      (e: unknown) => e as JpegError,
    );
    expect(error?.code).toBe('E_BACKEND_INIT');
    expect(error?.message).toMatch(/^the native addon was not built: /);
    expect(error?.cause).toBeInstanceOf(AddonLoadError);
    expect((error?.cause as Error).message).toContain('Possible solutions:');
  });

  it('rejects calls before init and disposes cleanly without one', async () => {
    const backend = new CudaBackend();
    const header = inspect(fixture('jpeg/photo-420.jpg'));
    await expect(
      backend.decode(fixture('jpeg/photo-420.jpg'), header, resolveDecodeOptions()),
    ).rejects.toMatchObject({ code: 'E_BACKEND_INIT' });
    await expect(backend.dispose()).resolves.toBeUndefined();
  });

  describe.runIf(built && !gpu)('createCodec', () => {
    const cuda = new CudaBackend();
    const wasm = new WasmBackend();
    registerBackend(cuda);
    registerBackend(wasm);
    afterAll(() => {
      unregisterBackend('cuda');
      unregisterBackend('wasm');
    });

    it('skips cuda with its reason and falls back to wasm, which decodes bit-exact', async () => {
      const codec = await createCodec({ backends: ['cuda', 'wasm'] });
      try {
        expect(codec.backend).toBe('wasm');
        expect(codec.skipped).toHaveLength(1);
        expect(codec.skipped[0]!.backend).toBe('cuda');
        expect(codec.skipped[0]!.error.code).toBe('E_BACKEND_INIT');
        expect([NO_DRIVER, NO_DEVICE]).toContain(codec.skipped[0]!.error.message);
        const img = await codec.decode(fixture('jpeg/photo-420.jpg'));
        const ref = readPnm(fixture('ref/photo-420.ppm'));
        expect(img.backend).toBe('wasm');
        expect([img.width, img.height]).toEqual([ref.width, ref.height]);
        expect(Buffer.from((img as { data: Uint8Array }).data).equals(Buffer.from(ref.data))).toBe(true);
      } finally {
        await codec.dispose();
      }
    });

    it('strict mode turns the skip into E_NO_BACKEND that names the reason', async () => {
      const error = await createCodec({ backends: ['cuda', 'wasm'], strict: true }).then(
        () => undefined,
        (e: unknown) => e as JpegError,
      );
      expect(error?.code).toBe('E_NO_BACKEND');
      expect(error?.message).toMatch(/cuda: (no NVIDIA driver \(libcuda\.so\.1 not found\)|no CUDA device)/);
    });
  });
});

describe('CudaBackend.canDecode', () => {
  const backend = new CudaBackend();
  const facts = JSON.parse(
    readFileSync(new URL('../../../fixtures/facts.json', import.meta.url), 'utf8'),
  ) as {
    file: string;
    precision: number;
    components: unknown[];
    colorSpace: string;
    process: string;
    arithmetic: boolean;
    restartInterval: number;
  }[];
  const verdict = (file: string, options = resolveDecodeOptions()) =>
    backend.canDecode(inspect(fixture(file)), options);

  it('takes baseline and progressive YCbCr and gray JPEGs (progressive on the hybrid path)', () => {
    const ok = facts.filter(
      (f) =>
        !f.arithmetic &&
        f.precision === 8 &&
        ['YCbCr', 'gray'].includes(f.colorSpace) &&
        f.process !== 'lossless' &&
        !(f.process === 'progressive' && f.restartInterval > 0),
    );
    expect(ok.length).toBeGreaterThan(30);
    for (const f of ok) expect([f.file, verdict(f.file)]).toEqual([f.file, true]);
    expect(ok.filter((f) => f.process === 'progressive').length).toBeGreaterThanOrEqual(3);
  });

  it('refuses arithmetic coding', () => {
    const files = facts.filter((f) => f.arithmetic).map((f) => f.file);
    expect(files).toEqual(
      expect.arrayContaining(['jpeg/photo-420-arithmetic.jpg', 'jpeg/photo-444-arithmetic-progressive.jpg']),
    );
    for (const file of files)
      expect(verdict(file)).toBe('arithmetic-coded JPEG: nvJPEG decodes Huffman-coded JPEGs only');
  });

  it('refuses progressive JPEGs with restart markers (nvJPEG 13 rejects them)', () => {
    expect(verdict('jpeg/photo-420-progressive-restart.jpg')).toBe(
      'progressive JPEG with restart markers: nvJPEG 13 rejects them',
    );
  });

  it('refuses 12-bit samples', () => {
    expect(verdict('jpeg/testorig12.jpg')).toBe('12-bit JPEG: nvJPEG decodes 8-bit samples only');
  });

  it('refuses CMYK and YCCK', () => {
    expect(verdict('jpeg/photo-cmyk.jpg')).toBe(
      'CMYK JPEG (4 components): nvJPEG decodes 1- and 3-component JPEGs only',
    );
    expect(verdict('jpeg/photo-ycck.jpg')).toBe(
      'YCCK JPEG (4 components): nvJPEG decodes 1- and 3-component JPEGs only',
    );
  });

  it('refuses RGB-coded JPEGs', () => {
    expect(verdict('jpeg/photo-rgb.jpg')).toBe('RGB-coded JPEG: nvJPEG would convert it as YCbCr');
  });

  it('refuses partial mode, crop and scale for now, per image', () => {
    const file = 'jpeg/photo-420.jpg';
    expect(verdict(file, resolveDecodeOptions({ partial: true }))).toBe(
      'partial decodes of damaged data are not supported by nvJPEG',
    );
    expect(verdict(file, resolveDecodeOptions({ crop: { x: 0, y: 0, width: 8, height: 8 } }))).toBe(
      'crop is not implemented on the cuda backend yet',
    );
    expect(verdict(file, resolveDecodeOptions({ scale: 0.5 }))).toBe(
      'DCT scaling is not implemented on the cuda backend yet',
    );
    for (const format of ['rgb', 'rgba', 'bgr', 'bgra', 'gray', 'rgb-planar', 'bgr-planar'] as const) {
      expect(verdict(file, resolveDecodeOptions({ format, orient: true }))).toBe(true);
    }
  });
});
