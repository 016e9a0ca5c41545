import { JpegError, PIXEL_FORMATS, createHostImage, ops } from '@jpegkit/core';
import type { HostImage, OpStep, PixelFormat } from '@jpegkit/core';
import { diffImages, describeDiff } from '@jpegkit/core/testing';
import { loadModule } from '@jpegkit/wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestDevice } from '../gpu.js';
import { GpuContext } from '../gpu-context.js';
import { downloadPixels, uploadHostImage } from '../pixel-transfer.js';
import { alphaAfter, runOps } from './run-ops.js';
import { decodeFixture, useSwiftShader } from '../test-support.js';

useSwiftShader();

let device: GPUDevice;
let ctx: GpuContext;
const photos: Record<string, HostImage> = {};
/** The largest |Δ| seen per op, printed at the end for the record. */
const worst = new Map<string, number>();

beforeAll(async () => {
  ({ device } = await requestDevice());
  ctx = new GpuContext(device);
  const wasm = await loadModule();
  for (const [name, file, format] of [
    ['photo', 'photo-420.jpg', 'rgb'],
    ['odd', 'odd-35x27-422.jpg', 'rgb'],
    ['gray', 'photo-gray.jpg', 'gray'],
  ] as const) {
    const img = decodeFixture(wasm, file, format);
    // Downsized (box, exact in core) so that SwiftShader stays quick.
    photos[name] = name === 'odd' ? img : ops.resizeImage(img, 64, 48, { filter: 'box' });
  }
  photos.rgba = withAlpha(photos.photo!);
  photos.one = createHostImage(1, 1, 'rgb', { data: Uint8Array.of(3, 128, 251) });
  wasm.dispose();
});

afterAll(() => {
  console.log('webgpu ops, max |Δ| vs core:', [...worst].map(([k, v]) => `${k} ${v}`).join(', '));
  device?.destroy();
});

function withAlpha(img: HostImage): HostImage {
  const rgba = ops.convertImage(img, 'rgba');
  for (let i = 0; i < img.width * img.height; i++) rgba.data[i * 4 + 3] = (i * 53) % 256;
  return rgba;
}

/** The format an image has after `steps` (the last convert's, else its own). */
function formatAfter(img: HostImage, steps: readonly OpStep[]): PixelFormat {
  let format = img.format;
  for (const step of steps) if (step.op === 'convert') format = step.format;
  return format;
}

/** GPU vs core's applyOp for `steps`; asserts max |Δ| ≤ `tolerance` and records it under `label`. */
async function compare(img: HostImage, steps: OpStep[], label: string, tolerance = 1): Promise<number> {
  const { pixels, alpha } = uploadHostImage(ctx, img);
  const out = await runOps(ctx, pixels, steps, { alpha });
  const actual = await downloadPixels(ctx, out, formatAfter(img, steps));
  expect(out.buffer).not.toBe(pixels.buffer);
  expect(out.gray).toBe(actual.format === 'gray');
  pixels.buffer.destroy();
  out.buffer.destroy();
  const expected = steps.reduce((acc, step) => ops.applyOp(acc, step), img);
  const diff = diffImages(actual, expected, tolerance);
  expect(
    diff.maxAbs,
    `${label} on ${img.width}x${img.height} ${img.format}: ${describeDiff(diff)}`,
  ).toBeLessThanOrEqual(tolerance);
  worst.set(label, Math.max(worst.get(label) ?? 0, diff.maxAbs));
  return diff.maxAbs;
}

const IMAGES = ['photo', 'odd', 'gray', 'rgba', 'one'] as const;

