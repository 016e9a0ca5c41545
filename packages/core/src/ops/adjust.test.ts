import { describe, expect, it } from 'vitest';
import { createHostImage } from '../image.js';
import { adjustImage, adjustTable } from './adjust.js';
import type { HostImage, PixelFormat } from '../image.js';

function image(width: number, height: number, format: PixelFormat, values: number[]): HostImage {
  return createHostImage(width, height, format, { data: Uint8Array.from(values) });
}

describe('adjustTable', () => {
  it('is the identity at brightness 0, contrast 1', () => {
    expect(Array.from(adjustTable(0, 1))).toEqual([...Array(256).keys()]);
  });
  it('brightness adds brightness · 255, rounded half up', () => {
    const t = adjustTable(0.1, 1); // + 25.5
    expect([t[0], t[100], t[229], t[230], t[255]]).toEqual([26, 126, 255, 255, 255]);
    const d = adjustTable(-0.1, 1); // − 25.5: 30 − 25.5 = 4.5 → 5
    expect([d[0], d[25], d[26], d[30]]).toEqual([0, 0, 1, 5]);
  });
  it('contrast pivots on 128', () => {
    const t = adjustTable(0, 2);
    expect([t[0], t[64], t[100], t[128], t[150], t[200]]).toEqual([0, 0, 72, 128, 172, 255]);
    const h = adjustTable(0, 0.5); // 127 → 127.5 → 128, 129 → 128.5 → 129
    expect([h[0], h[127], h[129], h[255]]).toEqual([64, 128, 129, 192]);
    expect(new Set(adjustTable(0, 0))).toEqual(new Set([128]));
  });
  it('combines both: (v − 128) · c + 128 + b · 255', () => {
    // 255: 127 · 0.5 + 128 − 51 = 140.5 → 141; 0: −64 + 128 − 51 = 13.
    const t = adjustTable(-0.2, 0.5);
    expect([t[0], t[255]]).toEqual([13, 141]);
  });
});

describe('adjustImage', () => {
  it('changes colour channels and leaves alpha alone', () => {
    const out = adjustImage(image(2, 1, 'rgba', [100, 128, 150, 100, 0, 255, 64, 200]), 0, 2);
    expect(Array.from(out.data)).toEqual([72, 128, 172, 100, 0, 255, 0, 200]);
    const bgra = adjustImage(image(1, 1, 'bgra', [100, 128, 150, 100]), 0.1, 1);
    expect(Array.from(bgra.data)).toEqual([126, 154, 176, 100]);
  });
  it('handles gray, planar and padded input', () => {
    expect(Array.from(adjustImage(image(3, 1, 'gray', [0, 128, 255]), 0, 2).data)).toEqual([0, 128, 255]);
    expect(Array.from(adjustImage(image(1, 1, 'bgr-planar', [100, 150, 200]), 0, 2).data)).toEqual([
      72, 172, 255,
    ]);
    const padded = createHostImage(1, 2, 'gray', { stride: 4, data: Uint8Array.from([100, 9, 9, 9, 150]) });
    const out = adjustImage(padded, 0, 2);
    expect([out.stride, ...out.data]).toEqual([1, 72, 172]);
  });
  it('rejects out-of-range settings', () => {
    const img = image(1, 1, 'gray', [0]);
    expect(() => adjustImage(img, 1.5, 1)).toThrow(
      'Expected number between -1 and 1 for brightness but received 1.5',
    );
    expect(() => adjustImage(img, 0, 5)).toThrow(
      'Expected number between 0 and 4 for contrast but received 5',
    );
  });
});
