import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCodec, inspect, ops } from '@jpegkit/core';
import type { Codec, HostImage } from '@jpegkit/core';
import '@jpegkit/wasm';
import { addEditStep } from '../src/editor/edit-steps.js';
import type { EditStep } from '../src/editor/edit-steps.js';
import { serveDemo } from './serve-demo.js';
import type { ServedDemo } from './serve-demo.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../../fixtures/jpeg/${name}`, import.meta.url));

let demo: ServedDemo;
let codec: Codec;

beforeAll(async () => {
  demo = await serveDemo();
  codec = await createCodec({ backends: ['wasm'], strict: true });
}, 120_000);

afterAll(async () => {
  await codec?.dispose();
  await demo?.close();
});

/** The editor page with its backend list ready and, if given, that backend chosen in the selector. */
async function openEditor(backend?: string): Promise<{ page: Page; errors: string[] }> {
  const opened = await demo.open('index.html');
  await opened.page.waitForSelector('#backends[data-ready="true"]');
  if (backend) await opened.page.selectOption('#backend', backend);
  return opened;
}

const shownSize = (page: Page, width: number, height: number) =>
  page.waitForFunction(
    ([w, h]) => {
      const box = document.querySelector<HTMLElement>('#canvas-box');
      return box?.dataset.width === String(w) && box.dataset.height === String(h);
    },
    [width, height],
  );

/** The exported JPEG once it reflects these settings and this image size. */
async function exported(page: Page, options: object, width: number, height: number): Promise<Uint8Array> {
  await page.waitForFunction(
    ([opts, size]) => {
      const a = document.querySelector<HTMLAnchorElement>('#download');
      if (!a) return false;
      return (
        a.dataset.options === opts && a.dataset.size === size && a.getAttribute('aria-disabled') === 'false'
      );
    },
    [JSON.stringify(options), `${width}x${height}`],
  );
  const base64 = await page.evaluate(async () => {
    const href = document.querySelector<HTMLAnchorElement>('#download')!.href;
    const bytes = new Uint8Array(await (await fetch(href)).arrayBuffer());
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000)
      binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(binary);
  });
  return new Uint8Array(Buffer.from(base64, 'base64'));
}

function psnr(a: HostImage, b: HostImage): number {
  expect([a.width, a.height, a.format]).toEqual([b.width, b.height, b.format]);
  let sum = 0;
  let n = 0;
  for (let y = 0; y < a.height; y++) {
    for (let x = 0; x < a.width * 3; x++) {
      const d = a.data[y * a.stride + x]! - b.data[y * b.stride + x]!;
      sum += d * d;
      n++;
    }
  }
  return 10 * Math.log10((255 * 255) / (sum / n));
}