describe('pixel ops on the GPU vs core', () => {
  it('sharpen (±1): several sigmas, amounts and thresholds', async () => {
    for (const name of IMAGES) {
      const img = photos[name]!;
      await compare(img, [{ op: 'sharpen', sigma: 0.3, amount: 1, threshold: 0 }], 'sharpen');
      await compare(img, [{ op: 'sharpen', sigma: 1.5, amount: 2.5, threshold: 4 }], 'sharpen');
      await compare(img, [{ op: 'sharpen', sigma: 10, amount: 0.7, threshold: 0 }], 'sharpen');
    }
  });

  it('crop, rotate, flip, flop and orient 1–8 (exact)', async () => {
    for (const name of IMAGES) {
      const img = photos[name]!;
      const w = img.width;
      const h = img.height;
      await compare(
        img,
        [{ op: 'crop', x: w >> 2, y: h >> 3, width: (w >> 1) + 1, height: (h >> 1) + 1 }],
        'crop',
        0,
      );
      await compare(img, [{ op: 'crop', x: w - 1, y: h - 1, width: 1, height: 1 }], 'crop', 0);
      for (const angle of [90, 180, 270] as const) await compare(img, [{ op: 'rotate', angle }], 'rotate', 0);
      await compare(img, [{ op: 'flip' }], 'flip', 0);
      await compare(img, [{ op: 'flop' }], 'flop', 0);
      for (const orientation of [1, 2, 3, 4, 5, 6, 7, 8] as const) {
        await compare(img, [{ op: 'orient', orientation }], 'orient', 0);
      }
    }
  });

  it('adjust (exact): brightness and contrast, alpha untouched', async () => {
    for (const name of IMAGES) {
      const img = photos[name]!;
      await compare(img, [{ op: 'adjust', brightness: 0.1, contrast: 1.2 }], 'adjust', 0);
      await compare(img, [{ op: 'adjust', brightness: -1, contrast: 4 }], 'adjust', 0);
      await compare(img, [{ op: 'adjust', brightness: 0.37, contrast: 0 }], 'adjust', 0);
    }
  });

  it('convert (exact) to every format', async () => {
    for (const name of IMAGES) {
      for (const format of PIXEL_FORMATS) {
        await compare(photos[name]!, [{ op: 'convert', format }], 'convert', 0);
      }
    }
  });

  it('chains of steps in one submission (±1)', async () => {
    const chain: OpStep[] = [
      { op: 'orient', orientation: 6 },
      { op: 'crop', x: 3, y: 5, width: 40, height: 50 },
      {
        op: 'resize',
        width: 30,
        height: 30,
        fit: 'contain',
        filter: 'lanczos3',
        linear: true,
        background: [255, 0, 128, 60],
      },
      { op: 'sharpen', sigma: 0.8, amount: 1.5, threshold: 1 },
      { op: 'adjust', brightness: -0.05, contrast: 1.1 },
      { op: 'rotate', angle: 270 },
      { op: 'flop' },
    ];
    for (const name of ['photo', 'gray', 'rgba'] as const) await compare(photos[name]!, chain, 'chain');
    await compare(photos.rgba!, [...chain, { op: 'convert', format: 'bgr' }], 'chain');
    await compare(photos.photo!, [{ op: 'convert', format: 'gray' }, ...chain], 'chain');
    await compare(photos.gray!, [{ op: 'convert', format: 'rgba' }, ...chain], 'chain');
    await compare(photos.photo!, [], 'chain', 0);
  });

  it('reuses pooled buffers: a repeated pipeline creates no new buffer', async () => {
    const own = new GpuContext(device);
    const steps: OpStep[] = [
      {
        op: 'resize',
        width: 20,
        height: 0,
        fit: 'inside',
        filter: 'mitchell',
        linear: false,
        background: [0, 0, 0, 255],
      },
      { op: 'sharpen', sigma: 1, amount: 1, threshold: 0 },
    ];
    const { pixels } = uploadHostImage(own, photos.photo!);
    const first = await runOps(own, pixels, steps);
    own.buffers.release(first.buffer);
    const kept = own.buffers.freeBytes;
    const second = await runOps(own, pixels, steps);
    // Everything the second run needed came out of the pool (it would have grown by new buffers otherwise).
    expect(own.buffers.freeBytes).toBe(kept - second.buffer.size);
    const image = await downloadPixels(own, second, 'rgb');
    expect(diffImages(image, steps.reduce(ops.applyOp, photos.photo!)).maxAbs).toBeLessThanOrEqual(1);
    own.dispose();
  });

  it('works with pooled buffers larger than the pixels (the pool rounds sizes up to powers of two)', async () => {
    const img = photos.rgba!;
    const steps: OpStep[] = [
      { op: 'crop', x: 1, y: 2, width: 37, height: 29 },
      {
        op: 'resize',
        width: 23,
        height: 0,
        fit: 'inside',
        filter: 'lanczos3',
        linear: true,
        background: [0, 0, 0, 255],
      },
      { op: 'adjust', brightness: 0.1, contrast: 1.3 },
      { op: 'convert', format: 'gray' },
    ];
    const { pixels, alpha } = uploadHostImage(ctx, img);
    const out = await runOps(ctx, pixels, steps, { alpha });
    expect(out.buffer.size).toBeGreaterThan(out.width * out.height * 4);
    const actual = await downloadPixels(ctx, out, 'gray');
    expect(diffImages(actual, steps.reduce(ops.applyOp, img)).maxAbs).toBeLessThanOrEqual(1);
  });

  it('runs concurrent pipelines on one device, each with its own result', async () => {
    const jobs: [HostImage, OpStep[]][] = [
      [photos.photo!, [{ op: 'sharpen', sigma: 2, amount: 1, threshold: 0 }]],
      [
        photos.gray!,
        [
          { op: 'rotate', angle: 270 },
          { op: 'adjust', brightness: 0.2, contrast: 0.5 },
        ],
      ],
      [
        photos.rgba!,
        [
          {
            op: 'resize',
            width: 31,
            height: 17,
            fit: 'fill',
            filter: 'catmull-rom',
            linear: true,
            background: [0, 0, 0, 255],
          },
        ],
      ],
      [
        photos.odd!,
        [
          { op: 'crop', x: 1, y: 1, width: 20, height: 9 },
          { op: 'convert', format: 'gray' },
        ],
      ],
    ];
    const results = await Promise.all(
      jobs.map(async ([img, steps]) => {
        const { pixels, alpha } = uploadHostImage(ctx, img);
        const out = await runOps(ctx, pixels, steps, { alpha });
        const actual = await downloadPixels(ctx, out, formatAfter(img, steps));
        pixels.buffer.destroy();
        out.buffer.destroy();
        return diffImages(actual, steps.reduce(ops.applyOp, img)).maxAbs;
      }),
    );
    for (const maxAbs of results) expect(maxAbs).toBeLessThanOrEqual(1);
  });

  it('rejects pixels whose buffer is gone (a WebGPU validation error) and keeps working after', async () => {
    const { pixels } = uploadHostImage(ctx, photos.odd!);
    pixels.buffer.destroy();
    await expect(runOps(ctx, pixels, [{ op: 'flip' }])).rejects.toMatchObject({ code: 'E_BACKEND_INIT' });
    await compare(photos.odd!, [{ op: 'flip' }], 'flip', 0);
  });

  it('says which convert leaves an alpha channel', () => {
    expect(alphaAfter([{ op: 'convert', format: 'rgba' }, { op: 'flip' }], false)).toBe(true);
    expect(alphaAfter([{ op: 'convert', format: 'rgb' }], true)).toBe(false);
    expect(alphaAfter([{ op: 'flip' }], true)).toBe(true);
  });

  it('rejects bad steps with E_INVALID_ARGUMENT, as core does', async () => {
    const { pixels } = uploadHostImage(ctx, photos.odd!);
    const bad: OpStep[] = [
      { op: 'crop', x: 30, y: 0, width: 10, height: 5 },
      { op: 'rotate', angle: 45 as 90 },
      { op: 'sharpen', sigma: 0.1, amount: 1, threshold: 0 },
      { op: 'adjust', brightness: 2, contrast: 1 },
      { op: 'orient', orientation: 9 as 1 },
      { op: 'convert', format: 'cmyk' as 'rgb' },
      {
        op: 'resize',
        width: 0,
        height: 0,
        fit: 'fill',
        filter: 'box',
        linear: false,
        background: [0, 0, 0, 255],
      },
      {
        op: 'resize',
        width: 9,
        height: 9,
        fit: 'fill',
        filter: 'cubic' as 'box',
        linear: false,
        background: [0, 0, 0, 255],
      },
      { op: 'blur' } as unknown as OpStep,
    ];
    for (const step of bad) {
      const expected = (() => {
        try {
          ops.applyOp(photos.odd!, step);
          return undefined;
        } catch (error) {
          return error as JpegError;
        }
      })();
      expect(expected, JSON.stringify(step)).toBeInstanceOf(JpegError);
      await expect(runOps(ctx, pixels, [step]), JSON.stringify(step)).rejects.toMatchObject({
        code: 'E_INVALID_ARGUMENT',
        message: expected!.message,
      });
    }
    pixels.buffer.destroy();
  });
});
