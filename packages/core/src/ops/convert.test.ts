import { describe, expect, it } from 'vitest';
import { createHostImage, PIXEL_FORMATS } from '../image.js';
import { convertImage, rgbToGray } from './convert.js';
import type { PixelFormat } from '../image.js';

type Rgba = [number, number, number, number];

/** Lays out pixels (given as R, G, B, A) the way `format` stores them — the test's own statement of the formats. */
function layout(format: PixelFormat, pixels: Rgba[], gray: (p: Rgba) => number): number[] {
  switch (format) {
    case 'rgb':
      return pixels.flatMap(([r, g, b]) => [r, g, b]);
    case 'bgr':
      return pixels.flatMap(([r, g, b]) => [b, g, r]);
    case 'rgba':
      return pixels.flatMap(([r, g, b, a]) => [r, g, b, a]);
    case 'bgra':
      return pixels.flatMap(([r, g, b, a]) => [b, g, r, a]);
    case 'gray':
      return pixels.map(gray);
    case 'rgb-planar':
      return [...pixels.map((p) => p[0]), ...pixels.map((p) => p[1]), ...pixels.map((p) => p[2])];
    case 'bgr-planar':
      return [...pixels.map((p) => p[2]), ...pixels.map((p) => p[1]), ...pixels.map((p) => p[0])];
  }
}

describe('rgbToGray (libjpeg fixed point)', () => {
  it('hand-checked values', () => {
    // 0.299·10 + 0.587·200 + 0.114·30 = 123.81; (19595·10 + 38470·200 + 7471·30 + 32768) >> 16 = 124.
    expect(rgbToGray(10, 200, 30)).toBe(124);
    expect(rgbToGray(255, 0, 0)).toBe(76); // 76.74 truncated after + ½: (4996725 + 32768) >> 16
    expect(rgbToGray(0, 255, 0)).toBe(150);
    expect(rgbToGray(0, 0, 255)).toBe(29);
    for (let v = 0; v < 256; v++) expect(rgbToGray(v, v, v)).toBe(v);
  });
});

describe('convertImage', () => {
  const hasAlpha = (f: PixelFormat) => f === 'rgba' || f === 'bgra';
  const colour: Rgba[] = [
    [10, 200, 30, 77],
    [255, 0, 128, 255],
    [1, 2, 3, 0],
  ];

  for (const from of PIXEL_FORMATS) {
    for (const to of PIXEL_FORMATS) {
      it(`${from} → ${to}`, () => {
        // What the source can hold: gray holds one value per pixel, formats without alpha are opaque.
        const pixels: Rgba[] =
          from === 'gray'
            ? colour.map(([r]) => [r, r, r, 255])
            : colour.map(([r, g, b, a]) => [r, g, b, hasAlpha(from) ? a : 255]);
        const src = createHostImage(3, 1, from, { data: Uint8Array.from(layout(from, pixels, (p) => p[0])) });
        const out = convertImage(src, to);
        expect(out.format).toBe(to);
        expect(Array.from(out.data)).toEqual(
          layout(to, pixels, ([r, g, b]) => (from === 'gray' ? r : rgbToGray(r, g, b))),
        );
      });
    }
  }

  it('honours the input stride and writes the requested output stride', () => {
    const src = createHostImage(2, 2, 'rgb', { stride: 7 });
    src.data.set([1, 2, 3, 4, 5, 6, 99], 0);
    src.data.set([7, 8, 9, 10, 11, 12], 7);
    const out = convertImage(src, 'bgra', { stride: 10 });
    expect(out.stride).toBe(10);
    expect(Array.from(out.data)).toEqual([
      3, 2, 1, 255, 6, 5, 4, 255, 0, 0, 9, 8, 7, 255, 12, 11, 10, 255, 0, 0,
    ]);
    const planar = convertImage(src, 'rgb-planar', { stride: 3 });
    expect(Array.from(planar.data)).toEqual([1, 4, 0, 7, 10, 0, 2, 5, 0, 8, 11, 0, 3, 6, 0, 9, 12, 0]);
    expect(Array.from(convertImage(planar, 'rgb').data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('keeps metadata and never shares the buffer', () => {
    const src = createHostImage(1, 1, 'rgb', { orientation: 3, data: Uint8Array.of(1, 2, 3) });
    src.icc = Uint8Array.of(7);
    const out = convertImage(src, 'rgb');
    expect([out.orientation, out.icc]).toEqual([3, src.icc]);
    expect(out.data).not.toBe(src.data);
  });

  it('rejects unknown formats and short strides', () => {
    const src = createHostImage(2, 1, 'rgb');
    expect(() => convertImage(src, 'yuv' as never)).toThrow(/for format but received "yuv"/);
    expect(() => convertImage(src, 'rgba', { stride: 7 })).toThrow(
      'Expected integer between 8 and 2147483648 for stride but received 7',
    );
  });
});
