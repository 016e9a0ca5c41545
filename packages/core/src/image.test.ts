import { describe, expect, it } from 'vitest';
import {
  bytesPerPixel,
  channelCount,
  checkHostImage,
  createHostImage,
  imageByteLength,
  pixelOffset,
} from './image.js';

describe('image model', () => {
  it('knows each format’s channels and bytes per pixel', () => {
    expect(
      ['rgb', 'rgba', 'bgr', 'bgra', 'gray', 'rgb-planar', 'bgr-planar'].map((f) => channelCount(f as never)),
    ).toEqual([3, 4, 3, 4, 1, 3, 3]);
    expect(bytesPerPixel('rgb-planar')).toBe(1);
    expect(bytesPerPixel('bgra')).toBe(4);
  });

  it('lays out interleaved and planar pixels by stride', () => {
    const rgb = createHostImage(3, 2, 'rgb', { stride: 10 });
    expect(rgb.data.length).toBe(20);
    expect(pixelOffset(rgb, 2, 1, 1)).toBe(10 + 6 + 1);
    const planar = createHostImage(3, 2, 'bgr-planar', { stride: 4 });
    expect(planar.data.length).toBe(24);
    expect(pixelOffset(planar, 2, 1, 2)).toBe(2 * 8 + 4 + 2);
    expect(imageByteLength(3, 2, 'rgb', 10)).toBe(19); // the last row needs no padding
  });

  it('checks geometry against the buffer with house-style messages', () => {
    expect(() => createHostImage(4, 4, 'rgb', { stride: 11 })).toThrow(
      'Expected integer between 12 and 2147483648 for stride but received 11',
    );
    expect(() => createHostImage(2, 2, 'rgba', { data: new Uint8Array(15) })).toThrow(
      'Expected a buffer of at least 16 bytes for data but received a Uint8Array of 15 bytes',
    );
    expect(() =>
      checkHostImage({ width: 1, height: 1, format: 'yuv', stride: 3, data: new Uint8Array(3) }),
    ).toThrow('for image.format but received "yuv"');
  });
});
