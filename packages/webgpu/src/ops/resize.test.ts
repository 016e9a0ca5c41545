import { FIT_MODES, RESIZE_FILTERS, createHostImage, ops } from '@jpegkit/core';
import type { HostImage, OpStep, ResizeFilter } from '@jpegkit/core';
import { diffImages, describeDiff } from '@jpegkit/core/testing';
import { loadModule } from '@jpegkit/wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestDevice } from '../gpu.js';
import { GpuContext } from '../gpu-context.js';
import { downloadPixels, uploadHostImage } from '../pixel-transfer.js';
import { runOps } from './run-ops.js';
import { decodeFixture, useSwiftShader } from '../test-support.js';

useSwiftShader();

let device: GPUDevice;
let ctx: GpuContext;
const photos: Record<string, HostImage> = {};
/** The largest |Δ| and mean |Δ| seen per filter (and per fit mode), printed at the end for the record. */
const worst = new Map<string, { max: number; mean: number }>();

beforeAll(async () => {
  ({ device } = await requestDevice());
  ctx = new GpuContext(device);
  const wasm = await loadModule();
  for (const [name, file] of [
    ['photo', 'photo-420.jpg'],
    ['leaf', 'odd-33x21-420.jpg'],
    ['gray', 'photo-gray.jpg'],
  ] as const) {
    photos[name] = decodeFixture(wasm, file, name === 'gray' ? 'gray' : 'rgb');
  }
  wasm.dispose();
});

afterAll(() => {
  console.log(
    'webgpu resize, max |Δ| vs core:',
    [...worst].map(([k, v]) => `${k} ${v.max} (mean ${v.mean.toFixed(4)})`).join(', '),
  );
  device?.destroy();
});

/** A copy of `img` with an alpha channel that varies (and is 0 and 255 somewhere), for premultiplication. */
function withAlpha(img: HostImage): HostImage {
  const rgba = ops.convertImage(img, 'rgba');
  for (let i = 0; i < img.width * img.height; i++) {
    const x = i % img.width;
    rgba.data[i * 4 + 3] = x === 0 ? 0 : x === img.width - 1 ? 255 : (i * 37) % 256;
  }
  return rgba;
}

function resizeStep(
  width: number,
  height: number,
  filter: ResizeFilter,
  extra: Partial<OpStep> = {},
): OpStep {
  return {
    op: 'resize',
    width,
    height,
    fit: 'fill',
    filter,
    linear: false,
    background: [10, 200, 30, 128],
    ...extra,
  } as OpStep;
}

/**
 * Runs `steps` on the GPU and with core's applyOp and asserts max |Δ| ≤ 1. A float32 sum differs from core's
 * double only when the exact value lies within a hair of a rounding boundary, so differing samples must also be
 * rare: the bound on how many differ catches a systematic error (a rounding bias, a shifted kernel) that ±1
 * alone would hide. (Rational scales put many exact values on x.5 — 2 % of a 1×120 → 3×250 bilinear column — where
 * float32 and double round either way; 5 % leaves room for that.)
 */
async function compare(img: HostImage, steps: OpStep[], label: string): Promise<number> {
  const { pixels, alpha } = uploadHostImage(ctx, img);
  const out = await runOps(ctx, pixels, steps, { alpha });
  const actual = await downloadPixels(ctx, out, img.format);
  pixels.buffer.destroy();
  out.buffer.destroy();
  const expected = steps.reduce((acc, step) => ops.applyOp(acc, step), img);
  const diff = diffImages(actual, expected, 1);
  expect(diff.maxAbs, `${label}: ${describeDiff(diff)}`).toBeLessThanOrEqual(1);
  // With max |Δ| ≤ 1, mean |Δ| · samples is the number of samples that differ.
  const samples = expected.width * expected.height * ops.channelLayouts(expected).length;
  const differing = Math.round(diff.meanAbs * samples);
  expect(differing, `${label}: ${describeDiff(diff)}`).toBeLessThanOrEqual(Math.max(3, samples / 20));
  const seen = worst.get(label) ?? { max: 0, mean: 0 };
  worst.set(label, { max: Math.max(seen.max, diff.maxAbs), mean: Math.max(seen.mean, diff.meanAbs) });
  return diff.maxAbs;
}

describe('resize on the GPU vs core (±1)', () => {
  for (const filter of RESIZE_FILTERS) {
    it(`${filter}: shrinking, enlarging and odd sizes of real photos`, async () => {
      const photo = photos.photo!;
      const leaf = photos.leaf!;
      await compare(photo, [resizeStep(37, 29, filter)], filter); // 160x120 → antialiased shrink
      await compare(photo, [resizeStep(150, 31, filter)], filter); // nearly 1:1 one way, 4x the other
      await compare(leaf, [resizeStep(70, 45, filter)], filter); // 33x21 → enlarge by ~2.1
      await compare(leaf, [resizeStep(13, 50, filter)], filter); // shrink one axis, enlarge the other
      await compare(photos.gray!, [resizeStep(41, 23, filter)], filter);
    });

    it(`${filter}: linear light and premultiplied alpha`, async () => {
      const small = ops.resizeImage(photos.photo!, 40, 30, { filter: 'box' });
      await compare(small, [resizeStep(17, 11, filter, { linear: true })], filter);
      await compare(small, [resizeStep(91, 53, filter, { linear: true })], filter);
      const rgba = withAlpha(small);
      await compare(rgba, [resizeStep(23, 13, filter)], filter);
      await compare(rgba, [resizeStep(61, 47, filter, { linear: true })], filter);
    });

    it(`${filter}: 1x1, single rows and columns`, async () => {
      const one = createHostImage(1, 1, 'rgb', { data: Uint8Array.of(200, 17, 99) });
      await compare(one, [resizeStep(5, 3, filter)], filter);
      const row = ops.cropImage(photos.photo!, { x: 0, y: 60, width: 160, height: 1 });
      await compare(row, [resizeStep(7, 4, filter)], filter);
      await compare(row, [resizeStep(1, 1, filter)], filter);
      const column = ops.cropImage(photos.photo!, { x: 80, y: 0, width: 1, height: 120 });
      await compare(column, [resizeStep(3, 250, filter)], filter);
    });
  }

  for (const fit of FIT_MODES) {
    it(`fit ${fit}: geometry, crop window and padding`, async () => {
      const photo = photos.photo!;
      const label = `fit ${fit}`;
      await compare(photo, [resizeStep(50, 50, 'lanczos3', { fit })], label);
      await compare(photo, [resizeStep(90, 0, 'mitchell', { fit })], label);
      await compare(photo, [resizeStep(0, 33, 'bilinear', { fit })], label);
      await compare(photo, [resizeStep(300, 100, 'catmull-rom', { fit })], label);
      await compare(withAlpha(photos.leaf!), [resizeStep(40, 40, 'box', { fit })], label);
      await compare(photos.gray!, [resizeStep(64, 20, 'nearest', { fit })], label);
      // Same size as the source: only the window (a copy, a crop or padding), no resampling.
      await compare(photo, [resizeStep(160, 160, 'lanczos3', { fit })], label);
    });
  }
});
