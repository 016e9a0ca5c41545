import { describe, expect, it } from 'vitest';
import { JpegError } from '../errors.js';
import { createHostImage } from '../image.js';
import { applyOp } from './index.js';
import type { HostImage } from '../image.js';
import type { OpStep } from '../pipeline.js';

/** A 4×2 rgb image with padded rows (stride 14) and metadata, to check what every op must preserve. */
function source(): HostImage {
  const img = createHostImage(4, 2, 'rgb', { stride: 14, orientation: 6 });
  for (let y = 0; y < 2; y++) for (let i = 0; i < 12; i++) img.data[y * 14 + i] = y * 100 + i * 10;
  img.data.fill(255, 12, 14); // padding
  img.icc = Uint8Array.of(1, 2, 3);
  img.backend = 'wasm';
  return img;
}

const RESIZE: OpStep = {
  op: 'resize',
  width: 2,
  height: 1,
  fit: 'fill',
  filter: 'box',
  linear: false,
  background: [0, 0, 0, 255],
};

const STEPS: OpStep[] = [
  RESIZE,
  { op: 'sharpen', sigma: 1, amount: 1, threshold: 0 },
  { op: 'crop', x: 1, y: 0, width: 2, height: 2 },
  { op: 'rotate', angle: 90 },
  { op: 'flip' },
  { op: 'flop' },
  { op: 'orient', orientation: 6 },
  { op: 'adjust', brightness: 0, contrast: 2 },
  { op: 'convert', format: 'gray' },
];

describe('applyOp', () => {
  it('dispatches each op kind (hand-checked results on the 4×2 image)', () => {
    // Rows: 0 10 20 | 30 40 50 | 60 70 80 | 90 100 110 and 100 110 120 | … | 190 200 210.
    const at = (step: OpStep) => {
      const out = applyOp(source(), step);
      return [out.width, out.height, ...out.data];
    };
    // Box 4×2 → 2×1: mean of 2×2 blocks: (0 + 30 + 100 + 130) / 4 = 65, …
    expect(at(RESIZE)).toEqual([2, 1, 65, 75, 85, 125, 135, 145]);
    expect(at({ op: 'crop', x: 1, y: 0, width: 2, height: 2 })).toEqual([
      2, 2, 30, 40, 50, 60, 70, 80, 130, 140, 150, 160, 170, 180,
    ]);
    expect(at({ op: 'rotate', angle: 180 })).toEqual([
      4, 2, 190, 200, 210, 160, 170, 180, 130, 140, 150, 100, 110, 120, 90, 100, 110, 60, 70, 80, 30, 40, 50,
      0, 10, 20,
    ]);
    expect(at({ op: 'flip' }).slice(2, 5)).toEqual([100, 110, 120]);
    expect(at({ op: 'flop' }).slice(2, 5)).toEqual([90, 100, 110]);
    // Orientation 6 is rotated 90° clockwise: 2×4, the top row is the left column from the bottom up.
    expect(at({ op: 'orient', orientation: 6 }).slice(0, 8)).toEqual([2, 4, 100, 110, 120, 0, 10, 20]);
    // Contrast 2: (v − 128) · 2 + 128 → 0 10 20 → 0 0 0 (clamped), 90 100 110 → 52 72 92.
    expect(at({ op: 'adjust', brightness: 0, contrast: 2 }).slice(2, 14)).toEqual([
      0, 0, 0, 0, 0, 0, 0, 12, 32, 52, 72, 92,
    ]);
    // Gray: (19595 · 0 + 38470 · 10 + 7471 · 20 + 32768) >> 16 = 8.
    expect(at({ op: 'convert', format: 'gray' }).slice(0, 3)).toEqual([4, 2, 8]);
  });

  it('resize with fit and an omitted side (0) follows resolveResize', () => {
    const out = applyOp(source(), { ...RESIZE, width: 2, height: 0, fit: 'cover' });
    expect([out.width, out.height]).toEqual([2, 1]);
    const contain = applyOp(source(), {
      ...RESIZE,
      width: 4,
      height: 4,
      fit: 'contain',
      background: [9, 8, 7, 255],
    });
    // 4×2 in 4×4: no resampling, one background row above and below.
    expect([
      contain.width,
      contain.height,
      ...contain.data.subarray(0, 3),
      ...contain.data.subarray(12, 15),
    ]).toEqual([4, 4, 9, 8, 7, 0, 10, 20]);
  });

  for (const step of STEPS) {
    it(`${step.op}: new tight image, input untouched, metadata kept`, () => {
      const src = source();
      const before = Uint8Array.from(src.data);
      const out = applyOp(src, step);
      expect(src.data).toEqual(before);
      expect(out.data).not.toBe(src.data);
      const bpp = step.op === 'convert' ? 1 : 3;
      expect(out.stride).toBe(out.width * bpp);
      expect(out.data.length).toBe(out.stride * out.height);
      expect(out.format).toBe(step.op === 'convert' ? step.format : 'rgb');
      expect(out.orientation).toBe(step.op === 'orient' ? 1 : 6);
      expect(out.icc).toBe(src.icc);
      expect(out.backend).toBe('wasm');
    });
  }

  it('throws E_INVALID_ARGUMENT with the standard message on bad arguments', () => {
    const bad: [OpStep, string][] = [
      [
        { op: 'crop', x: 3, y: 0, width: 2, height: 1 },
        'Expected integer between 1 and 1 for crop.width but received 2',
      ],
      [{ op: 'rotate', angle: 45 as never }, 'Expected one of 90, 180, 270 for angle but received 45'],
      [
        { op: 'orient', orientation: 0 as never },
        'Expected integer between 1 and 8 for orientation but received 0',
      ],
      [
        { op: 'adjust', brightness: 2, contrast: 1 },
        'Expected number between -1 and 1 for brightness but received 2',
      ],
      [
        { op: 'sharpen', sigma: 11, amount: 1, threshold: 0 },
        'Expected number between 0.3 and 10 for sigma but received 11',
      ],
      [{ op: 'convert', format: 'cmyk' as never }, /for format but received "cmyk"/ as never],
      [{ ...RESIZE, width: 0, height: 0 }, 'Expected a width or a height for resize but received an object'],
      [{ ...RESIZE, filter: 'bicubic' as never }, /for filter but received "bicubic"/ as never],
      [{ op: 'blur' } as never, /for step.op but received "blur"/ as never],
    ];
    for (const [step, message] of bad) {
      let error: unknown;
      try {
        applyOp(source(), step);
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(step)).toBeInstanceOf(JpegError);
      expect((error as JpegError).code).toBe('E_INVALID_ARGUMENT');
      expect((error as JpegError).message).toMatch(message);
    }
  });

  it('checks the image itself', () => {
    const img = source();
    img.stride = 5;
    expect(() => applyOp(img, { op: 'flip' })).toThrow(
      'Expected integer between 12 and 2147483648 for image.stride but received 5',
    );
  });
});
