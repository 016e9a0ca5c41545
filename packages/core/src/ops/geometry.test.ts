import { describe, expect, it } from 'vitest';
import { createHostImage } from '../image.js';
import { cropImage } from './crop.js';
import { flipImage, flopImage, transposeImage, transverseImage } from './flip.js';
import { rotateImage } from './rotate.js';
import type { HostImage, PixelFormat } from '../image.js';

function image(width: number, height: number, format: PixelFormat, values: number[]): HostImage {
  return createHostImage(width, height, format, { data: Uint8Array.from(values) });
}

/** The 3×2 image
 *   1 2 3
 *   4 5 6 */
const img = () => image(3, 2, 'gray', [1, 2, 3, 4, 5, 6]);

const dims = (i: HostImage) => [i.width, i.height];

describe('rotateImage (clockwise)', () => {
  it('90: the left column, bottom to top, becomes the top row', () => {
    const out = rotateImage(img(), 90);
    expect(dims(out)).toEqual([2, 3]);
    expect(Array.from(out.data)).toEqual([4, 1, 5, 2, 6, 3]);
  });
  it('180', () => {
    const out = rotateImage(img(), 180);
    expect(dims(out)).toEqual([3, 2]);
    expect(Array.from(out.data)).toEqual([6, 5, 4, 3, 2, 1]);
  });
  it('270: the right column, top to bottom, becomes the top row', () => {
    const out = rotateImage(img(), 270);
    expect(dims(out)).toEqual([2, 3]);
    expect(Array.from(out.data)).toEqual([3, 6, 2, 5, 1, 4]);
  });
  it('four quarter turns give the input back; rgb pixels move whole', () => {
    const rgb = image(3, 1, 'rgb', [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Array.from(rotateImage(rgb, 90).data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Array.from(rotateImage(rgb, 180).data)).toEqual([7, 8, 9, 4, 5, 6, 1, 2, 3]);
    let r = img();
    for (let i = 0; i < 4; i++) r = rotateImage(r, 90);
    expect(Array.from(r.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });
  it('rejects other angles', () => {
    expect(() => rotateImage(img(), 45 as never)).toThrow(
      'Expected one of 90, 180, 270 for angle but received 45',
    );
  });
});

describe('mirrors', () => {
  it('flip mirrors top to bottom, flop left to right', () => {
    expect(Array.from(flipImage(img()).data)).toEqual([4, 5, 6, 1, 2, 3]);
    expect(Array.from(flopImage(img()).data)).toEqual([3, 2, 1, 6, 5, 4]);
  });
  it('transpose mirrors about the main diagonal, transverse about the anti-diagonal', () => {
    const t = transposeImage(img());
    expect(dims(t)).toEqual([2, 3]);
    expect(Array.from(t.data)).toEqual([1, 4, 2, 5, 3, 6]);
    const v = transverseImage(img());
    expect(dims(v)).toEqual([2, 3]);
    expect(Array.from(v.data)).toEqual([6, 3, 5, 2, 4, 1]);
  });
  it('transpose = flop ∘ rotate 90 and transverse = flip ∘ rotate 90', () => {
    expect(Array.from(transposeImage(img()).data)).toEqual(
      Array.from(flopImage(rotateImage(img(), 90)).data),
    );
    expect(Array.from(transverseImage(img()).data)).toEqual(
      Array.from(flipImage(rotateImage(img(), 90)).data),
    );
  });
  it('planar images move every plane', () => {
    const p = image(2, 1, 'bgr-planar', [1, 2, 3, 4, 5, 6]);
    expect(Array.from(flopImage(p).data)).toEqual([2, 1, 4, 3, 6, 5]);
    const t = transposeImage(image(2, 1, 'rgb-planar', [1, 2, 3, 4, 5, 6]));
    expect([t.width, t.height, t.stride]).toEqual([1, 2, 1]);
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('cropImage', () => {
  it('cuts the rectangle out, honouring the input stride', () => {
    const src = createHostImage(3, 2, 'rgba', { stride: 16 });
    for (let i = 0; i < 32; i++) src.data[i] = i;
    const out = cropImage(src, { x: 1, y: 1, width: 2, height: 1 });
    expect([out.width, out.height, out.stride]).toEqual([2, 1, 8]);
    expect(Array.from(out.data)).toEqual([20, 21, 22, 23, 24, 25, 26, 27]);
  });
  it('keeps a planar image planar', () => {
    const out = cropImage(image(3, 1, 'rgb-planar', [1, 2, 3, 4, 5, 6, 7, 8, 9]), {
      x: 2,
      y: 0,
      width: 1,
      height: 1,
    });
    expect(Array.from(out.data)).toEqual([3, 6, 9]);
  });
  it('rejects rectangles that leave the image or are not whole pixels', () => {
    expect(() => cropImage(img(), { x: 1, y: 0, width: 3, height: 1 })).toThrow(
      'Expected integer between 1 and 2 for crop.width but received 3',
    );
    expect(() => cropImage(img(), { x: 3, y: 0, width: 1, height: 1 })).toThrow(
      'Expected integer between 0 and 2 for crop.x but received 3',
    );
    expect(() => cropImage(img(), { x: 0, y: -1, width: 1, height: 1 })).toThrow(
      /for crop.y but received -1/,
    );
    expect(() => cropImage(img(), { x: 0, y: 0, width: 1, height: 0.5 })).toThrow(
      /for crop.height but received 0.5/,
    );
  });
});
