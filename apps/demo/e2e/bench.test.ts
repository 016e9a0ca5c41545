import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveDemo } from './serve-demo.js';
import type { ServedDemo } from './serve-demo.js';

let demo: ServedDemo;

beforeAll(async () => {
  demo = await serveDemo();
}, 120_000);

afterAll(() => demo?.close());

describe('benchmark page', () => {
  it('completes a small run, renders its charts and offers the results as JSON', async () => {
    const { page, errors } = await demo.open('bench.html');
    await page.waitForSelector('#backends[data-ready="true"]');
    await page.fill('#seconds', '0.05');
    await page.click('#run');
    await page.waitForSelector('#results[data-complete="true"]', { timeout: 90_000 });
    // Chart.js drew bars: the canvases have painted pixels, not just a data-rendered flag.
    for (const id of ['#chart-mpps', '#chart-latency']) {
      expect(await page.getAttribute(id, 'data-rendered')).toBe('true');
      const painted = await page.locator(id).evaluate((canvas) => {
        const c = canvas as HTMLCanvasElement;
        const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
        let n = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
        return n / (c.width * c.height);
      });
      expect(painted).toBeGreaterThan(0.02);
    }
    const report = await page.evaluate(async () => {
      const href = document.querySelector<HTMLAnchorElement>('#download')!.href;
      return (await fetch(href)).json();
    });
    const rows = report.results as {
      workload: string;
      contender: string;
      mpps: number;
      jpegkitRatio: number;
    }[];
    for (const workload of ['decode', 'encode', 'thumbnail']) {
      const ours = rows.find((r) => r.workload === workload && r.contender === 'jpegkit-wasm');
      expect(ours?.mpps).toBeGreaterThan(0);
      expect(ours?.jpegkitRatio).toBe(1);
      expect(rows.some((r) => r.workload === workload && r.contender === 'browser')).toBe(true);
    }
    expect(rows.map((r) => r.contender)).toEqual(expect.arrayContaining(['jsquash', 'jpeg-js']));
    expect(report.corpus).toHaveLength(4);
    for (const r of rows) {
      const reference = rows.find((o) => o.workload === r.workload && o.contender === 'jpegkit-wasm')!;
      expect(r.jpegkitRatio).toBeCloseTo(reference.mpps / r.mpps, 9);
    }
    expect(await page.locator('#results-table tbody tr').count()).toBe(rows.length);
    // The committed server results are on the page too, each chart drawn.
    expect(await page.locator('#server h3').allTextContents()).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^GPU · gpu-h200-decode/),
        expect.stringMatching(/^CPU · full/),
      ]),
    );
    expect(await page.locator('#server canvas[data-rendered="true"]').count()).toBeGreaterThanOrEqual(4);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
