import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPnm } from '@jpegkit/core';

// The webgpu backend in a real browser: headless Chromium (Debian's, with --enable-unsafe-webgpu, which gives
// navigator.gpu on SwiftShader) loads a Vite bundle of the built package, decodes fixtures on the GPU
// byte-identical to djpeg -dct int, and passes core's conformance suite with Huffman decoding on the GPU.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.wgsl': 'text/plain',
  '.jpg': 'image/jpeg',
  '.json': 'application/json',
};

let server: Server;
let browser: Browser;
let base: string;
let bundle: string;
const pages = fileURLToPath(new URL('../test-browser/vite/', import.meta.url));

/** Serves the fixtures read-only, and the Vite bundle under /__vite/. */
function resolveRequest(url: string): string | undefined {
  const path = normalize(decodeURIComponent(new URL(url, 'http://x').pathname));
  const [top, file] = path.startsWith('/__vite/')
    ? [bundle, join(bundle, path.slice('/__vite/'.length))]
    : [join(root, 'fixtures'), join(root, path)];
  return file.startsWith(top) && existsSync(file) ? file : undefined;
}

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
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} not found: run scripts/system-deps.sh (installs Debian's chromium)`);
  server = createServer((req, res) => {
    const file = resolveRequest(req.url ?? '/');
    if (!file || statSync(file).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    res
      .writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
      .end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--enable-unsafe-webgpu',
    ],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
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
