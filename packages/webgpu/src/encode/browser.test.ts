import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHostImage, ops } from '@jpegkit/core';
import type { EncodeOptions, HostImage, OpStep, PixelFormat } from '@jpegkit/core';
import { diffImages, describeDiff } from '@jpegkit/core/testing';
import { loadModule } from '@jpegkit/wasm';
import type { JpegkitWasm } from '@jpegkit/wasm';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inside, launchChromium, serveFiles } from '@jpegkit/core/testing/browser';
import { chromium } from 'playwright-core';
import { decodeFixture } from '../test-support.js';
import type { TestServer } from '@jpegkit/core/testing/browser';

// Edit and export in a real browser: headless Chromium (Debian's, WebGPU on SwiftShader) runs a Vite bundle of the
// pixel ops and the encoder — the WGSL files reached through `new URL(…, import.meta.url)` as bundled assets —
// and hands back the pixels and the JPEG, checked here against core's reference ops and @jpegkit/wasm's encoder.
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** The page: sets up a device, the kernels and the wasm module, then runs the cases the test sends. */
const PAGE_MAIN = `
import { createHostImage, resolveEncodeOptions } from '@jpegkit/core';
import { loadModule } from '@jpegkit/wasm';
import { requestDevice } from '@webgpu-src/gpu.ts';
import { GpuContext } from '@webgpu-src/gpu-context.ts';
import { runOps } from '@webgpu-src/ops/run-ops.ts';
import { downloadPixels, uploadHostImage } from '@webgpu-src/pixel-transfer.ts';
import { encodeGpuPixels } from '@webgpu-src/encode/encode-jpeg.ts';

const ready = (async () => {
  const { adapter, device } = await requestDevice();
  return { adapter, ctx: new GpuContext(device), wasm: await loadModule() };
})();

window.jpegkitRun = async (job) => {
  try {
    const { adapter, ctx, wasm } = await ready;
    const img = createHostImage(job.width, job.height, job.format, { data: Uint8Array.from(job.data) });
    const { pixels, alpha } = uploadHostImage(ctx, img);
    const out = await runOps(ctx, pixels, job.steps, { alpha });
    const edited = await downloadPixels(ctx, out, job.outFormat);
    const jpeg = await encodeGpuPixels(ctx, out, resolveEncodeOptions(job.encode), wasm);
    pixels.buffer.destroy();
    out.buffer.destroy();
    return {
      adapter: adapter.info.vendor + ' ' + adapter.info.architecture,
      width: edited.width,
      height: edited.height,
      pixels: Array.from(edited.data),
      jpeg: Array.from(jpeg),
    };
  } catch (error) {
    return { error: (error.code ?? '') + ' ' + error.message };
  }
};
`;

let bundle: string;
let server: TestServer;
let browser: Browser;
let page: Page;
let wasm: JpegkitWasm;
let photo: HostImage;

beforeAll(async () => {
  bundle = await mkdtemp(join(tmpdir(), 'jpegkit-webgpu-vite-'));
  const source = join(bundle, 'src');
  const out = join(bundle, 'out');
  await mkdir(source);
  await writeFile(
    join(source, 'index.html'),
    '<!doctype html><script type="module" src="./main.ts"></script>',
  );
  await writeFile(join(source, 'main.ts'), PAGE_MAIN);
  await build({
    root: source,
    base: '/',
    logLevel: 'error',
    resolve: {
      alias: [
        { find: /^@jpegkit\/core$/, replacement: here('../../../core/src/index.ts') },
        { find: /^@jpegkit\/wasm$/, replacement: here('../../../wasm/src/index.ts') },
        { find: /^@webgpu-src\//, replacement: here('../') },
      ],
    },
    build: { outDir: out, emptyOutDir: true, target: 'es2022' },
    worker: { format: 'es' },
  });
  server = await serveFiles((path) => inside(out, join(out, path === '/' ? 'index.html' : path)));
  browser = await launchChromium(chromium);
  page = await browser.newPage();
  await page.goto(`${server.base}/`);
  await page.waitForFunction(() => 'jpegkitRun' in window);

  wasm = await loadModule();
  photo = decodeFixture(wasm, 'photo-420.jpg');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (bundle) await rm(bundle, { recursive: true, force: true });
  wasm?.dispose();
});

interface PageResult {
  adapter: string;
  width: number;
  height: number;
  pixels: number[];
  jpeg: number[];
  error?: string;
}

async function editInBrowser(
  img: HostImage,
  steps: OpStep[],
  outFormat: PixelFormat,
  encode: EncodeOptions,
): Promise<PageResult> {
  const job = {
    width: img.width,
    height: img.height,
    format: img.format,
    data: Array.from(img.data),
    steps,
    outFormat,
    encode,
  };
  const result = await page.evaluate(
    (j) => (window as unknown as { jpegkitRun(job: unknown): Promise<PageResult> }).jpegkitRun(j),
    job,
  );
  expect(result.error).toBeUndefined();
  return result;
}

describe('webgpu ops and encode in headless Chromium', () => {
  it('crop + rotate + resize + sharpen match core (±1); the export equals the wasm encoder byte for byte', async () => {
    const steps: OpStep[] = [
      { op: 'crop', x: 10, y: 6, width: 120, height: 100 },
      { op: 'rotate', angle: 90 },
      {
        op: 'resize',
        width: 48,
        height: 40,
        fit: 'cover',
        filter: 'lanczos3',
        linear: false,
        background: [0, 0, 0, 255],
      },
      { op: 'sharpen', sigma: 0.8, amount: 1.2, threshold: 0 },
    ];
    const result = await editInBrowser(photo, steps, 'rgb', {
      quality: 85,
      subsampling: '4:2:0',
      optimize: true,
    });
    expect(result.adapter).toMatch(/\S/);
    const edited = createHostImage(result.width, result.height, 'rgb', {
      data: Uint8Array.from(result.pixels),
    });
    const expected = steps.reduce(ops.applyOp, photo);
    const diff = diffImages(edited, expected, 1);
    expect(diff.maxAbs, describeDiff(diff)).toBeLessThanOrEqual(1);
    const reference = wasm.encode(edited.data, {
      width: edited.width,
      height: edited.height,
      format: 'rgb',
      quality: 85,
      subsampling: '4:2:0',
      optimize: true,
    });
    expect(Buffer.from(result.jpeg).equals(Buffer.from(reference))).toBe(true);
  });

  it('gray with linear-light resize and adjust, exported as a grayscale progressive JPEG', async () => {
    const steps: OpStep[] = [
      { op: 'convert', format: 'gray' },
      {
        op: 'resize',
        width: 0,
        height: 37,
        fit: 'inside',
        filter: 'mitchell',
        linear: true,
        background: [0, 0, 0, 255],
      },
      { op: 'adjust', brightness: 0.05, contrast: 1.3 },
    ];
    const result = await editInBrowser(photo, steps, 'gray', { quality: 70, progressive: true });
    const edited = createHostImage(result.width, result.height, 'gray', {
      data: Uint8Array.from(result.pixels),
    });
    const diff = diffImages(edited, steps.reduce(ops.applyOp, photo), 1);
    expect(diff.maxAbs, describeDiff(diff)).toBeLessThanOrEqual(1);
    const reference = wasm.encode(edited.data, {
      width: edited.width,
      height: edited.height,
      format: 'gray',
      quality: 70,
      progressive: true,
    });
    expect(Buffer.from(result.jpeg).equals(Buffer.from(reference))).toBe(true);
  });
});
