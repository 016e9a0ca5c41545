import { describe, expect, it } from 'vitest';
import { createHostImage } from '../image.js';
import { gaussianWeights, sharpenImage } from './sharpen.js';
import type { HostImage, PixelFormat } from '../image.js';

function image(width: number, height: number, format: PixelFormat, values: number[]): HostImage {
  return createHostImage(width, height, format, { data: Uint8Array.from(values) });
}

/** Two identical rows of a step from 50 to 150 (two rows: the vertical blur then changes nothing). */
const STEP = [50, 50, 50, 150, 150, 150];
const step = () => image(6, 2, 'gray', [...STEP, ...STEP]);

describe('gaussianWeights', () => {
  it('σ = 1: radius 3, exp(−k²/2) normalised', () => {
    const w = gaussianWeights(1);
    expect(w.length).toBe(7);
    // 1 + 2(e^−½ + e^−2 + e^−4.5) = 2.5059498.
    const expected = [0.011109, 0.135335, 0.606531, 1, 0.606531, 0.135335, 0.011109].map(
      (v) => v / 2.5059498,
    );
    w.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
  });
  it('radius is ceil(3σ)', () => {
    expect(gaussianWeights(0.3).length).toBe(3);
    expect(gaussianWeights(1.5).length).toBe(11);
    expect(gaussianWeights(10).length).toBe(61);
  });
});

describe('sharpenImage', () => {
  it('σ = 1, amount 1 on a 50 → 150 step: hand-computed undershoot and overshoot', () => {
    // blur at x = 2 is 50 + 100 · (w1 + w2 + w3) = 50 + 30.05 → out 50 − 30.05 = 19.95 → 20;
    // at x = 1 it is 50 + 100 · (w2 + w3) = 55.84 → 44.16 → 44; at x = 0, 50 + 0.44 → 49.56 → 50.
    // The bright side mirrors it: 180, 156, 150.
    const out = sharpenImage(step(), 1, 1, 0);
    expect(Array.from(out.data)).toEqual([50, 44, 20, 180, 156, 150, 50, 44, 20, 180, 156, 150]);
  });

  it('amount scales the correction', () => {
    // x = 2: 50 − 0.5 · 30.05 = 34.98 → 35; x = 1: 50 − 2.92 = 47.08 → 47.
    const out = sharpenImage(step(), 1, 0.5, 0);
    expect(Array.from(out.data.subarray(0, 6))).toEqual([50, 47, 35, 165, 153, 150]);
  });

  it('threshold leaves small differences alone', () => {
    // |v − blur| is 5.84 at x = 1 and 4 (≤ 10: unchanged) and 30.05 at x = 2 and 3 (> 10: sharpened).
    const out = sharpenImage(step(), 1, 1, 10);
    expect(Array.from(out.data.subarray(0, 6))).toEqual([50, 50, 20, 180, 150, 150]);
  });

  it('works vertically the same way (separable)', () => {
    const col = image(1, 6, 'gray', STEP);
    expect(Array.from(sharpenImage(col, 1).data)).toEqual([50, 44, 20, 180, 156, 150]);
  });

  it('leaves a constant image and alpha untouched', () => {
    const rgba = createHostImage(5, 4, 'rgba');
    for (let i = 0; i < rgba.data.length; i += 4) rgba.data.set([90, 91, 92, (i * 37) % 256], i);
    const out = sharpenImage(rgba, 2, 3, 0);
    expect(Array.from(out.data)).toEqual(Array.from(rgba.data));
  });

  it('planar channels are sharpened like interleaved ones', () => {
    const rgb = image(
      6,
      1,
      'rgb',
      STEP.flatMap((v) => [v, 255 - v, 100]),
    );
    const planar = image(6, 1, 'rgb-planar', [...STEP, ...STEP.map((v) => 255 - v), ...STEP.map(() => 100)]);
    const a = sharpenImage(rgb, 1);
    const b = sharpenImage(planar, 1);
    expect(Array.from(b.data.subarray(0, 6))).toEqual([0, 1, 2, 3, 4, 5].map((x) => a.data[x * 3]!));
    expect(Array.from(b.data.subarray(6, 12))).toEqual([0, 1, 2, 3, 4, 5].map((x) => a.data[x * 3 + 1]!));
    expect(Array.from(b.data.subarray(12))).toEqual([100, 100, 100, 100, 100, 100]);
  });

  it('rejects out-of-range options', () => {
    expect(() => sharpenImage(step(), 0.2)).toThrow(
      'Expected number between 0.3 and 10 for sigma but received 0.2',
    );
    expect(() => sharpenImage(step(), 1, -1)).toThrow(/for amount but received -1/);
    expect(() => sharpenImage(step(), 1, 1, 256)).toThrow(/for threshold but received 256/);
  });
});
