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

// The wasm backend in a real browser: headless Chromium (Debian's, installed by scripts/system-deps.sh) loads
// the built packages through an import map from a static server on loopback and decodes a fixture.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.jpg': 'image/jpeg',
  '.json': 'application/json',
};

let server: Server;
let browser: Browser;
let base: string;
let bundle: string;

/** Serves the repository read-only, and the Vite bundle under /__vite/. */
function resolveRequest(url: string): string | undefined {
  const path = normalize(decodeURIComponent(new URL(url, 'http://x').pathname));
  const [top, file] = path.startsWith('/__vite/')
    ? [bundle, join(bundle, path.slice('/__vite/'.length))]
    : [root, join(root, path)];
  return file.startsWith(top) && existsSync(file) ? file : undefined;
}

beforeAll(async () => {
  bundle = await mkdtemp(join(tmpdir(), 'jpegkit-vite-'));
  await build({
    root: fileURLToPath(new URL('../test-browser/vite/', import.meta.url)),
    base: '/__vite/',
    logLevel: 'error',
    build: { outDir: bundle, emptyOutDir: true, target: 'es2022' },
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
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

describe('wasm backend in headless Chromium', () => {
  it('decodes a fixture byte-identical to djpeg -dct int and runs a pipeline', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/packages/wasm/test-browser/index.html`);
    const result = await page.evaluate(
      () => (window as unknown as { jpegkitResult: Promise<unknown> }).jpegkitResult,
    );
    expect(errors).toEqual([]);
    const ref = readPnm(new Uint8Array(readFileSync(join(root, 'fixtures/ref/photo-420.ppm'))));
    expect(result).toEqual({
      backend: 'wasm',
      width: 160,
      height: 120,
      pixels: createHash('sha256').update(ref.data).digest('hex'),
      thumbBytes: expect.any(Number),
      gpu: expect.any(String),
    });
    expect((result as { thumbBytes: number }).thumbBytes).toBeGreaterThan(200);
    await page.close();
  }, 60_000);

  it('bundles with Vite and decodes a batch on a pool of Web Workers, byte-identical to djpeg', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/__vite/index.html`);
    const result = (await page.evaluate(
      () => (window as unknown as { jpegkitResult: Promise<unknown> }).jpegkitResult,
    )) as {
      device: string;
      digests: string[];
    };
    expect(errors).toEqual([]);
    expect(result.device).toMatch(/libjpeg-turbo 2\.1\.5, 2 workers$/);
    const refs = ['photo-420', 'photo-444', 'photo-422', 'photo-420-progressive'].map((n) =>
      createHash('sha256')
        .update(readPnm(new Uint8Array(readFileSync(join(root, `fixtures/ref/${n}.ppm`)))).data)
        .digest('hex'),
    );
    expect(result.digests).toEqual(refs);
    await page.close();
  }, 60_000);
});