describe('editor', () => {
  it('crops (drag), rotates, resizes and sharpens; the export matches core reference ops', async () => {
    const { page, errors } = await openEditor('wasm');
    await page.setInputFiles('#file', fixture('large-1024x640-420-q90.jpg'));
    await shownSize(page, 1024, 640);
    await expect.poll(() => page.textContent('#facts')).toContain('1024 × 640');

    await page.click('#crop-mode');
    const box = (await page.locator('#canvas').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.25);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5, { steps: 4 });
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.8, { steps: 4 });
    await page.mouse.up();
    const crop = {
      x: Number(await page.inputValue('#crop-x')),
      y: Number(await page.inputValue('#crop-y')),
      width: Number(await page.inputValue('#crop-width')),
      height: Number(await page.inputValue('#crop-height')),
    };
    // The drag covered about 50% × 55% of the picture, starting near (20%, 25%).
    expect(crop.x).toBeGreaterThan(180);
    expect(crop.x).toBeLessThan(230);
    expect(crop.width).toBeGreaterThan(480);
    expect(crop.width).toBeLessThan(540);
    expect(crop.height).toBeGreaterThan(320);
    expect(crop.height).toBeLessThan(385);
    await page.click('#crop-apply');
    await shownSize(page, crop.width, crop.height);

    await page.click('#rotate-90');
    await shownSize(page, crop.height, crop.width);

    await page.fill('#resize-width', '200');
    await page.selectOption('#resize-fit', 'inside');
    await page.selectOption('#resize-filter', 'lanczos3');
    await page.click('#resize-apply');
    const height = Math.round((crop.width * 200) / crop.height);
    await shownSize(page, 200, height);

    await page.locator('#sharpen-sigma').fill('1.2');
    await page.click('#sharpen-apply');
    await expect.poll(() => page.locator('#steps li').count()).toBe(4);

    await page.fill('#export-quality', '100');
    await page.selectOption('#export-subsampling', '4:4:4');
    await page.locator('#export-quality').dispatchEvent('change');
    const options = { quality: 100, subsampling: '4:4:4', progressive: false, restartInterval: 0 };
    const jpeg = await exported(page, options, 200, height);

    const header = inspect(jpeg);
    expect([header.width, header.height, header.subsampling]).toEqual([200, height, '4:4:4']);
    const decoded = (await codec.decode(jpeg)) as HostImage;

    // The same edit through core's reference ops, from the fixture decoded exactly (djpeg -dct int).
    const steps: EditStep[] = [
      { op: 'crop', ...crop },
      { op: 'rotate', angle: 90 },
      { op: 'resize', width: 200, fit: 'inside', filter: 'lanczos3', linear: false },
      { op: 'sharpen', sigma: 1.2 },
    ];
    const source = (await codec.decode(new Uint8Array(readFileSync(fixture('large-1024x640-420-q90.jpg'))), {
      orient: true,
    })) as HostImage;
    const pipeline = codec.pipeline(source);
    for (const step of steps) addEditStep(pipeline, step);
    const reference = pipeline.steps.reduce((img, step) => ops.applyOp(img, step), source);
    const similarity = psnr(decoded, reference);
    console.log(`editor export vs core reference ops: PSNR ${similarity.toFixed(2)} dB (q100 4:4:4)`);
    expect(similarity).toBeGreaterThan(40);

    await page.click('#undo');
    await expect.poll(() => page.locator('#steps li').count()).toBe(3);
    await page.click('#redo');
    await expect.poll(() => page.locator('#steps li').count()).toBe(4);
    await page.click('#compare');
    await expect.poll(() => page.getAttribute('#canvas-box', 'data-showing')).toBe('before');
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

  it('opens by drop and by paste, shows the photo upright from EXIF and keeps the ICC profile', async () => {
    const { page, errors } = await openEditor();
    /** Hands the page a JPEG the way a drop or a paste does: a File in a DataTransfer. */
    const deliver = (how: 'drop' | 'paste', name: string) =>
      page.evaluate(
        ([how, name, bytes]) => {
          const data = new DataTransfer();
          data.items.add(new File([new Uint8Array(bytes)], name, { type: 'image/jpeg' }));
          const event =
            how === 'drop'
              ? new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true })
              : new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true });
          (how === 'drop' ? document.querySelector('#stage')! : document).dispatchEvent(event);
        },
        [how, name, [...readFileSync(fixture(name))]] as const,
      );
    await deliver('drop', 'orient-6-ii.jpg');
    await shownSize(page, 64, 96);
    expect(await page.textContent('#facts')).toContain('6 (shown upright: 64 × 96)');

    await deliver('paste', 'small-icc.jpg');
    await shownSize(page, 96, 64);
    const options = { quality: 90, subsampling: '4:2:0', progressive: true, restartInterval: 2 };
    await page.check('#export-progressive');
    await page.fill('#export-restart', '2');
    await page.locator('#export-restart').dispatchEvent('change');
    const jpeg = await exported(page, options, 96, 64);
    const header = inspect(jpeg);
    const source = inspect(new Uint8Array(readFileSync(fixture('small-icc.jpg'))));
    expect(header.icc).toEqual(source.icc);
    expect([header.progressive, header.restartInterval]).toEqual([true, 2]);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('lists every backend: wasm available, webgpu with its capabilities or the reason it is unavailable', async () => {
    const { page } = await openEditor();
    expect(await page.locator('#backend option[value="wasm"]').isDisabled()).toBe(false);
    const webgpu = page.locator('#backends li[data-backend="webgpu"]');
    const detail = (await webgpu.locator('.detail').textContent()) ?? '';
    if ((await webgpu.getAttribute('data-available')) === 'true') {
      expect(await page.locator('#backend option[value="webgpu"]').isDisabled()).toBe(false);
    } else {
      expect(detail.length).toBeGreaterThan(10);
      expect(await page.locator('#backend option[value="webgpu"]').isDisabled()).toBe(true);
    }
    expect(await page.locator('#backends li[data-backend="cuda"] .detail').textContent()).toMatch(
      /not in a browser/,
    );
    // --enable-unsafe-webgpu exposes navigator.gpu, which the page reports.
    expect(await page.locator('#backends .env').textContent()).toContain('navigator.gpu: present');
    await page.close();
  }, 30_000);

  it('works on every available backend: each one opens, rotates and exports the photo', async () => {
    const { page, errors } = await openEditor();
    const backends = await page
      .locator('#backend option:not([disabled])')
      .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    expect(backends).toContain('wasm');
    console.log(`editor run on: ${backends.join(', ')}`);
    const source = new Uint8Array(readFileSync(fixture('testorig.jpg')));
    const upright = (await codec.decode(source, { orient: true })) as HostImage;
    const reference = ops.applyOp(upright, { op: 'rotate', angle: 270 });
    const timingsWhere = () => page.locator('#timings li .where').allTextContents();
    for (const backend of backends) {
      await page.selectOption('#backend', backend);
      const before = (await timingsWhere()).length;
      await page.click('[data-sample="testorig.jpg"]');
      await shownSize(page, 227, 149);
      await page.click('#rotate-270');
      await shownSize(page, 149, 227);
      const options = { quality: 100, subsampling: '4:4:4', progressive: false, restartInterval: 0 };
      await page.fill('#export-quality', '100');
      await page.selectOption('#export-subsampling', '4:4:4');
      await page.locator('#export-quality').dispatchEvent('change');
      const jpeg = await exported(page, options, 149, 227);
      const decoded = (await codec.decode(jpeg)) as HostImage;
      expect(psnr(decoded, reference), backend).toBeGreaterThan(40);
      // The timings name where each step ran: the chosen backend, or wasm for what it lacks.
      const all = await timingsWhere();
      const where = all.slice(0, all.length - before); // newest first
      expect(where.filter((w) => w !== backend && w !== 'wasm' && w !== 'core')).toEqual([]);
      expect(where).toContain(backend);
    }
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

  it('edits a 24-megapixel photo while the page thread stays free', async () => {
    const large = new Uint8Array(readFileSync(fixture('large-1024x640-420-q90.jpg')));
    const photo = await codec
      .pipeline(large)
      .resize({ width: 6000, height: 4000, fit: 'fill', filter: 'bilinear' })
      .toJpeg({ quality: 85 });
    const { page, errors } = await openEditor('wasm');
    await page.setInputFiles('#file', {
      name: 'big.jpg',
      mimeType: 'image/jpeg',
      buffer: Buffer.from(photo),
    });
    await shownSize(page, 6000, 4000);
    expect(await page.textContent('#facts')).toContain('6000 × 4000 (24.00 MP)');
    // Long tasks on the page's thread from here on (the file upload above is the test harness's own work).
    await page.evaluate(() => {
      const w = window as unknown as { longestTask: number };
      w.longestTask = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.longestTask = Math.max(w.longestTask, e.duration);
      }).observe({ type: 'longtask' });
    });
    await page.click('#rotate-90');
    // The page answers (this evaluate runs on its main thread) while the worker is still rotating.
    expect(await page.evaluate(() => document.body.dataset.busy)).toBe('true');
    await shownSize(page, 4000, 6000);
    await page.waitForFunction(
      () => document.querySelector<HTMLElement>('#download')?.dataset.size === '4000x6000',
    );
    const longest = await page.evaluate(() => (window as unknown as { longestTask: number }).longestTask);
    const timings = await page.locator('#timings li').allTextContents();
    console.log(
      `24 MP rotate + preview + export: longest task on the page's thread ${longest.toFixed(0)} ms`,
    );
    console.log(timings.slice(0, 3).join(' | '));
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
