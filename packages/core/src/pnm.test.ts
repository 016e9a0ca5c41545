import { describe, expect, it } from 'vitest';
import { createHostImage } from './image.js';
import { readPnm, writePnm } from './pnm.js';

const ascii = (s: string) => new TextEncoder().encode(s);

describe('readPnm / writePnm', () => {
  it('reads a P6 with a comment and writes it back byte for byte', () => {
    const bytes = new Uint8Array([...ascii('P6\n# made by hand\n2 1\n255\n'), 1, 2, 3, 4, 5, 6]);
    const img = readPnm(bytes);
    expect([img.width, img.height, img.format, img.stride]).toEqual([2, 1, 'rgb', 6]);
    expect([...img.data]).toEqual([1, 2, 3, 4, 5, 6]);
    expect([...writePnm(img)]).toEqual([...ascii('P6\n2 1\n255\n'), 1, 2, 3, 4, 5, 6]);
  });

  it('reads P5 as gray', () => {
    const img = readPnm(new Uint8Array([...ascii('P5 3 1 255\n'), 7, 8, 9]));
    expect([img.format, ...img.data]).toEqual(['gray', 7, 8, 9]);
  });

  it('writes BGRA, planar and strided images as RGB P6', () => {
    const bgra = createHostImage(1, 2, 'bgra', { stride: 8 });
    bgra.data.set([3, 2, 1, 255, 0, 0, 0, 0, 6, 5, 4, 255]);
    const planar = createHostImage(1, 2, 'rgb-planar');
    planar.data.set([1, 4, 2, 5, 3, 6]);
    const expected = [...ascii('P6\n1 2\n255\n'), 1, 2, 3, 4, 5, 6];
    expect([...writePnm(bgra)]).toEqual(expected);
    expect([...writePnm(planar)]).toEqual(expected);
  });

  it('rejects what it cannot read with coded errors', () => {
    expect(() => readPnm(ascii('P3\n1 1\n255\n0 0 0'))).toThrow(
      expect.objectContaining({ code: 'E_CORRUPT' }),
    );
    expect(() => readPnm(ascii('P6\n2 2\n255\n\x01'))).toThrow(
      expect.objectContaining({ code: 'E_TRUNCATED' }),
    );
    expect(() => readPnm(ascii('P6\n1 1\n65535\n'))).toThrow(
      expect.objectContaining({ code: 'E_UNSUPPORTED' }),
    );
    expect(() => readPnm(ascii('P6\n1'))).toThrow(expect.objectContaining({ code: 'E_TRUNCATED' }));
  });
});
