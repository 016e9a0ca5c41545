import { describe, expect, it } from 'vitest';
import type { ResolvedDecodeOptions } from './backend.js';
import { checkIntoCapacity, decodedSize, scaledSize } from './geometry.js';
import type { JpegHeader } from './header.js';
import { createHostImage } from './image.js';

const header = (width: number, height: number, orientation = 1) =>
  ({ width, height, orientation }) as JpegHeader;
const opts = (o: Partial<ResolvedDecodeOptions> = {}): ResolvedDecodeOptions => ({
  format: 'rgb',
  scale: 1,
  orient: false,
  location: 'host',
  partial: false,
  ...o,
});

describe('decode geometry', () => {
  it('rounds scaled sizes up as libjpeg does', () => {
    expect([
      scaledSize(227, 0.5),
      scaledSize(227, 0.25),
      scaledSize(227, 0.125),
      scaledSize(1, 0.125),
    ]).toEqual([114, 57, 29, 1]);
  });

  it('applies scale, crop, then orientation', () => {
    expect(decodedSize(header(640, 480), opts({ scale: 0.5 }))).toEqual({ width: 320, height: 240 });
    expect(decodedSize(header(640, 480, 6), opts({ orient: true }))).toEqual({ width: 480, height: 640 });
    expect(decodedSize(header(640, 480, 6), opts())).toEqual({ width: 640, height: 480 });
    expect(
      decodedSize(header(640, 480), opts({ scale: 0.5, crop: { x: 10, y: 10, width: 100, height: 50 } })),
    ).toEqual({
      width: 100,
      height: 50,
    });
    expect(() =>
      decodedSize(header(640, 480), opts({ scale: 0.5, crop: { x: 300, y: 0, width: 21, height: 1 } })),
    ).toThrow('Expected a region inside 320×240 for crop but received 21×1 at (300, 0)');
  });

  it('accepts an into image that holds the result and refuses a smaller one', () => {
    expect(() => checkIntoCapacity(header(8, 8), opts({ into: createHostImage(8, 8, 'rgb') }))).not.toThrow();
    expect(() => checkIntoCapacity(header(8, 8), opts({ into: createHostImage(4, 16, 'rgb') }))).toThrow(
      expect.objectContaining({ code: 'E_INVALID_ARGUMENT' }),
    );
    expect(() =>
      checkIntoCapacity(header(8, 8), opts({ scale: 0.5, into: createHostImage(4, 4, 'rgb') })),
    ).not.toThrow();
  });
});
