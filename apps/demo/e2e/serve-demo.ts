import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '@jpegkit/core/testing/browser';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { build, preview } from 'vite';

// The demo as a user gets it: built by Vite, served by `vite preview` on loopback, driven in Debian's headless
// Chromium (scripts/system-deps.sh installs it; no browser is downloaded).
const demo = fileURLToPath(new URL('../', import.meta.url));

export interface ServedDemo {
  /** The demo's root URL, ending in '/'. */
  base: string;
  browser: Browser;
  /** A 1280×800 page at `path` that records uncaught errors in `errors`. */
  open(path: string): Promise<{ page: Page; errors: string[] }>;
  close(): Promise<void>;
}

/** Builds the demo into a temporary folder, serves it and starts Chromium (WebGPU exposed). */
export async function serveDemo(): Promise<ServedDemo> {
  const configFile = join(demo, 'vite.config.ts');
  const outDir = await mkdtemp(join(tmpdir(), 'jpegkit-demo-'));
  await build({ configFile, logLevel: 'error', build: { outDir, emptyOutDir: true } });
  const server = await preview({
    configFile,
    logLevel: 'error',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false },
  });
  const base = server.resolvedUrls!.local[0]!;
  const browser = await launchChromium(chromium);
  return {
    base,
    browser,
    async open(path) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${base}${path}`);
      return { page, errors };
    },
    async close() {
      await browser.close();
      await server.close();
      await rm(outDir, { recursive: true, force: true });
    },
  };
}
