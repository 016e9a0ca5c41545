import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
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

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} not found: run scripts/system-deps.sh (installs Debian's chromium)`);
  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(
      /^(\.\.[/\\])+/,
      '',
    );
    const file = join(root, path);
    if (!file.startsWith(root) || !existsSync(file)) {
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
});
