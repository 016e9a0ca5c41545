// Takes the README's screenshots of both pages (1280×800 PNG) into apps/demo/screenshots/: builds the demo
// with Vite, serves it on loopback and drives Debian's headless Chromium through playwright-core.
//
// usage: node apps/demo/scripts/screenshots.mjs     (after scripts/setup.sh; CHROMIUM_PATH overrides /usr/bin/chromium)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '@jpegkit/core/testing/browser';
import { chromium } from 'playwright-core';
import sharp from 'sharp';
import { build, preview } from 'vite';

const demo = fileURLToPath(new URL('../', import.meta.url));
const configFile = join(demo, 'vite.config.ts');
const shots = join(demo, 'screenshots');
const viewport = { width: 1280, height: 800 };

/** Saves a page's viewport as a palette PNG (a quarter of the size of Chromium's truecolour one). */
async function shoot(page, name) {
  const png = await page.screenshot();
  await sharp(png)
    .png({ palette: true, quality: 90, compressionLevel: 9, effort: 10 })
    .toFile(join(shots, name));
}

const outDir = await mkdtemp(join(tmpdir(), 'jpegkit-demo-shots-'));
await build({ configFile, logLevel: 'error', build: { outDir, emptyOutDir: true } });
const server = await preview({
  configFile,
  logLevel: 'error',
  build: { outDir },
  preview: { host: '127.0.0.1', port: 0 },
});
const base = server.resolvedUrls.local[0];
const browser = await launchChromium(chromium, ['--hide-scrollbars']);
try {
  const editor = await browser.newPage({ viewport });
  await editor.goto(`${base}index.html`);
  await editor.waitForSelector('#backends[data-ready="true"]');
  await editor.click('[data-sample="large-1024x640-420-q90.jpg"]');
  await editor.waitForFunction(() => document.querySelector('#canvas-box')?.dataset.width === '1024');
  await editor.locator('#sharpen-sigma').fill('1.2');
  await editor.click('#sharpen-apply');
  await editor.waitForFunction(() => document.querySelectorAll('#steps li').length === 1);
  await editor.click('#crop-mode');
  const box = await editor.locator('#canvas').boundingBox();
  await editor.mouse.move(box.x + box.width * 0.15, box.y + box.height * 0.2);
  await editor.mouse.down();
  await editor.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.85, { steps: 5 });
  await editor.mouse.up();
  await editor.waitForFunction(
    () => document.querySelector('#download')?.getAttribute('aria-disabled') === 'false',
  );
  await shoot(editor, 'editor.png');

  const bench = await browser.newPage({ viewport });
  await bench.goto(`${base}bench.html`);
  await bench.waitForSelector('#backends[data-ready="true"]');
  await bench.fill('#seconds', '0.5');
  await bench.click('#run');
  await bench.waitForSelector('#results[data-complete="true"]', { timeout: 300_000 });
  await bench.locator('#results').evaluate((e) => e.scrollIntoView());
  await shoot(bench, 'bench.png');
  console.log(`screenshots: ${join(shots, 'editor.png')}, ${join(shots, 'bench.png')}`);
} finally {
  await browser.close();
  await server.close();
  await rm(outDir, { recursive: true, force: true });
}
