import { describe, expect, it } from 'vitest';
import { createHostImage } from '../image.js';
import { backgroundSamples, resizeFit, resolveResize, scaledSize } from './fit.js';
import type { HostImage, PixelFormat } from '../image.js';
import type { ResizeFitStep, ResizeGeometry } from './fit.js';

function image(width: number, height: number, format: PixelFormat, values: number[]): HostImage {
  return createHostImage(width, height, format, { data: Uint8Array.from(values) });
}

function geometry(
  resizeWidth: number,
  resizeHeight: number,
  width: number,
  height: number,
  crop: [number, number] = [0, 0],
  pad: [number, number] = [0, 0],
): ResizeGeometry {
  return {
    resizeWidth,
    resizeHeight,
    width,
    height,
    cropX: crop[0],
    cropY: crop[1],
    padX: pad[0],
    padY: pad[1],
  };
}

function step(
  g: ResizeGeometry,
  background: [number, number, number, number] = [0, 0, 0, 255],
): ResizeFitStep {
  return { ...g, filter: 'box', linear: false, background };
}

describe('resolveResize (sharp fit modes)', () => {
  it('400×300 into 200×200 in each mode', () => {
    const box = { width: 200, height: 200 };
    // cover: shrink by min(2, 1.5) = 1.5 → 266.7 × 200 → 267×200, cropped at x = (67 + 1) / 2 = 34.
    expect(resolveResize(400, 300, { ...box, fit: 'cover' })).toEqual(geometry(267, 200, 200, 200, [34, 0]));
    // contain: shrink by max(2, 1.5) = 2 → 200×150, padded at y = 50 / 2 = 25.
    expect(resolveResize(400, 300, { ...box, fit: 'contain' })).toEqual(
      geometry(200, 150, 200, 200, [0, 0], [0, 25]),
    );
    expect(resolveResize(400, 300, { ...box, fit: 'inside' })).toEqual(geometry(200, 150, 200, 150));
    expect(resolveResize(400, 300, { ...box, fit: 'outside' })).toEqual(geometry(267, 200, 267, 200));
    expect(resolveResize(400, 300, { ...box, fit: 'fill' })).toEqual(geometry(200, 200, 200, 200));
  });

  it('defaults to cover', () => {
    expect(resolveResize(400, 300, { width: 200, height: 200 })).toEqual(
      geometry(267, 200, 200, 200, [34, 0]),
    );
  });

  it('keeps the aspect ratio when one side is omitted (or 0), except fill, which keeps the other side', () => {
    for (const fit of ['cover', 'contain', 'inside', 'outside'] as const) {
      expect(resolveResize(400, 300, { width: 200, fit })).toEqual(geometry(200, 150, 200, 150));
      expect(resolveResize(400, 300, { height: 100, fit })).toEqual(geometry(133, 100, 133, 100));
      expect(resolveResize(400, 300, { width: 0, height: 100, fit })).toEqual(geometry(133, 100, 133, 100));
    }
    expect(resolveResize(400, 300, { width: 200, fit: 'fill' })).toEqual(geometry(200, 300, 200, 300));
    expect(resolveResize(400, 300, { height: 100, fit: 'fill' })).toEqual(geometry(400, 100, 400, 100));
  });

  it('crops an odd excess with the extra column on the left (cover), pads it on the right (contain)', () => {
    // No resampling (shrink 1); 101 columns too many: sharp crops from (101 + 1) / 2 = 51.
    expect(resolveResize(401, 300, { width: 300, height: 300, fit: 'cover' })).toEqual(
      geometry(401, 300, 300, 300, [51, 0]),
    );
    // 101 columns short: sharp places the image at 101 / 2 = 50.
    expect(resolveResize(300, 400, { width: 401, height: 400, fit: 'contain' })).toEqual(
      geometry(300, 400, 401, 400, [0, 0], [50, 0]),
    );
  });

  it('enlarges too (there is no withoutEnlargement)', () => {
    expect(resolveResize(40, 30, { width: 400, fit: 'inside' })).toEqual(geometry(400, 300, 400, 300));
    expect(resolveResize(40, 30, { width: 100, height: 100, fit: 'cover' })).toEqual(
      geometry(133, 100, 100, 100, [17, 0]),
    );
  });

  it('never reaches 0 pixels: a shrink is capped at the source size', () => {
    expect(resolveResize(1000, 3, { width: 10, height: 10, fit: 'inside' })).toEqual(geometry(10, 1, 10, 1));
    expect(resolveResize(3, 1000, { width: 10, height: 10, fit: 'contain' })).toEqual(
      geometry(1, 10, 10, 10, [0, 0], [4, 0]),
    );
  });

  it('rounds x.5 up as libvips does, including when the double quotient falls just short', () => {
    expect(scaledSize(400, 1.5)).toBe(267);
    // 4.5 on paper, but libvips' 7 / (1 / (1 / s)) is 4.499999999999999: sharp gives 4, not Math.round's 5.
    expect(scaledSize(7, 14 / 9)).toBe(4);
    expect(Math.round(7 / (14 / 9))).toBe(5);
    // Enlarging 5 by 13/10: 6.5 on paper, 5 · (1 / (10/13)) = 6.499999999999999 → 6.
    expect(scaledSize(5, 10 / 13)).toBe(6);
    expect(scaledSize(5, 10 / 29)).toBe(15);
    expect(scaledSize(3, 2)).toBe(2); // 1.5 → 2
    expect(scaledSize(3, 0.4)).toBe(8); // enlarging: 7.5 → 8
    expect(scaledSize(9, 9)).toBe(1);
    expect(resolveResize(5, 10, { height: 3 })).toEqual(geometry(2, 3, 2, 3));
    expect(resolveResize(7, 14, { height: 9 })).toEqual(geometry(4, 9, 4, 9));
  });

  it('rejects a missing size, bad sizes and unknown modes', () => {
    expect(() => resolveResize(10, 10, {})).toThrow(
      'Expected a width or a height for resize but received an object',
    );
    expect(() => resolveResize(10, 10, { width: -1 })).toThrow(
      'Expected integer between 0 and 65535 for width but received -1',
    );
    expect(() => resolveResize(10, 10, { width: 5, fit: 'stretch' as never })).toThrow(
      /for fit but received "stretch"/,
    );
  });
});

