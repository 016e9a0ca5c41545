import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPnm } from '@jpegkit/core';
import { inside, launchChromium, serveFiles } from '@jpegkit/core/testing/browser';
import { chromium } from 'playwright-core';
import type { TestServer } from '@jpegkit/core/testing/browser';

// The webgpu backend in a real browser: headless Chromium (Debian's, with --enable-unsafe-webgpu, which gives
// navigator.gpu on SwiftShader) loads a Vite bundle of the built package, decodes fixtures on the GPU
// byte-identical to djpeg -dct int, and passes core's conformance suite on webgpu alone (Huffman decoding on the
// GPU; pixel ops and encode on the GPU too).
const root = fileURLToPath(new URL('../../../', import.meta.url));
let server: TestServer;
let browser: Browser;
let base: string;
let bundle: string;
const pages = fileURLToPath(new URL('../test-browser/vite/', import.meta.url));

beforeAll(async () => {
  bundle = await mkdtemp(join(tmpdir(), 'jpegkit-webgpu-vite-'));
  await build({
    root: pages,
    base: '/__vite/',
    logLevel: 'error',
    build: {
      outDir: bundle,
      emptyOutDir: true,
      target: 'es2022',
      rollupOptions: { input: ['index.html', 'conformance.html'].map((page) => join(pages, page)) },
    },
    worker: { format: 'es' },
  });
  browser = await launchChromium(chromium);
  // The Vite bundle under /__vite/, the fixtures read-only.
  server = await serveFiles((path) =>
    path.startsWith('/__vite/')
      ? inside(bundle, join(bundle, path.slice('/__vite/'.length)))
      : inside(join(root, 'fixtures'), join(root, path)),
  );
  base = server.base;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (bundle) await rm(bundle, { recursive: true, force: true });
});

function digest(reference: string): string {
  const image = readPnm(new Uint8Array(readFileSync(join(root, 'fixtures/ref', reference))));
  return createHash('sha256').update(image.data).digest('hex');
}

describe('webgpu backend in headless Chromium', () => {
  it('bundles with Vite and decodes on navigator.gpu byte-identical to djpeg -dct int', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/__vite/index.html`);
    const result = await page.evaluate(
      () => (window as unknown as { jpegkitResult: Promise<unknown> }).jpegkitResult,
    );
    expect(errors).toEqual([]);
    expect(result).toEqual({
      gpu: 'object',
      device: expect.stringMatching(/\(WebGPU\)$/),
      backends: ['webgpu', 'webgpu', 'webgpu', 'webgpu', 'webgpu', 'webgpu', 'webgpu'],
      digests: ['photo-420.ppm', 'photo-422.ppm', 'photo-cmyk.ppm', 'photo-420-progressive.ppm'].map(digest),
      gray: digest('photo-gray.pgm'),
      scaled: digest('photo-420@1-4.ppm'),
      downloaded: digest('photo-422.ppm'),
    });
    await page.close();
  }, 120_000);

  it('passes core’s conformance suite in the page', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/__vite/conformance.html`);
    const report = (await page.evaluate(
      () => (window as unknown as { jpegkitResult: Promise<unknown> }).jpegkitResult,
    )) as {
      total: number;
      excluded: number;
      passed: string[];
      failed: { id: string; message: string }[];
      entropy: { gpu: number; gpuSelfSync: number };
    };
    expect(errors).toEqual([]);
    expect(report.failed).toEqual([]);
    expect(report.entropy.gpu).toBeGreaterThan(60);
    expect(report.entropy.gpuSelfSync).toBeGreaterThan(55);
    expect(report.excluded).toBe(0);
    expect(report.total).toBeGreaterThan(170);
    expect(report.passed.length).toBe(report.total);
    await page.close();
  }, 180_000);
});
