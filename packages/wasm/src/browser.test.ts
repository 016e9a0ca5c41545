import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPnm } from '@jpegkit/core';
import { inside, launchChromium, serveFiles } from '@jpegkit/core/testing/browser';
import type { TestServer } from '@jpegkit/core/testing/browser';

// The wasm backend in a real browser: headless Chromium (Debian's, installed by scripts/system-deps.sh) loads
// the built packages through an import map from a static server on loopback and decodes a fixture.
const root = fileURLToPath(new URL('../../../', import.meta.url));

let server: TestServer;
let browser: Browser;
let base: string;
let bundle: string;

beforeAll(async () => {
  bundle = await mkdtemp(join(tmpdir(), 'jpegkit-vite-'));
  await build({
    root: fileURLToPath(new URL('../test-browser/vite/', import.meta.url)),
    base: '/__vite/',
    logLevel: 'error',
    build: { outDir: bundle, emptyOutDir: true, target: 'es2022' },
    worker: { format: 'es' },
  });
  // The repository read-only, and the Vite bundle under /__vite/.
  server = await serveFiles((path) =>
    path.startsWith('/__vite/')
      ? inside(bundle, join(bundle, path.slice('/__vite/'.length)))
      : inside(root, join(root, path)),
  );
  base = server.base;
  browser = await launchChromium(chromium);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
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