describe('backgroundSamples', () => {
  it('orders the background as the format stores it', () => {
    const bg = [255, 128, 0, 64];
    expect(backgroundSamples(bg, 'rgb')).toEqual([255, 128, 0]);
    expect(backgroundSamples(bg, 'bgr-planar')).toEqual([0, 128, 255]);
    expect(backgroundSamples(bg, 'rgba')).toEqual([255, 128, 0, 64]);
    expect(backgroundSamples(bg, 'bgra')).toEqual([0, 128, 255, 64]);
    // (19595·255 + 38470·128 + 0 + 32768) >> 16 = 151.
    expect(backgroundSamples(bg, 'gray')).toEqual([151]);
  });
});

describe('resizeFit', () => {
  it('contain pads with the background around the resampled image', () => {
    const src = image(4, 2, 'gray', [1, 2, 3, 4, 5, 6, 7, 8]);
    const g = resolveResize(4, 2, { width: 4, height: 4, fit: 'contain' });
    expect(g).toEqual(geometry(4, 2, 4, 4, [0, 0], [0, 1]));
    // Red pads gray as its luma (19595 · 255 + 32768) >> 16 = 76.
    const out = resizeFit(src, step(g, [255, 0, 0, 255]));
    expect([out.width, out.height]).toEqual([4, 4]);
    expect(Array.from(out.data)).toEqual([76, 76, 76, 76, 1, 2, 3, 4, 5, 6, 7, 8, 76, 76, 76, 76]);
  });

  it('contain pads rgba with the background alpha, in bgr order for bgr', () => {
    const rgba = resizeFit(
      image(1, 1, 'rgba', [9, 9, 9, 9]),
      step(geometry(1, 1, 3, 1, [0, 0], [1, 0]), [10, 20, 30, 40]),
    );
    expect(Array.from(rgba.data)).toEqual([10, 20, 30, 40, 9, 9, 9, 9, 10, 20, 30, 40]);
    const bgr = resizeFit(
      image(1, 1, 'bgr', [9, 9, 9]),
      step(geometry(1, 1, 1, 2, [0, 0], [0, 0]), [10, 20, 30, 40]),
    );
    expect(Array.from(bgr.data)).toEqual([9, 9, 9, 30, 20, 10]);
  });

  it('cover resamples then crops the centre', () => {
    // 8×4 into 2×2: shrink min(4, 2) = 2 → 4×2 (box: means of 2×2 blocks), then columns 1–2 of it.
    const src = image(
      8,
      4,
      'gray',
      [
        0, 2, 10, 12, 20, 22, 30, 32, 4, 6, 14, 16, 24, 26, 34, 36, 40, 42, 50, 52, 60, 62, 70, 72, 44, 46,
        54, 56, 64, 66, 74, 76,
      ],
    );
    const g = resolveResize(8, 4, { width: 2, height: 2, fit: 'cover' });
    expect(g).toEqual(geometry(4, 2, 2, 2, [1, 0]));
    expect(Array.from(resizeFit(src, step(g)).data)).toEqual([13, 23, 53, 63]);
  });

  it('planar images are padded plane by plane', () => {
    const src = image(1, 1, 'rgb-planar', [1, 2, 3]);
    const out = resizeFit(src, step(geometry(1, 1, 2, 1, [0, 0], [1, 0]), [7, 8, 9, 255]));
    expect(Array.from(out.data)).toEqual([7, 1, 8, 2, 9, 3]);
  });

  it('returns a fresh image even when nothing changes', () => {
    const src = image(2, 1, 'gray', [5, 6]);
    const out = resizeFit(src, step(geometry(2, 1, 2, 1)));
    expect(Array.from(out.data)).toEqual([5, 6]);
    expect(out.data).not.toBe(src.data);
  });

  it('rejects inconsistent geometry and bad backgrounds', () => {
    const src = image(2, 1, 'gray', [5, 6]);
    expect(() => resizeFit(src, step(geometry(2, 1, 2, 1, [1, 0])))).toThrow(
      'Expected integer between 0 and 0 for cropX but received 1',
    );
    expect(() => resizeFit(src, step(geometry(2, 1, 2, 1), [0, 0, 300, 0]))).toThrow(
      'Expected integer between 0 and 255 for background[2] but received 300',
    );
  });
});
